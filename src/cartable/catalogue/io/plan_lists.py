"""Planners of an offer's lists: links to programmes (with a category), teaching team,
constituent elements, prerequisites, software needs and competency contributions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F

from ..models import (
    CompetencyContribution,
    ConstituentElement,
    Offer,
    OfferProgramme,
    Prerequisite,
    SoftwareNeed,
    TeachingAssignment,
)
from .plan_offers import frozen_reason
from .plan_top import IMPORT_CASE_FIRST, IN_REFERENTIAL
from .planning import Planner, plan_children, set_plain, set_relation, unknown
from .records import Batch, Record
from .state import AMBIGUOUS, OfferKey

PERSON = ("personne (identifiant)", "person (login)")


class ListPlanner:
    def __init__(self, planner: Planner, batch: Batch) -> None:
        self.planner = planner
        self.batch = batch
        self.state = planner.state
        self.offer_keys = self.state.offer_by_pk()

    def stored(
        self, model: type[Any], key: Any, **extra: Any
    ) -> list[tuple[OfferKey, tuple[Any, ...] | None, Any]]:
        """Every stored child of a stored offer (one query) with its offer's and own keys."""
        queryset = model.objects.all()
        if extra:
            queryset = queryset.annotate(**extra)
        return [
            (self.offer_keys[child.offer_id], key(child), child)
            for child in queryset
            if child.offer_id in self.offer_keys
        ]

    def run(
        self,
        table: str,
        stored: Callable[[], list[Any]],
        child_key: Callable[[Record], Any],
        make: Callable[[Record, Offer], Any],
        assign: Callable[[Any, Record, set[str]], None],
    ) -> None:
        """Plan one list, when the file has it (the stored rows are loaded only then)."""
        if not self.batch.present(table):
            return
        plan_children(
            self.planner,
            table,
            self.batch.table(table),
            stored(),
            self.state.offers,
            child_key,
            make,
            assign,
            frozen=lambda key: frozen_reason(self.planner, key),
        )

    # --- references -----------------------------------------------------------------------

    def competency(self, record: Record, framework: str, code: str) -> int | None:
        """The competency a (framework, competency) pair names; None (reported) otherwise."""
        if framework not in self.state.frameworks:
            what = ("référentiel de compétences", "competency framework")
            self.planner.error(record, "framework", framework, unknown(what, IMPORT_CASE_FIRST))
            return None
        pk = self.state.competencies.get((framework, code))
        if pk is None or pk == AMBIGUOUS:
            reason = (
                unknown(("compétence", "competency"), (f"référentiel {framework}", framework))
                if pk is None
                else (
                    f"code présent dans plusieurs blocs du référentiel {framework}",
                    f"code found in several blocks of framework {framework}",
                )
            )
            self.planner.error(record, "competency", code, reason)
            return None
        return pk

    def level(self, record: Record, framework: str) -> int | None:
        rank = record.values.get("level")
        if rank is None:
            return None
        pk = self.state.levels.get((framework, rank))
        if pk is None:
            self.planner.error(
                record,
                "level",
                rank,
                (
                    f"niveau inconnu dans l'échelle du référentiel {framework}",
                    f"unknown level in the scale of framework {framework}",
                ),
            )
        return pk

    # --- tables ---------------------------------------------------------------------------

    def links(self) -> None:
        state = self.state
        programmes = state.programme_by_pk()
        stored = lambda: self.stored(OfferProgramme, lambda link: programmes.get(link.programme_id))  # noqa: E731

        def child_key(record: Record) -> tuple[str, int] | None:
            year = record.values.get("programme_year") or record.values["year"]
            key = (record.values["programme"], year)
            if key not in state.programmes:
                self.planner.error(
                    record, "programme", f"{key[0]}/{key[1]}", unknown(("formation", "programme"))
                )
                return None
            return key

        def make(record: Record, offer: Offer) -> OfferProgramme:
            key = child_key(record)
            return OfferProgramme(offer=offer, programme=state.programmes[key])  # type: ignore[index]

        def assign(link: OfferProgramme, record: Record, changed: set[str]) -> None:
            what = ("catégorie", "category")
            category = self.planner.ref(record, "category", state.categories, what, ("", ""))
            set_relation(link, "category", category, changed)

        self.run("offer_programmes", stored, child_key, make, assign)

    def team(self) -> None:
        state = self.state
        stored = lambda: self.stored(  # noqa: E731
            TeachingAssignment, lambda t: (t.x_login, t.activity), x_login=F("person__login")
        )

        def child_key(record: Record) -> tuple[str, str] | None:
            login = record.values["login"]
            if login not in state.persons:
                self.planner.error(record, "login", login, unknown(PERSON, IN_REFERENTIAL))
                return None
            return (login, record.values["activity"])

        def make(record: Record, offer: Offer) -> TeachingAssignment:
            return TeachingAssignment(
                offer=offer,
                person_id=state.persons[record.values["login"]],
                activity=record.values["activity"],
            )

        def assign(member: TeachingAssignment, record: Record, changed: set[str]) -> None:
            set_plain(member, record, ("hours",), changed)

        self.run("team", stored, child_key, make, assign)

    def elements(self) -> None:
        stored = lambda: self.stored(ConstituentElement, lambda element: (element.code,))  # noqa: E731

        def assign(element: ConstituentElement, record: Record, changed: set[str]) -> None:
            names = ("title", "title_en", "hours", "weight", "position")
            set_plain(element, record, names, changed)

        self.run(
            "elements",
            stored,
            lambda record: (record.values["code"],),
            lambda record, offer: ConstituentElement(offer=offer, code=record.values["code"]),
            assign,
        )

    def software(self) -> None:
        state = self.state
        codes = {s.pk: code for code, s in state.software.items() if s.pk is not None}
        stored = lambda: self.stored(SoftwareNeed, lambda need: (codes.get(need.software_id),))  # noqa: E731

        def child_key(record: Record) -> tuple[str] | None:
            code = record.values["software"]
            if code not in state.software:
                self.planner.error(record, "software", code, unknown(("logiciel", "software")))
                return None
            return (code,)

        def make(record: Record, offer: Offer) -> SoftwareNeed:
            return SoftwareNeed(offer=offer, software=state.software[record.values["software"]])

        def assign(need: SoftwareNeed, record: Record, changed: set[str]) -> None:
            set_plain(need, record, ("mode", "note"), changed)

        self.run("software_needs", stored, child_key, make, assign)

    def contributions(self) -> None:
        state = self.state
        stored = lambda: self.stored(  # noqa: E731
            CompetencyContribution, lambda c: state.competency_keys.get(c.competency_id)
        )

        def child_key(record: Record) -> tuple[str, str] | None:
            framework, code = record.values["framework"], record.values["competency"]
            return None if self.competency(record, framework, code) is None else (framework, code)

        def make(record: Record, offer: Offer) -> CompetencyContribution:
            key = (record.values["framework"], record.values["competency"])
            return CompetencyContribution(offer=offer, competency_id=state.competencies[key])

        def assign(contribution: CompetencyContribution, record: Record, changed: set[str]) -> None:
            set_plain(contribution, record, ("weight",), changed)
            level = self.level(record, record.values["framework"])
            if level is not None:
                set_relation(contribution, "level", level, changed)

        self.run("contributions", stored, child_key, make, assign)

    def plan(self) -> None:
        self.links()
        self.team()
        self.elements()
        PrerequisitePlanner(self).plan()
        self.software()
        self.contributions()


