"""Check a campaign's invariants after an opening (see :mod:`cartable.enrolment.invariants`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cartable.enrolment.invariants import violations


class Command(BaseCommand):
    help = (
        "Vérifie qu'aucune UE ne dépasse ses places, qu'aucun choix n'est perdu ou compté deux "
        "fois et qu'aucune place de liste d'attente n'est sautée. / Checks a campaign's "
        "invariants: capacity, lost or duplicated choices, wait-list order."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="code de la campagne / campaign code")

    def handle(self, *args: Any, **options: Any) -> None:
        found = violations(options["campaign"])
        for line in found:
            self.stderr.write(line)
        if found:
            raise CommandError(f"{len(found)} anomalie(s) / violation(s)")
        self.stdout.write("Aucune anomalie. / No violation.")
