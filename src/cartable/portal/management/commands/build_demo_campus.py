"""Build the deterministic demo campus: the UTBM referential, its services, its training offer
(programmes, UEs, competency frameworks) and demo accounts.

python manage.py build_demo_campus --seed 2026 --scale 1      # ≈ 2,469 students, 800 staff
python manage.py build_demo_campus --scale 10                 # ≈ 25,000 students (bench)
python manage.py build_demo_campus --if-absent                # no-op once persons exist
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cartable.access import demo as access_demo
from cartable.catalogue import demo as catalogue_demo
from cartable.certification import demo as certification_demo
from cartable.core import audit
from cartable.enrolment import demo as enrolment_demo
from cartable.enrolment import sectioning as enrolment_sectioning
from cartable.records import demo as records_demo
from cartable.referential import demo as referential_demo
from cartable.timetable import demo as timetable_demo


class Command(BaseCommand):
    help = "Construit le campus de démonstration (UTBM) / Build the demo campus (UTBM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Graine / random seed.")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiplie étudiants et personnels / multiplies students and staff.",
        )
        parser.add_argument(
            "--if-absent",
            action="store_true",
            help="Ne rien faire si des personnes existent / do nothing when persons exist.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed, scale = int(options["seed"]), float(options["scale"])
        if scale <= 0:
            raise CommandError("--scale doit être positif / must be positive.")
        if referential_demo.campus_exists():
            if options["if_absent"]:
                self.stdout.write(
                    "Le référentiel contient déjà des personnes : rien à faire. "
                    "/ The referential already holds persons: nothing to do."
                )
                return
            raise CommandError(
                "Le référentiel contient déjà des personnes : utilisez --if-absent ou une base "
                "vide. / The referential already holds persons: use --if-absent or an empty "
                "database."
            )
        self.stdout.write(f"Campus de démonstration : graine {seed}, échelle {scale:g}")
        started = time.perf_counter()
        with transaction.atomic():
            campus = referential_demo.CampusBuilder(seed=seed, scale=scale)
            catalogue = access_demo.CatalogueBuilder(seed=seed, day=campus.day)
            training = catalogue_demo.TrainingCatalogueBuilder(
                seed=seed, scale=scale, day=campus.day
            )
            enrolments: list[enrolment_demo.Totals] = []

            def enrol() -> int:
                enrolments.append(enrolment_demo.build_enrolments(seed=seed))
                return enrolments[-1].enrolments

            steps = [
                *campus.steps(),
                *catalogue.steps(),
                *training.steps(),
                (
                    "semaine type / weekly templates",
                    lambda: timetable_demo.build(seed=seed, day=campus.day).slots,
                ),
                (
                    "campagnes / enrolment campaigns",
                    lambda: enrolment_demo.build_campaigns(seed=seed, day=campus.day).campaigns,
                ),
                ("inscriptions pédagogiques / enrolments", enrol),
                (
                    "répartition en groupes / sectioning",
                    lambda: enrolment_sectioning.build_demo_sectioning(seed),
                ),
                ("résultats / past results", lambda: enrolment_demo.build_past_results(seed=seed)),
                ("dossiers étudiants / records", lambda: records_demo.build_records(seed=seed)),
                (
                    "certification / competencies, badges",
                    lambda: sum(certification_demo.build(seed=seed, day=campus.day).values()),
                ),
            ]
            for label, step in steps:
                step_started = time.perf_counter()
                count = step()
                now = time.perf_counter()
                self.stdout.write(
                    f"  {label:<36} {count:>8}   {now - step_started:6.2f} s"
                    f"   (total {now - started:6.2f} s)"
                )
            totals = {
                **referential_demo.totals(),
                **access_demo.totals(),
                **catalogue_demo.totals(),
                **timetable_demo.totals(),
                **enrolment_demo.campaign_totals(),
                "enrolments": enrolments[-1].enrolments,
                "enrolled students": enrolments[-1].students,
                "student portraits": enrolments[-1].photos,
            }
            audit.record(
                "portal.demo.build",
                actor=None,
                object_type="demo_campus",
                object_ref=str(seed),
                detail={"seed": seed, "scale": scale, **totals},
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Campus construit en {elapsed:.1f} s :"))
        for name, value in totals.items():
            self.stdout.write(f"  {name:<28} {value:>8}")
        self.stdout.write("Comptes de démonstration : python manage.py demo_logins")
