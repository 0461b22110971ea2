"""``manage.py case_framework export CODE [-o FILE]`` and
``manage.py case_framework import FILE [--dry-run] [--code CODE] [--diploma CODE]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cartable.competencies import actions, case


class Command(BaseCommand):
    help = (
        "Exporte un référentiel de compétences au format 1EdTech CASE 1.1 (CFPackage JSON) ou "
        "en importe un. Exports a competency framework as a 1EdTech CASE 1.1 CFPackage (JSON) "
        "or imports one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        export = commands.add_parser("export", help="exporter / export")
        export.add_argument("code", help="code du référentiel / framework code")
        export.add_argument(
            "-o", "--output", type=Path, help="fichier / file (défaut/default: stdout)"
        )
        load = commands.add_parser("import", help="importer / import")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--dry-run",
            action="store_true",
            help="vérifier sans rien enregistrer / check without writing anything",
        )
        load.add_argument("--code", default="", help="code du référentiel / framework code")
        load.add_argument("--diploma", default="", help="code du diplôme / diploma code")
        for sub in (export, load):
            sub.add_argument(
                "--base-uri",
                default="",
                help="début des URI CASE / start of the CASE URIs (défaut/default: "
                "CARTABLE_CASE_BASE_URI, ou/or https://<allowed host>/competences/case/)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["base_uri"] or case.base_uri()
        if not base.endswith("/"):
            base += "/"
        if options["action"] == "export":
            self._export(options["code"], options["output"], base)
        else:
            self._import(options, base)

    def _export(self, code: str, output: Path | None, base: str) -> None:
        package = case.export_package(code, base_uri=base)
        if package is None:
            raise CommandError(f"Référentiel inconnu / unknown framework: {code}")
        text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Écriture impossible / cannot write {output}: {exc}") from exc
        self.stderr.write(f"{code} → {output}")

    def _import(self, options: dict[str, Any], base: str) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture impossible / cannot read {path}: {exc}") from exc
        report = actions.do_import_case(
            content,
            dry_run=options["dry_run"],
            base_uri=base,
            code=options["code"],
            diploma_code=options["diploma"],
            acting_user=None,
        )
        self._print(report)
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} erreur(s) : rien n'a été importé / "
                f"{len(report.errors)} error(s): nothing was imported"
            )

    def _print(self, report: case.CaseImportReport) -> None:
        if report.committed:
            state = "importé / imported"
        elif report.dry_run:
            state = "simulation (rien n'est enregistré) / dry run (nothing written)"
        else:
            state = "rien n'a été enregistré / nothing written"
        self.stdout.write(f"{report.framework_code} ({report.framework_uuid}) — {state}")
        for kind, counts in report.count_rows():
            self.stdout.write(
                f"{kind}: créés/created {counts.created}, modifiés/updated {counts.updated}, "
                f"inchangés/unchanged {counts.unchanged}, supprimés/deleted {counts.deleted}"
            )
        for issue in report.issues:
            label = "ERREUR/ERROR" if issue.is_error else "avertissement/warning"
            self.stderr.write(
                f"{label} · {issue.path} · {issue.identifier or '—'} · {issue.field} · "
                f"{issue.message_fr} / {issue.message_en}"
            )