class PrerequisitePlanner:
    """A prerequisite is a UE (by its current or a past code) or a level of a competency."""

    def __init__(self, lists: ListPlanner) -> None:
        self.lists = lists
        self.state = lists.state
        self.planner = lists.planner

    def stored_key(self, prerequisite: Prerequisite) -> tuple[Any, ...] | None:
        if prerequisite.required_ue_id is not None:
            return ("ue", self.ue_codes.get(prerequisite.required_ue_id))
        found = self.state.competency_keys.get(prerequisite.competency_id or 0)
        return None if found is None else ("competency", *found)

    def child_key(self, record: Record) -> tuple[Any, ...] | None:
        values = record.values
        ue = values.get("required_ue")
        given = [name for name in ("framework", "competency", "level") if values.get(name)]
        if ue and not given:
            current = self.state.ue_code(ue)
            if current is None:
                self.planner.error(record, "required_ue", ue, unknown(("UE", "UE")))
                return None
            return ("ue", current)
        if not ue and len(given) == 3:
            framework, code = values["framework"], values["competency"]
            pk = self.lists.competency(record, framework, code)
            level = self.lists.level(record, framework)
            return None if pk is None or level is None else ("competency", framework, code)
        self.planner.error(
            record,
            "required_ue",
            ue or "",
            (
                "donnez soit une UE (required_ue), soit un référentiel, une compétence "
                "et un niveau",
                "give either a UE (required_ue), or a framework, a competency and a level",
            ),
        )
        return None

    def make(self, record: Record, offer: Offer) -> Prerequisite:
        key = self.child_key_quiet(record)
        if key[0] == "ue":
            return Prerequisite(offer=offer, required_ue=self.state.ues[key[1]])
        return Prerequisite(offer=offer, competency_id=self.state.competencies[key[1:]])

    def child_key_quiet(self, record: Record) -> tuple[Any, ...]:
        """The key of a record already checked by :meth:`child_key`."""
        ue = record.values.get("required_ue")
        if ue:
            return ("ue", self.state.ue_code(ue))
        return ("competency", record.values["framework"], record.values["competency"])

    def assign(self, prerequisite: Prerequisite, record: Record, changed: set[str]) -> None:
        set_plain(prerequisite, record, ("note",), changed)
        if record.values.get("level") is not None:
            level = self.state.levels[(record.values["framework"], record.values["level"])]
            set_relation(prerequisite, "min_level", level, changed)

    def plan(self) -> None:
        self.ue_codes = {ue.pk: code for code, ue in self.state.ues.items() if ue.pk is not None}
        self.lists.run(
            "prerequisites",
            lambda: self.lists.stored(Prerequisite, self.stored_key),
            self.child_key,
            self.make,
            self.assign,
        )
