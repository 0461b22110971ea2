"""Import a CSV file of PIX results: ``manage.py import_pix FILE [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cartable.certification.pix import do_import_pix


class Command(BaseCommand):
    help = "Import PIX results (CSV): every bad line is reported and nothing is written."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        report = do_import_pix(text, dry_run=options["dry_run"], acting_user=None, source=path.name)
        for e in report.errors:
            self.stderr.write(f"ligne {e.line}, {e.field} « {e.value} » : {e.message_fr}")
        self.stdout.write(
            f"{report.lines} lignes ; {report.created} créés, {report.updated} mis à jour, "
            f"{report.unchanged} inchangés" + (" (vérification seule)" if report.dry_run else "")
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} erreur(s) : rien n'a été enregistré.")
