"""``manage.py export_catalogue --format json|csv [--year Y ...] [-o FILE]``"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cartable.catalogue.io import FORMATS, export


class Command(BaseCommand):
    help = (
        "Exporte le catalogue en JSON ou en archive ZIP de fichiers CSV. "
        "Exports the catalogue as JSON or as a ZIP archive of CSV files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="année du catalogue (répétable) ; par défaut toutes / catalogue year "
            "(repeatable); every year by default",
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="fichier à écrire ; JSON sur la sortie standard sinon / file to write; "
            "JSON on standard output otherwise",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        if options["format"] == "csv" and output is None:
            raise CommandError(
                "--output est obligatoire pour une archive ZIP / "
                "--output is required for a ZIP archive"
            )
        result = export(options["format"], options["years"], acting_user=None)
        if output is None:
            self.stdout.write(result.content.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(result.content)
        except OSError as exc:
            raise CommandError(f"Écriture impossible / cannot write {output}: {exc}") from exc
        self.stderr.write(f"{output} : {result.rows} lignes / rows")
