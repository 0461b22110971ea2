"""``manage.py copy_catalogue_year SOURCE TARGET``: copy a catalogue year into the next."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cartable.catalogue.actions import do_copy_year
from cartable.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Copie l'offre d'une année du catalogue vers une année suivante, en brouillons. "
        "Copies a catalogue year's offer into a later year, as drafts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=int, help="année source / source year (e.g. 2025)")
        parser.add_argument("target", type=int, help="année cible / target year (e.g. 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = do_copy_year(options["source"], options["target"], acting_user=None)
        except DomainError as error:
            raise CommandError(f"{error.message_fr} / {error.message_en}") from error
        self.stdout.write(
            f"{result.source_year} → {result.target_year}\n"
            f"offres copiées / offers copied: {result.offers_copied}; "
            f"déjà présentes / already there: {result.offers_skipped}\n"
            f"formations créées / programmes created: {result.programmes_created}; "
            f"déjà présentes / already there: {result.programmes_existing}; "
            f"filières / tracks: {result.tracks}\n"
            f"rattachements / programme links: {result.programme_links}; "
            f"équipe / team members: {result.team_members}; "
            f"éléments constitutifs / elements: {result.elements}; "
            f"prérequis / prerequisites: {result.prerequisites}; "
            f"logiciels / software needs: {result.software_needs}; "
            f"compétences / competency contributions: {result.contributions}"
        )
