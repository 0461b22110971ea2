"""Section the students of a semester into groups and print the figures (nothing is
written): students fully sectioned, those left with a conflict and why, group balance."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cartable.catalogue import api as catalogue
from cartable.enrolment.sectioning import section


class Command(BaseCommand):
    help = "Répartit les étudiant·es d'un semestre dans les groupes (sans rien enregistrer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--semester", default="A", choices=["A", "P"])
        parser.add_argument("--time-limit", type=float, default=60.0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--deterministic", action="store_true")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--explain", type=int, default=10, help="explanations to print")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or catalogue.current_year()
        started = time.perf_counter()

        def progress(fraction: float, message: str) -> None:
            if not options["json"]:
                self.stdout.write(f"  {fraction:5.0%} {message}")

        result, explanations = section(
            year,
            options["semester"],
            time_limit=options["time_limit"],
            seed=options["seed"],
            deterministic=options["deterministic"],
            progress=progress,
        )
        figures = {
            "year": year,
            "semester": options["semester"],
            "students": result.students,
            "fully_sectioned": result.fully_sectioned,
            "left_out": len(result.unplaced),
            "left_out_by_reason": dict(Counter(e.reason for e in explanations)),
            "groups_balanced": result.balance.groups,
            "largest_fill": round(result.balance.largest_fill, 3),
            "smallest_fill": round(result.balance.smallest_fill, 3),
            "share_off_mean_10pct": round(result.balance.share_off_mean, 3),
            "largest_gap": result.balance.largest_gap,
            "improvement_subproblems": result.iterations,
            "seconds": round(time.perf_counter() - started, 2),
            "history": [[round(t, 2), u, d] for t, u, d in result.history],
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        for name, value in figures.items():
            if name != "history":
                self.stdout.write(f"{name}: {value}")
        for explanation in explanations[: options["explain"]]:
            self.stdout.write(f"  {explanation.student} {explanation.message_fr}")
