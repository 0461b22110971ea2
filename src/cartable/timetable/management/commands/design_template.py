"""Design a semester's weekly template from its teaching needs and print the figures; the
proposal is kept as a computation to review and publish at /emploi-du-temps/conception/."""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cartable.catalogue import api as catalogue
from cartable.core import jobs
from cartable.core.errors import DomainError
from cartable.timetable.design import do_start_design
from cartable.timetable.models import TemplateRun


class Command(BaseCommand):
    help = (
        "Calcule une proposition de semaine type pour un semestre (à examiner et publier sur "
        "/emploi-du-temps/conception/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--semester", default="A", choices=["A", "P"])
        parser.add_argument("--time-limit", type=int, default=60)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--pinned", default="", help="« LO21 IA41/TD1 »")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or catalogue.current_year()
        started = time.perf_counter()
        try:
            run = do_start_design(
                year,
                options["semester"],
                time_limit=options["time_limit"],
                seed=options["seed"],
                pinned=options["pinned"],
                acting_user=None,
            )
        except DomainError as error:
            raise CommandError(f"{error.message_fr} / {error.message_en}") from None
        run.refresh_from_db()
        if run.status == TemplateRun.Status.RUNNING and settings.CELERY_TASK_ALWAYS_EAGER:
            # in-process jobs: run it now if the surrounding transaction still holds it
            jobs.execute(str(run.job_uuid))
            run.refresh_from_db()
        deadline = time.monotonic() + options["time_limit"] * 3 + 300
        while run.status == TemplateRun.Status.RUNNING:  # sent to a worker pool: wait for it
            if time.monotonic() > deadline:
                raise CommandError(f"Calcul {run.uuid} toujours en cours / still running.")
            time.sleep(2)
            run.refresh_from_db()
        figures = {
            "year": year,
            "semester": options["semester"],
            "run": str(run.uuid),
            "status": run.status,
            **{k: v for k, v in run.figures.items() if k != "notes"},
            "notes": len(run.figures.get("notes", [])),
            "wall_seconds": round(time.perf_counter() - started, 1),
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        for name, value in figures.items():
            self.stdout.write(f"{name}: {value}")
