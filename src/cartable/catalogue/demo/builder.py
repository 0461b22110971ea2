"""The steps that write the demo training offer (see :class:`TrainingCatalogueBuilder`)."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Model

from cartable.competencies import demo as competencies_demo
from cartable.competencies.demo import FrameworkData
from cartable.core.calendar import academic_year
from cartable.referential import api as referential
from cartable.referential.demo import PERSONAS

from ..models import (
    UE,
    Category,
    CompetencyContribution,
    ConstituentElement,
    Diploma,
    Offer,
    OfferProgramme,
    Prerequisite,
    Programme,
    Software,
    SoftwareNeed,
    TeachingAssignment,
    Track,
    UEAlias,
)
from . import texts
from .planner import People, Planner, UEPlan
from .tables import CATEGORIES, DIPLOMAS, SOFTWARE

BATCH = 1000
TEACHING_POPULATIONS = ("teacher_researcher", "contract_teacher")

Step = tuple[str, Callable[[], int]]


def _related(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name).related_model


def catalogue_exists() -> bool:
    return UE.objects.exists()


def totals() -> dict[str, int]:
    """What the training offer holds, for the build summary."""
    return {
        **competencies_demo.totals(),
        "diplomas": Diploma.objects.count(),
        "programmes": Programme.objects.count(),
        "UEs": UE.objects.count(),
        "UE aliases": UEAlias.objects.count(),
        "offers": Offer.objects.count(),
        "offers in draft or review": Offer.objects.filter(
            status__in=(Offer.Status.DRAFT, Offer.Status.IN_REVIEW)
        ).count(),
        "offer-programme links": OfferProgramme.objects.count(),
        "teaching assignments": TeachingAssignment.objects.count(),
        "constituent elements": ConstituentElement.objects.count(),
        "prerequisites": Prerequisite.objects.count(),
        "competency contributions": CompetencyContribution.objects.count(),
        "software": Software.objects.count(),
        "software needs": SoftwareNeed.objects.count(),
    }


class TrainingCatalogueBuilder:
    """Builds the demo training offer on top of the demo referential, step by step.

    The same seed, scale and day give the same catalogue (UUIDs included); the scale
    multiplies the number of UEs (about 300 at scale 1), the rest stays the same."""

    def __init__(self, *, seed: int = 2026, scale: float = 1.0, day: date | None = None) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.seed, self.scale = seed, scale
        self.day = day or referential.today()
        self.year = academic_year(self.day)
        self.previous = self.year - 1
        self.years = (self.previous, self.year)
        self.rng = random.Random(f"cartable-demo-catalogue:{seed}")
        self.frameworks: dict[str, FrameworkData] = {}
        self.categories: dict[str, Category] = {}
        self.software: dict[str, Software] = {}
        self.programmes: dict[tuple[str, int], Programme] = {}
        self.ues: dict[str, UE] = {}
        self.plans: list[UEPlan] = []
        self.offers: list[tuple[Offer, UEPlan]] = []
        self._people: People | None = None
        self._campuses: dict[str, int] | None = None

    def steps(self) -> list[Step]:
        return [
            ("Catégories d'UE et logiciels", self.build_reference),
            ("Référentiels de compétences", self.build_frameworks),
            ("Diplômes, formations, filières", self.build_programmes),
            ("UE et anciens codes", self.build_ues),
            ("Offres d'UE (deux années)", self.build_offers),
            ("Rattachements et équipes", self.build_links_and_teams),
            ("Syllabus, compétences, logiciels", self.build_details),
        ]

    def build(self) -> dict[str, int]:
        return {label: step() for label, step in self.steps()}

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # --- who and where -----------------------------------------------------------------------

    @property
    def people(self) -> People:
        if self._people is None:
            self._people = self._load_people()
        return self._people

    def _load_people(self) -> People:
        """Teachers with a contract in force, by structure (through the referential's API)."""
        structures_of: dict[str, set[str]] = defaultdict(set)
        permanent_in: dict[str, set[str]] = defaultdict(set)
        for person_uuid, facts in referential.facts_for(None, self.day).items():
            for contract in facts.contracts:
                if contract.population_code in TEACHING_POPULATIONS:
                    structures_of[str(person_uuid)].add(contract.structure_code)
                    if contract.population_code == "teacher_researcher":
                        permanent_in[str(person_uuid)].add(contract.structure_code)
        person_model = _related(Offer, "responsible")
        keys: dict[str, tuple[int, str]] = {
            str(u): (pk, login or "")
            for u, pk, login in person_model.objects.values_list("uuid", "pk", "login")
        }
        persona_logins = {p.login for p in PERSONAS}
        personas = {login: pk for pk, login in keys.values() if login in persona_logins}
        teachers: dict[str, list[int]] = defaultdict(list)
        permanent: dict[str, list[int]] = defaultdict(list)
        everyone: list[int] = []
        for key in sorted(structures_of):
            pk, login = keys[key]
            if login in persona_logins:
                continue
            everyone.append(pk)
            for code in sorted(structures_of[key]):
                teachers[code].append(pk)
            for code in sorted(permanent_in[key]):
                permanent[code].append(pk)
        if not everyone:
            raise LookupError("no teacher under contract: build the demo referential first")
        return People(dict(teachers), dict(permanent), everyone, personas)

    @property
    def campuses(self) -> dict[str, int]:
        if self._campuses is None:
            campus_model = _related(Offer, "campus")
            self._campuses = dict(campus_model.objects.values_list("code", "pk"))
        return self._campuses

    # --- steps -------------------------------------------------------------------------------

    def build_reference(self) -> int:
        categories = [
            Category(code=code, label=label, label_en=label_en, description=text, position=i)
            for i, (code, label, label_en, text) in enumerate(CATEGORIES, start=1)
        ]
        Category.objects.bulk_create(categories)
        self.categories = {c.code: c for c in categories}
        software = [
            Software(
                code=code,
                name=name,
                publisher=publisher,
                licence=licence,
                url=url,
                description=f"Modes d'accès possibles : {', '.join(modes)}.",
            )
            for code, name, publisher, licence, modes, url in SOFTWARE
        ]
        Software.objects.bulk_create(software)
        self.software = {s.code: s for s in software}
        return len(categories) + len(software)

    def build_frameworks(self) -> int:
        self.frameworks = competencies_demo.build_frameworks(self.year)
        return sum(1 + len(f.competencies) for f in self.frameworks.values())

    def build_programmes(self) -> int:
        structure_model = _related(Diploma, "structure")
        structures = dict(structure_model.objects.values_list("code", "pk"))
        diplomas = [
            Diploma(
                code=spec.code,
                kind=spec.kind,
                title=spec.title,
                title_en=spec.title_en,
                rncp_code=spec.rncp,
                structure_id=structures.get(spec.structure),
            )
            for spec in DIPLOMAS
        ]
        Diploma.objects.bulk_create(diplomas)
        people = self.people
        programmes: list[Programme] = []
        for spec, diploma in zip(DIPLOMAS, diplomas, strict=True):
            if spec.programme == "INFO" and "resp-formation" in people.personas:
                head = people.personas["resp-formation"]
            else:
                head = self.rng.choice(people.pool(spec.structure, permanent=True))
            for year in self.years:
                programme = Programme(
                    diploma=diploma,
                    year=year,
                    code=spec.programme,
                    cycle=spec.cycle,
                    title=spec.programme_title,
                    title_en=spec.programme_title_en,
                    description=(
                        f"{spec.title}. Formation de l'UTBM, catalogue {year}-{year + 1}."
                    ),
                    description_en=f"{spec.title_en}. UTBM programme, catalogue {year}-{year + 1}.",
                    campus_id=self.campuses.get(spec.campus),
                    head_id=head,
                    framework_id=self.frameworks[spec.code].id,
                )
                programmes.append(programme)
                self.programmes[(spec.programme, year)] = programme
        Programme.objects.bulk_create(programmes)
        tracks = [
            Track(programme=self.programmes[(spec.programme, year)], code=c, title=t, title_en=e)
            for spec in DIPLOMAS
            for year in self.years
            for c, t, e in spec.tracks
        ]
        Track.objects.bulk_create(tracks)
        return len(diplomas) + len(programmes) + len(tracks)

    def build_ues(self) -> int:
        planner = Planner(
            self.rng,
            scale=self.scale,
            year=self.year,
            people=self.people,
            frameworks=self.frameworks,
        )
        self.plans = planner.plan()
        ues = [UE(code=plan.code) for plan in self.plans]
        UE.objects.bulk_create(ues, batch_size=BATCH)
        self.ues = {ue.code: ue for ue in ues}
        aliases = [
            UEAlias(ue=self.ues[plan.code], code=plan.alias[0], until_year=plan.alias[1])
            for plan in self.plans
            if plan.alias
        ]
        UEAlias.objects.bulk_create(aliases, batch_size=BATCH)
        return len(ues) + len(aliases)

    def _published_at(self, year: int, month: int = 6) -> datetime:
        start = datetime(year, month, 2, 8, 0, tzinfo=UTC)
        return start + timedelta(days=self.rng.randint(0, 25), minutes=self.rng.randint(0, 600))

    def _offer(self, plan: UEPlan, year: int, **values: Any) -> Offer:
        syllabus = plan.syllabus
        cm, td, tp, personal = plan.hours
        groups_cm, groups_td, groups_tp = plan.groups
        responsible = plan.responsible if year == self.year else plan.previous_responsible
        offer = Offer(
            uuid=self._uuid(),
            ue=self.ues[plan.code],
            year=year,
            title=plan.title,
            title_en=plan.title_en,
            objectives=syllabus.objectives,
            objectives_en=syllabus.objectives_en,
            content=syllabus.content,
            content_en=syllabus.content_en,
            assessment=syllabus.assessment,
            assessment_en=syllabus.assessment_en,
            bibliography=syllabus.bibliography,
            credits=plan.credits,
            language=plan.language,
            semesters=plan.semesters,
            campus_id=self.campuses.get(plan.campus),
            hours_cm=cm,
            hours_td=td,
            hours_tp=tp,
            hours_personal=personal,
            capacity=plan.capacity,
            groups_cm=groups_cm,
            groups_td=groups_td,
            groups_tp=groups_tp,
            room_needs=plan.room,
            responsible_id=responsible,
            **values,
        )
        offer.update_search_fields()
        return offer

    def _revised(self, first: Offer, plan: UEPlan, status: str, **values: Any) -> Offer:
        note, note_en = self.rng.choice(texts.REVISIONS)
        offer = self._offer(plan, first.year, version=2, status=status, supersedes=first, **values)
        offer.objectives = f"{offer.objectives}\n\n{note}"
        offer.objectives_en = f"{offer.objectives_en}\n\n{note_en}"
        offer.update_search_fields()
        return offer

    def build_offers(self) -> int:
        published = Offer.Status.PUBLISHED
        firsts: list[tuple[Offer, UEPlan]] = []
        for plan in self.plans:
            for year in plan.years:
                archived = year == self.previous and plan.revision == "republished"
                status = Offer.Status.ARCHIVED if archived else published
                offer = self._offer(
                    plan, year, version=1, status=status, published_at=self._published_at(year)
                )
                firsts.append((offer, plan))
        Offer.objects.bulk_create([o for o, _p in firsts], batch_size=BATCH)
        seconds: list[tuple[Offer, UEPlan]] = []
        for first, plan in firsts:
            if first.status == Offer.Status.ARCHIVED:
                when = self._published_at(self.previous, month=11)
                seconds.append((self._revised(first, plan, published, published_at=when), plan))
            elif first.year == self.year and plan.revision in {"draft", "in_review"}:
                seconds.append((self._revised(first, plan, plan.revision), plan))
        Offer.objects.bulk_create([o for o, _p in seconds], batch_size=BATCH)
        self.offers = firsts + seconds
        return len(self.offers)

    def build_links_and_teams(self) -> int:
        links = [
            OfferProgramme(
                offer=offer,
                programme=self.programmes[(programme, offer.year)],
                category=self.categories[category],
            )
            for offer, plan in self.offers
            for programme, category in plan.links
        ]
        team = [
            TeachingAssignment(
                offer=offer,
                # The lead lecturer is the year's responsible (it may change between years).
                person_id=(
                    (offer.responsible_id or a.person)
                    if a.person == plan.responsible and a.activity == "cm"
                    else a.person
                ),
                activity=a.activity,
                hours=a.hours,
            )
            for offer, plan in self.offers
            for a in plan.team
        ]
        team = list({(t.offer.uuid, t.person_id, t.activity): t for t in team}.values())
        return self._save(OfferProgramme, links) + self._save(TeachingAssignment, team)

    def build_details(self) -> int:
        elements: list[ConstituentElement] = []
        prerequisites: list[Prerequisite] = []
        contributions: list[CompetencyContribution] = []
        needs: list[SoftwareNeed] = []
        for offer, plan in self.offers:
            elements += [
                ConstituentElement(
                    offer=offer,
                    code=e.code,
                    title=e.title,
                    title_en=e.title_en,
                    hours=e.hours,
                    weight=e.weight,
                    position=position,
                )
                for position, e in enumerate(plan.elements, start=1)
            ]
            prerequisites += [
                Prerequisite(offer=offer, required_ue=self.ues[code]) for code in plan.prerequisites
            ]
            if plan.competency_prerequisite:
                competency, level, note = plan.competency_prerequisite
                prerequisites.append(
                    Prerequisite(
                        offer=offer, competency_id=competency, min_level_id=level, note=note
                    )
                )
            contributions += [
                CompetencyContribution(
                    offer=offer, competency_id=competency, level_id=level, weight=weight
                )
                for competency, level, weight in plan.contributions
            ]
            needs += [
                SoftwareNeed(offer=offer, software=self.software[code], mode=mode, note=note)
                for code, mode, note in plan.needs
            ]
        return (
            self._save(ConstituentElement, elements)
            + self._save(Prerequisite, prerequisites)
            + self._save(CompetencyContribution, contributions)
            + self._save(SoftwareNeed, needs)
        )

    @staticmethod
    def _save(model: type[Model], rows: Iterable[Model]) -> int:
        rows = list(rows)
        model._default_manager.bulk_create(rows, batch_size=BATCH)
        return len(rows)
