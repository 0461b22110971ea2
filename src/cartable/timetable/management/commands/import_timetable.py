"""``manage.py import_timetable FILE [--format csv|json] [--dry-run]``"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cartable.timetable.io import FORMATS, ImportReport, guess_format, run_import


class Command(BaseCommand):
    help = (
        "Importe des semaines types (une ligne par créneau) depuis un fichier CSV ou JSON. "
        "Imports weekly templates (one row per slot) from a CSV or JSON file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv ou json ; par défaut selon l'extension / by default from the extension",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="vérifier sans rien enregistrer / check without writing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        fmt = options["format"] or guess_format(path.name)
        if fmt is None:
            raise CommandError(
                f"Format inconnu pour {path.name} : précisez --format / "
                f"unknown format for {path.name}: use --format"
            )
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture impossible / cannot read {path}: {exc}") from exc
        report = run_import(
            content, fmt=fmt, dry_run=options["dry_run"], acting_user=None, filename=path.name
        )
        self._print(report)
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} erreur(s) : rien n'a été importé / "
                f"{len(report.errors)} error(s): nothing was imported"
            )

    def _print(self, report: ImportReport) -> None:
        if report.committed:
            state = "importé / imported"
        elif report.dry_run:
            state = "simulation (rien n'est enregistré) / dry run (nothing written)"
        else:
            state = "rien n'a été enregistré / nothing written"
        self.stdout.write(
            f"semaines types ({report.fmt}) — {state}: lignes/rows {report.rows_read}, "
            f"semaines types/templates {report.templates}"
        )
        for name, counts in report.tables:
            self.stdout.write(
                f"  {name}: créées/created {counts.created}, modifiées/updated {counts.updated}, "
                f"inchangées/unchanged {counts.unchanged}, retirées/deleted {counts.deleted}"
            )
        self.stdout.write(
            f"total: created: {report.created}; updated: {report.updated}; "
            f"unchanged: {report.unchanged}; deleted: {report.deleted}; "
            f"errors: {len(report.errors)}"
        )
        for error in report.errors:
            self.stderr.write(
                f"ligne/line {error.line} · {error.field} · « {error.value} » · "
                f"{error.message_fr} / {error.message_en}"
            )
