"""Plans of the demo UEs, in plain Python: codes, titles, programmes, hours, team, needs,
prerequisites and competencies. :mod:`.builder` turns the plans into rows."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cartable.competencies.demo import CompetencyData, FrameworkData

from . import texts
from .domains import DOMAINS, TOPIC_PREFIXES, Domain, Topic
from .tables import ALL_PROGRAMMES, CAMPUSES, DIPLOMAS, INTERNSHIPS, SOFTWARE

UES_AT_SCALE_1 = 300
MINIMUM_UES = 60
ALIAS_SHARE = 0.10
RETIRED_SHARE, NEW_SHARE = 0.04, 0.04
#: Shares of current-year UEs with a second version in draft / in review.
DRAFT_SHARE, REVIEW_SHARE = 0.04, 0.02
#: Share of previous-year UEs republished in a second version (the first one archived).
REPUBLISHED_SHARE = 0.03
#: Categories each programme should show, in order of preference.
WANTED_CATEGORIES = ("CS", "TM", "EC", "OM", "QC", "ST")
#: Competencies of each framework that no offer develops (so the gap report shows some).
UNREACHED_PER_FRAMEWORK = 2

PROGRAMME_DIPLOMA = {d.programme: d.code for d in DIPLOMAS}
PROGRAMME_STRUCTURE = {d.programme: d.structure for d in DIPLOMAS}
PROGRAMME_CAMPUS = {d.programme: d.campus for d in DIPLOMAS}
SOFTWARE_MODES = {code: modes for code, _n, _p, _l, modes, _u in SOFTWARE}


@dataclass
class People:
    """Teachers of the referential (primary keys), by structure, and the demo personas."""

    teachers: dict[str, list[int]]
    permanent: dict[str, list[int]]
    everyone: list[int]
    personas: dict[str, int]

    def pool(self, structure: str, *, permanent: bool = False) -> list[int]:
        source = self.permanent if permanent else self.teachers
        return source.get(structure) or self.teachers.get(structure) or self.everyone


@dataclass
class Assignment:
    person: int
    activity: str
    hours: Decimal


@dataclass
class Element:
    code: str
    title: str
    title_en: str
    hours: Decimal
    weight: Decimal


@dataclass(eq=False)  # compared by identity: plans are many and mutable
class UEPlan:
    """Everything about one UE, the same in both catalogue years unless said otherwise."""

    code: str
    kind: str
    domain: Domain | None
    tens: int
    title: str
    title_en: str
    syllabus: texts.Syllabus
    links: list[tuple[str, str]]
    credits: Decimal
    semesters: str
    campus: str
    language: str
    hours: tuple[Decimal, Decimal, Decimal, Decimal]
    capacity: int | None
    groups: tuple[int, int, int]
    room: str
    structure: str
    years: tuple[int, ...]
    alias: tuple[str, int] | None = None
    responsible: int | None = None
    previous_responsible: int | None = None
    team: list[Assignment] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    needs: list[tuple[str, str, str]] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    competency_prerequisite: tuple[int, int, str] | None = None
    contributions: list[tuple[int, int, Decimal]] = field(default_factory=list)
    revision: str = ""  # "draft", "in_review" (current year) or "republished" (previous)


def _d(value: float) -> Decimal:
    return Decimal(str(value))


class Planner:
    """Plans the demo UEs for a seed and a scale (see :meth:`plan`)."""

    def __init__(
        self,
        rng: random.Random,
        *,
        scale: float,
        year: int,
        people: People,
        frameworks: dict[str, FrameworkData],
    ) -> None:
        self.rng, self.scale, self.year = rng, scale, year
        self.previous = year - 1
        self.people, self.frameworks = people, frameworks
        self.taken: set[str] = {code for code, *_ in INTERNSHIPS}
        self.occurrences: Counter[tuple[str, str, bool]] = Counter()
        self.unreached: set[int] = set()
        for data in frameworks.values():
            self.unreached |= {c.id for c in rng.sample(data.competencies, UNREACHED_PER_FRAMEWORK)}

    # --- the whole plan ---------------------------------------------------------------------

    def plan(self) -> list[UEPlan]:
        total = max(MINIMUM_UES, round(UES_AT_SCALE_1 * self.scale))
        plans = [self._internship(*row) for row in INTERNSHIPS]
        weights = {d.key: d.weight for d in DOMAINS}
        while len(plans) < total and weights:
            keys = sorted(weights)
            key = self.rng.choices(keys, weights=[weights[k] for k in keys])[0]
            domain = next(d for d in DOMAINS if d.key == key)
            plan = self._ue(domain)
            if plan is None:
                del weights[key]  # every code of the domain is taken
            else:
                plans.append(plan)
        plans.sort(key=lambda p: p.code)
        self._cover_categories(plans)
        for plan in plans:
            self._lifetime(plan)
            self._team(plan)
            self._contributions(plan)
        self._prerequisites(plans)
        self._aliases(plans)
        self._cover_modes(plans)
        self._personas(plans)
        self._revisions(plans)
        return plans

    # --- one UE -----------------------------------------------------------------------------

    def _free_code(
        self, domain: Domain, tens_options: list[int], prefix: str = ""
    ) -> tuple[str, int] | None:
        """A code not yet taken: with ``prefix`` and the tens digits asked first, then any other
        prefix and tens digit of the domain, then tens digits outside the domain's range."""
        natural = [t for t in domain.tens if t not in tens_options]
        self.rng.shuffle(natural)
        extended = [t for t in range(10) if t not in domain.tens and t not in tens_options]
        extended.sort(key=lambda t: abs(t - max(domain.tens)))
        preferred = [(prefix,), domain.prefixes] if prefix else [domain.prefixes]
        for tens in (*tens_options, *natural, *extended):
            for prefixes in preferred:
                candidates = [
                    f"{p}{tens}{unit}"
                    for p in prefixes
                    for unit in range(10)
                    if (tens, unit) != (0, 0) and f"{p}{tens}{unit}" not in self.taken
                ]
                if candidates:
                    code = self.rng.choice(candidates)
                    self.taken.add(code)
                    return code, tens
        return None

    def _ue(self, domain: Domain) -> UEPlan | None:
        """A UE of the domain; its code's prefix follows its topic (LO for software…)."""
        rng = self.rng
        index = rng.randrange(len(domain.topics))
        prefix = TOPIC_PREFIXES[domain.key][index]
        found = self._free_code(domain, [rng.choice(domain.tens)], prefix)
        if found is None:
            return None
        code, tens = found
        band = domain.low if tens <= 2 and domain.low else domain.high or domain.low
        links = self._links(domain, band)
        if domain.kind == "language":  # the prefix names the language
            index = domain.prefixes.index(code[:2]) % len(domain.topics)
        topic = domain.topics[index]
        key = (domain.key, topic[0], tens <= 2)
        title, title_en = texts.title(topic, tens, self.occurrences[key], domain.kind)
        self.occurrences[key] += 1
        credits = self._credits(domain.kind)
        hours = self._hours(domain, credits)
        capacity = self._capacity(domain.kind, tens)
        primary = links[0][0]
        plan = UEPlan(
            code=code,
            kind=domain.kind,
            domain=domain,
            tens=tens,
            title=title,
            title_en=title_en,
            syllabus=texts.syllabus(rng, domain, topic, tens, lab=bool(hours[2])),
            links=links,
            credits=credits,
            semesters=self._semesters(domain.kind),
            campus=self._campus(primary),
            language=self._language(code, primary, tens),
            hours=hours,
            capacity=capacity,
            groups=(
                0 if not hours[0] else (1 if capacity <= 150 else 2),
                math.ceil(capacity / 32) if hours[1] else 0,
                math.ceil(capacity / 16) if hours[2] else 0,
            ),
            room=domain.room if hours[2] else "",
            structure=domain.structure or PROGRAMME_STRUCTURE[primary],
            years=(self.previous, self.year),
        )
        plan.elements = self._elements(plan, topic)
        plan.needs = self._needs(domain)
        return plan

    def _internship(
        self, code: str, title: str, title_en: str, programme: str, credits: int, tens: int
    ) -> UEPlan:
        weeks = 6 if credits < 30 else 24
        return UEPlan(
            code=code,
            kind="internship",
            domain=None,
            tens=tens,
            title=title,
            title_en=title_en,
            syllabus=texts.internship(title, title_en, weeks),
            links=[(programme, "ST")],
            credits=Decimal(credits),
            semesters="AP",
            campus=PROGRAMME_CAMPUS[programme],
            language="fr",
            hours=(Decimal(0), Decimal(0), Decimal(0), Decimal(0)),
            capacity=None,
            groups=(0, 0, 0),
            room="",
            structure=PROGRAMME_STRUCTURE[programme],
            years=(self.previous, self.year),
        )

    def _links(self, domain: Domain, band: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
        rng = self.rng
        if domain.kind in {"language", "communication", "management", "culture"}:
            count = rng.randint(min(2, len(band)), min(5, len(band)))
            chosen = rng.sample(band, count)
        else:
            chosen = [rng.choice(band)]
            if len(band) > 1 and rng.random() < 0.3:
                chosen.append(rng.choice([b for b in band if b[0] != chosen[0][0]]))
        seen: dict[str, str] = {}
        for programme, category in chosen:
            seen.setdefault(programme, category)
        return list(seen.items())

    def _credits(self, kind: str) -> Decimal:
        rng = self.rng
        options: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
            "language": ((4, 3, 2), (6, 3, 1)),
            "communication": ((4, 3), (2, 1)),
            "management": ((4, 6), (3, 2)),
            "culture": ((4, 6), (4, 1)),
            "project": ((2, 3, 4, 6), (2, 2, 3, 1)),
        }
        values, weights = options.get(kind, ((6, 4), (17, 3)))
        return Decimal(rng.choices(values, weights=weights)[0])

    def _hours(self, domain: Domain, credits: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        rng, factor = self.rng, float(credits) / 6
        cm, td, tp = domain.hours
        if domain.kind == "science" and not tp and rng.random() < 0.2:
            tp = 8
        values = []
        for base in (cm, td, tp):
            if not base:
                values.append(0)
                continue
            value = round(base * factor / 2) * 2 + rng.choice((-4, -2, 0, 0, 0, 2, 4))
            values.append(max(2, value))
        personal = max(int(credits) * 8, int(credits) * 25 - sum(values))
        return (_d(values[0]), _d(values[1]), _d(values[2]), _d(personal))

    def _capacity(self, kind: str, tens: int) -> int:
        choices = {
            "language": (60, 90, 120),
            "project": (8, 12, 16, 24),
        }.get(kind) or ((96, 120, 144, 192, 240) if tens <= 2 else (24, 36, 48, 60, 72, 96))
        return self.rng.choice(choices)

    def _semesters(self, kind: str) -> str:
        both = 0.4 if kind == "language" else 0.1
        value = self.rng.random()
        return "AP" if value < both else ("A" if value < (1 + both) / 2 else "P")

    def _campus(self, programme: str) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            return rng.choice(CAMPUSES)
        if programme == "TC":
            return rng.choice(("belfort", "sevenans"))
        return PROGRAMME_CAMPUS[programme]

    def _language(self, code: str, programme: str, tens: int) -> str:
        special = {"LE": "en", "LA": "de", "LF": "fr"}.get(code[:2])
        if special:
            return special
        english = 0.4 if programme.startswith("M-") else (0.1 if tens >= 3 else 0.0)
        value = self.rng.random()
        if value < english:
            return "en"
        return "fr-en" if value < english + 0.03 and tens >= 3 else "fr"

    def _elements(self, plan: UEPlan, topic: Topic) -> list[Element]:
        if plan.kind in {"language", "culture", "communication"} or self.rng.random() < 0.45:
            return []
        cm, td, tp, _personal = plan.hours
        if plan.kind == "project":
            parts = [
                ("Conduite de projet", "Project management", td, "0.4"),
                ("Réalisation", "Implementation", Decimal(0), "0.6"),
            ]
        elif tp:
            parts = [
                ("Cours et travaux dirigés", "Lectures and tutorials", cm + td, "0.6"),
                ("Travaux pratiques", "Lab work", tp, "0.4"),
            ]
        else:
            fr, en = texts.chapters(topic)
            half = ((cm + td) / 2).quantize(Decimal("0.1"))
            parts = [
                (f"{fr[0]} et {fr[1].lower()}", f"{en[0]} and {en[1].lower()}", half, "0.5"),
                (f"{fr[2]} et {fr[3].lower()}", f"{en[2]} and {en[3].lower()}", half, "0.5"),
            ]
        return [
            Element(f"{plan.code}-{i}", title, title_en, hours, Decimal(weight))
            for i, (title, title_en, hours, weight) in enumerate(parts, start=1)
        ]

    def _needs(self, domain: Domain) -> list[tuple[str, str, str]]:
        rng = self.rng
        if not domain.software or rng.random() >= domain.software_share:
            return []
        count = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        needs = []
        for software in rng.sample(domain.software, min(count, len(domain.software))):
            modes = SOFTWARE_MODES[software]
            mode = modes[0] if len(modes) == 1 or rng.random() < 0.6 else rng.choice(modes)
            needs.append((software, mode, rng.choice(texts.SOFTWARE_NOTES[mode])))
        return needs

    # --- across UEs -------------------------------------------------------------------------

    def _cover_categories(self, plans: list[UEPlan]) -> None:
        """Make sure every programme counts UEs in several categories (small scales)."""
        by_category: dict[str, list[UEPlan]] = defaultdict(list)
        for plan in plans:
            for _programme, category in plan.links[:1]:
                by_category[category].append(plan)
        for programme in ALL_PROGRAMMES:
            held = {c for p in plans for prog, c in p.links if prog == programme}
            for category in WANTED_CATEGORIES:
                if category in held or not by_category[category]:
                    continue
                candidates = [
                    p
                    for p in by_category[category]
                    if category != "ST" and all(prog != programme for prog, _c in p.links)
                ]
                if candidates:
                    self.rng.choice(candidates).links.append((programme, category))
                    held.add(category)

    def _lifetime(self, plan: UEPlan) -> None:
        if plan.kind == "internship":
            return
        value = self.rng.random()
        if value < RETIRED_SHARE:
            plan.years = (self.previous,)
        elif value < RETIRED_SHARE + NEW_SHARE:
            plan.years = (self.year,)

    def _team(self, plan: UEPlan) -> None:
        rng, people = self.rng, self.people
        permanent = rng.random() < 0.85
        plan.responsible = rng.choice(people.pool(plan.structure, permanent=permanent))
        plan.previous_responsible = plan.responsible
        if rng.random() < 0.1:
            plan.previous_responsible = rng.choice(people.pool(plan.structure))
        if plan.kind == "internship":
            return
        cm, td, tp, _personal = plan.hours
        groups_cm, groups_td, groups_tp = plan.groups
        if cm:
            plan.team.append(Assignment(plan.responsible, "cm", cm * groups_cm))
        others = [p for p in people.pool(plan.structure) if p != plan.responsible]
        for activity, hours, groups in (("td", td, groups_td), ("tp", tp, groups_tp)):
            if not groups:
                continue
            helpers = min(groups, rng.randint(1, 3))
            chosen = rng.sample(others, min(helpers, len(others))) or [plan.responsible]
            for index, person in enumerate(chosen):
                share = groups // len(chosen) + (1 if index < groups % len(chosen) else 0)
                plan.team.append(Assignment(person, activity, hours * share))

    def _competencies(self, diploma: str, kinds: tuple[str, ...]) -> list[CompetencyData]:
        data = self.frameworks[diploma]
        pool = [
            c for c in data.competencies if c.block_kind in kinds and c.id not in self.unreached
        ]
        return pool or [c for c in data.competencies if c.id not in self.unreached]

    def _contributions(self, plan: UEPlan) -> None:
        rng = self.rng
        if plan.kind in {"science", "technical"}:
            kinds: tuple[str, ...] = ("technical",)
        elif plan.kind in {"project", "internship"}:
            kinds = ("technical", "transversal")
        else:
            kinds = ("transversal",)
        diplomas = list(dict.fromkeys(PROGRAMME_DIPLOMA[p] for p, _c in plan.links))
        count = max(len(diplomas), rng.choices((1, 2, 3, 4), weights=(3, 4, 2, 1))[0])
        if plan.kind == "internship":
            ranks: tuple[int, ...] = (3, 4)
        elif plan.tens <= 2:
            ranks = (1, 1, 2)
        elif plan.tens <= 4:
            ranks = (2, 2, 3)
        else:
            ranks = (3, 3, 4)
        chosen: dict[int, tuple[int, int, Decimal]] = {}
        for index in range(min(count, 4)):
            diploma = diplomas[index % len(diplomas)]
            competency = rng.choice(self._competencies(diploma, kinds))
            level = self.frameworks[diploma].level_ids[rng.choice(ranks)]
            weight = Decimal(rng.choice(("0.5", "1", "1", "1.5", "2")))
            chosen.setdefault(competency.id, (competency.id, level, weight))
        plan.contributions = list(chosen.values())

    def _prerequisites(self, plans: list[UEPlan]) -> None:
        """Only towards UEs of a lower tens digit: the prerequisite graph has no cycle."""
        rng = self.rng
        by_domain: dict[str, list[UEPlan]] = defaultdict(list)
        for plan in plans:
            if plan.domain is not None and self.year in plan.years:
                by_domain[plan.domain.key].append(plan)
        internships = {p.code: p for p in plans if p.kind == "internship"}
        for plan in plans:
            if plan.kind == "internship":
                assistant = f"ST4{plan.code[3]}"
                if plan.code.startswith("ST5") and assistant in internships:
                    plan.prerequisites.append(assistant)
                continue
            if plan.domain is None or plan.tens < 3 or rng.random() >= 0.55:
                continue
            domains = (plan.domain.key, *plan.domain.prerequisite_domains)
            candidates = [
                other.code
                for key in domains
                for other in by_domain[key]
                if other.tens < plan.tens and other.code != plan.code
            ]
            if candidates:
                plan.prerequisites = sorted(
                    rng.sample(candidates, min(len(candidates), rng.randint(1, 2)))
                )
            if plan.kind == "technical" and rng.random() < 0.08:
                diploma = PROGRAMME_DIPLOMA[plan.links[0][0]]
                competency = rng.choice(self._competencies(diploma, ("technical",)))
                level = self.frameworks[diploma].level_ids[2]
                plan.competency_prerequisite = (
                    competency.id,
                    level,
                    "Niveau intermédiaire attendu à l'entrée dans l'UE.",
                )

    def _aliases(self, plans: list[UEPlan]) -> None:
        rng = self.rng
        for plan in plans:
            if plan.domain is None or rng.random() >= ALIAS_SHARE:
                continue
            for domain in (plan.domain, *DOMAINS):
                found = self._free_code(domain, [plan.tens])
                if found is not None:
                    plan.alias = (found[0], self.previous - rng.randint(1, 4))
                    break

    def _cover_modes(self, plans: list[UEPlan]) -> None:
        """Make sure the three access modes appear, whatever the scale."""
        held = {mode for plan in plans for _s, mode, _n in plan.needs}
        technical = [p for p in plans if p.kind in {"science", "technical"}]
        for mode in ("byod", "virtualised", "lab"):
            if mode in held or not technical:
                continue
            plan = technical[len(held) % len(technical)]
            plan.needs = [n for n in plan.needs if n[0] != "matlab"]
            plan.needs.append(("matlab", mode, texts.SOFTWARE_NOTES[mode][0]))
            held.add(mode)

    def _personas(self, plans: list[UEPlan]) -> None:
        """``resp-ue`` coordinates several INFO UEs; ``enseignant`` teaches in a few."""
        personas = self.people.personas
        both = [p for p in plans if len(p.years) == 2 and p.kind in {"technical", "science"}]
        in_info = [p for p in both if any(prog == "INFO" for prog, _c in p.links)]
        own = [p for p in in_info if p.structure == "INFO"]
        pool = self.rng.sample(own, len(own))
        pool += [p for p in in_info if p not in own] + [p for p in both if p not in in_info]
        coordinated, taught = pool[:5], pool[5:9]
        if "resp-ue" in personas:
            for plan in coordinated:
                plan.responsible = plan.previous_responsible = personas["resp-ue"]
                plan.team = [
                    Assignment(personas["resp-ue"], a.activity, a.hours)
                    if a.activity == "cm"
                    else a
                    for a in plan.team
                ]
            if coordinated:
                coordinated[0].revision = "draft"
            if len(coordinated) > 1:
                coordinated[1].revision = "in_review"
        if "enseignant" in personas:
            teacher = personas["enseignant"]
            for plan in taught:
                plan.team = [a for a in plan.team if a.person != teacher]
                activity = "tp" if plan.hours[2] else "td"
                hours = plan.hours[2] or plan.hours[1]
                plan.team.append(Assignment(teacher, activity, hours))

    def _revisions(self, plans: list[UEPlan]) -> None:
        rng = self.rng
        for plan in plans:
            if plan.revision or plan.kind == "internship":
                continue
            value = rng.random()
            if self.year in plan.years and value < DRAFT_SHARE:
                plan.revision = "draft"
            elif self.year in plan.years and value < DRAFT_SHARE + REVIEW_SHARE:
                plan.revision = "in_review"
            elif self.previous in plan.years and value > 1 - REPUBLISHED_SHARE:
                plan.revision = "republished"
