"""Planners of offers: their own fields, the published-offer rules, and their lists (links to
programmes, teaching team, constituent elements, prerequisites, software, competencies)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..models import Offer
from .plan_top import IN_REFERENTIAL
from .planning import (
    BROKEN,
    NOT_GIVEN,
    UNKNOWN_IN_FILE,
    Planner,
    Reason,
    key_text,
    plan_rows,
    set_plain,
    set_relation,
    unknown,
)
from .records import Batch, Record
from .schema import GROUP_FIELDS, HOUR_FIELDS, SYLLABUS_FIELDS
from .state import OfferKey

PLAIN = (
    *SYLLABUS_FIELDS,
    "status",
    "credits",
    "language",
    "semesters",
    *HOUR_FIELDS,
    "capacity",
    *GROUP_FIELDS,
    "room_needs",
    "published_at",
)
FROZEN = (Offer.Status.PUBLISHED, Offer.Status.ARCHIVED)
STATUS_WORDS = {
    Offer.Status.PUBLISHED: ("publiée", "published"),
    Offer.Status.ARCHIVED: ("archivée", "archived"),
}


def frozen_reason(planner: Planner, key: OfferKey) -> Reason | None:
    """Why the stored offer may not change, or None when it may."""
    status = planner.state.stored_status.get(key)
    if status not in FROZEN:
        return None
    fr, en = STATUS_WORDS[Offer.Status(status)]
    return (
        f"l'offre {key_text(key)} est {fr} : elle ne change que par une nouvelle version",
        f"offer {key_text(key)} is {en}: it only changes through a new version",
    )


class OfferPlanner:
    def __init__(self, planner: Planner, batch: Batch) -> None:
        self.planner = planner
        self.batch = batch
        self.state = planner.state
        self.uuids = {offer.uuid: key for key, offer in self.state.offers.items()}
        self._published: dict[tuple[str, int], set[int]] | None = None

    def key(self, record: Record) -> OfferKey | None:
        """The offer's key, once its UE is known (by its current code)."""
        code = record.values["ue"]
        if code not in self.state.ues:
            current = self.state.ue_code(code)
            reason = (
                (f"ancien code : utilisez {current}", f"past code: use {current}")
                if current
                else unknown(("UE", "UE"))
            )
            self.planner.error(record, "ue", code, reason)
            self.planner.broken.add(("offers", record.key()))
            return None
        return (code, record.values["year"], record.values["version"])

    def make(self, record: Record) -> Offer:
        offer = Offer(
            ue=self.state.ues[record.values["ue"]],
            year=record.values["year"],
            version=record.values["version"],
        )
        wanted = record.values.get("uuid")
        if wanted is not None:
            if wanted in self.uuids:
                taken = key_text(self.uuids[wanted])
                self.planner.error(
                    record,
                    "uuid",
                    wanted,
                    (f"UUID déjà pris par l'offre {taken}", f"UUID already used by offer {taken}"),
                )
            offer.uuid = wanted
            self.uuids[wanted] = (offer.ue.code, offer.year, offer.version)
        return offer

    def assign(self, offer: Offer, record: Record, changed: set[str]) -> None:
        planner, state = self.planner, self.state
        set_plain(offer, record, PLAIN, changed)
        campus = planner.ref(record, "campus", state.campuses, ("campus", "campus"), IN_REFERENTIAL)
        set_relation(offer, "campus", campus, changed)
        what = ("personne (identifiant)", "person (login)")
        responsible = planner.ref(record, "responsible", state.persons, what, IN_REFERENTIAL)
        set_relation(offer, "responsible", responsible, changed)
        set_relation(offer, "supersedes", self.supersedes(offer, record), changed)

    def supersedes(self, offer: Offer, record: Record) -> Any:
        names = ("supersedes_ue", "supersedes_year", "supersedes_version")
        given = [name for name in names if name in record.values]
        if not given:
            return NOT_GIVEN
        values = tuple(record.values.get(name) for name in names)
        if all(value is None for value in values):
            return None
        if None in values or len(given) < len(names):
            planner_reason = (
                "donnez le code d'UE, l'année et la version de l'offre remplacée",
                "give the UE code, year and version of the superseded offer",
            )
            self.planner.error(record, names[0], key_text(values), planner_reason)
            return BROKEN
        target = self.state.offers.get(values)  # type: ignore[arg-type]
        if target is None or target is offer:
            reason = (
                unknown(("offre remplacée", "superseded offer"), UNKNOWN_IN_FILE)
                if target is None
                else (
                    "une offre ne peut se remplacer elle-même",
                    "an offer cannot supersede itself",
                )
            )
            self.planner.error(record, names[0], key_text(values), reason)
            return BROKEN
        return target

    def veto(self, offer: Offer, record: Record, changed: set[str]) -> bool:
        """A published (or archived) offer changes only by a new version; the one exception
        is archiving a published offer when the file publishes another version of it."""
        key = (offer.ue.code, offer.year, offer.version)
        reason = frozen_reason(self.planner, key)
        if reason is None:
            return False
        archiving = changed == {"status"} and offer.status == Offer.Status.ARCHIVED
        if archiving and self.published_versions(key[:2]) - {key[2]}:
            return False
        fields = ", ".join(sorted(changed))
        self.planner.error(
            record,
            "version",
            offer.version,
            (f"{reason[0]} (champs modifiés : {fields})", f"{reason[1]} (changed: {fields})"),
        )
        return True

    def published_versions(self, ue_year: tuple[str, int]) -> set[int]:
        """Versions of a UE published in a year once the file is applied (computed once, when
        every row has been assigned)."""
        if self._published is None:
            self._published = defaultdict(set)
            for (code, year, version), offer in self.state.offers.items():
                if offer.status == Offer.Status.PUBLISHED:
                    self._published[(code, year)].add(version)
        return self._published.get(ue_year, set())

    def check_one_published(self, records: list[Record]) -> None:
        """At most one version of a UE is published per year, once the file is applied."""
        publishing = [r for r in records if r.values.get("status") == Offer.Status.PUBLISHED]
        # Blame the rows that publish; rows that keep a stored publication only if none does.
        newly = [r for r in publishing if self.state.stored_status.get(r.key()) != "published"]
        for record in newly or publishing:
            versions = self.published_versions((record.values["ue"], record.values["year"]))
            if len(versions) > 1:
                listed = ", ".join(str(v) for v in sorted(versions))
                self.planner.error(
                    record,
                    "status",
                    record.values["status"],
                    (
                        f"une seule version publiée par UE et par année (publiées : {listed})",
                        f"one published version per UE and year (published: {listed})",
                    ),
                )

    def plan(self) -> None:
        records = self.batch.table("offers")
        keyed = [record for record in records if self.key(record) is not None]
        plan_rows(
            self.planner,
            "offers",
            keyed,
            self.state.offers,
            self.make,
            self.assign,
            self.veto,
        )
        self.check_one_published(keyed)
