"""The steps that build the demo referential (see :class:`CampusBuilder`)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from .. import api
from ..models import (
    Campus,
    Contract,
    Function,
    Group,
    GroupMembership,
    Person,
    Population,
    Structure,
)
from .identities import Identities
from .tables import (
    CAMPUSES,
    COHORTS,
    DEMO_PASSWORD,
    ENDED,
    ENDING_SOON,
    ENDING_SOON_SHARE,
    FORMER_STUDENTS,
    MINIMUM_STAFF,
    PERMANENT_SHARE,
    PERSONAS,
    POPULATIONS,
    PROGRAMMES,
    RULE_GROUPS,
    STAFFING,
    STATIC_GROUPS,
    STRUCTURES,
    TITLES,
    Cohort,
)

BATCH = 1000

Step = tuple[str, Callable[[], int]]


def academic_year(day: date) -> tuple[date, date]:
    """The academic year containing ``day``: 1 September → 31 August."""
    first = day.year if day.month >= 9 else day.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def campus_exists() -> bool:
    """Whether the referential already holds persons (``--if-absent`` does nothing then)."""
    return Person.objects.exists()


def totals() -> dict[str, int]:
    """What the referential holds, for the build summary."""
    day = api.today()
    in_force = Contract.objects.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    learners = Q(population__code__in=("student", "apprentice"))
    return {
        "campuses": Campus.objects.count(),
        "structures": Structure.objects.count(),
        "populations": Population.objects.count(),
        "persons": Person.objects.count(),
        "accounts": Person.objects.filter(user__isnull=False).count(),
        "contracts": Contract.objects.count(),
        "students registered today": _people(in_force.filter(learners)),
        "staff under contract today": _people(in_force.exclude(learners)),
        "functions": Function.objects.count(),
        "groups": Group.objects.count(),
        "group memberships": GroupMembership.objects.count(),
    }


def _people(contracts: QuerySet[Contract]) -> int:
    return contracts.values("person").distinct().count()


def totp_key(seed: int, login: str) -> str:
    """Hex TOTP key (20 bytes) of a demo persona: derived, so every build gives the same one.

    This is a demonstration secret, printed by ``demo_logins``; real devices get random keys."""
    return hashlib.sha256(f"cartable-demo-totp:{seed}:{login}".encode()).hexdigest()[:40]


def _scaled(count: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(count * scale))


@dataclass
class _Member:
    """A person of the build with the contract that places them (to pick functions)."""

    person: Person
    population: str
    structure: str
    in_force: bool


class CampusBuilder:
    """Builds the demo referential step by step (see :meth:`steps`)."""

    def __init__(self, *, seed: int = 2026, scale: float = 1.0, day: date | None = None) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.seed, self.scale = seed, scale
        self.day = day or api.today()
        self.year_start, self.year_end = academic_year(self.day)
        self.rng = random.Random(seed)
        fake = Faker("fr_FR")
        fake.seed_instance(seed)
        taken = set(get_user_model().objects.values_list("username", flat=True))
        taken |= {p.login for p in PERSONAS}
        self.ids = Identities(self.rng, fake, self.day, taken)
        self.campuses: dict[str, Campus] = {}
        self.structures: dict[str, Structure] = {}
        self.populations: dict[str, Population] = {}
        self.members: list[_Member] = []
        self.students: list[Person] = []
        self.personas: dict[str, Person] = {}
        self.head_of: dict[str, Person] = {}

    def steps(self) -> list[Step]:
        return [
            ("Campus et structures", self.build_structures),
            ("Populations", self.build_populations),
            ("Comptes de démonstration", self.build_personas),
            ("Étudiants et apprentis", self.build_students),
            ("Personnels, hébergés, extérieurs", self.build_staff),
            ("Fonctions", self.build_functions),
            ("Groupes et appartenances", self.build_groups),
        ]

    def build(self) -> dict[str, int]:
        return {label: step() for label, step in self.steps()}

    # --- structure -------------------------------------------------------------------------

    def build_structures(self) -> int:
        for code, name, city, address in CAMPUSES:
            self.campuses[code] = Campus.objects.create(
                code=code, name=name, city=city, address=address
            )
        for code, parent, kind, name, name_en, acronym, campus in STRUCTURES:
            self.structures[code] = Structure.objects.create(
                code=code,
                parent=self.structures[parent] if parent else None,
                kind=kind,
                name=name,
                name_en=name_en,
                acronym=acronym,
                campus=self.campuses[campus],
            )
        return len(CAMPUSES) + len(STRUCTURES)

    def build_populations(self) -> int:
        for code, label, label_en, kind, affiliations, grace in POPULATIONS:
            self.populations[code] = Population.objects.create(
                code=code,
                label=label,
                label_en=label_en,
                kind=kind,
                eduperson_affiliations=affiliations,
                grace_days=grace,
            )
        return len(POPULATIONS)

    # --- persons ---------------------------------------------------------------------------

    def _save(self, persons: Sequence[Person], contracts: Sequence[Contract]) -> int:
        users = [p.user for p in persons if p.user is not None]
        # bulk_create fills each object's primary key, which the next insert picks up.
        get_user_model().objects.bulk_create(users, batch_size=BATCH)
        Person.objects.bulk_create(persons, batch_size=BATCH)
        Contract.objects.bulk_create(contracts, batch_size=BATCH)
        return len(persons)

    def _contract(
        self,
        reference: str,
        person: Person,
        population: str,
        structure: str,
        start: date,
        end: date | None,
        **extra: Any,
    ) -> Contract:
        node = self.structures[structure]
        campus = extra.pop("campus", None) or node.campus
        return Contract(
            uuid=self.ids.uuid(),
            reference=reference,
            person=person,
            population=self.populations[population],
            structure=node,
            campus=campus,
            start_date=start,
            end_date=end,
            **extra,
        )

    def _registrations(
        self,
        person: Person,
        cohort: Cohort,
        level: str,
        campus: str,
        start: date,
        end: date,
    ) -> list[Contract]:
        """A registration for the year starting ``start`` and the previous ones of the cursus."""
        rank = int(level[-1])
        first_level = level[:-1]
        result = []
        for back in range(min(rank, 3)):
            year = start.year - back
            result.append(
                self._contract(
                    f"PEG-{year}-{person.student_number}",
                    person,
                    cohort.population,
                    cohort.structure,
                    date(year, 9, 1),
                    end if back == 0 else date(year + 1, 8, 31),
                    campus=self.campuses[campus],
                    programme=cohort.programme,
                    study_level=f"{first_level}{rank - back}",
                )
            )
        return result

    def _student(self, cohort: Cohort, level: str, *, former: bool = False) -> list[Contract]:
        base_age = 18 if level.startswith("TC") else 20
        rank = int(level[-1])
        person, _ = self.ids.person(
            age=(base_age + rank - 1, base_age + rank + 1),
            personal_share=0.95,
            photo_share=0.55,
        )
        start = date(self.year_start.year - 1, 9, 1) if former else self.year_start
        self.ids.student_numbers(person, start.year - rank + 1)
        end = date(start.year + 1, 8, 31)
        if not former:
            self.students.append(person)
            if self.rng.random() < ENDING_SOON_SHARE:
                end = min(end, self.day + timedelta(days=self.rng.randint(7, 45)))
        campus = self.rng.choice(cohort.campuses)
        return self._registrations(person, cohort, level, campus, start, end)

    def build_students(self) -> int:
        persons: list[Person] = []
        contracts: list[Contract] = []
        for cohort in COHORTS:
            for _ in range(_scaled(cohort.count, self.scale)):
                level = self.rng.choices(cohort.levels, weights=cohort.weights)[0]
                contracts += self._student(cohort, level)
                persons.append(contracts[-1].person)
        branches = [c for c in COHORTS if c.programme != "TC"]
        for index in range(_scaled(FORMER_STUDENTS, self.scale)):
            # Mostly graduates (last year of their cursus), some leaving the tronc commun.
            cohort = COHORTS[0] if index % 5 == 0 else self.rng.choice(branches)
            level = "TC2" if cohort.programme == "TC" else cohort.levels[-1]
            contracts += self._student(cohort, level, former=True)
            persons.append(contracts[-1].person)
        return self._save(persons, contracts)

    def _dates(self, population: str, title: str) -> tuple[date, date | None, bool]:
        """Start, end and whether the contract is in force today."""
        rng, day = self.rng, self.day
        if rng.random() < ENDED.get(population, 0.0):
            end = day - timedelta(days=rng.randint(1, 120))
            return end - timedelta(days=rng.randint(90, 1000)), end, False
        permanent = PERMANENT_SHARE.get(population, 0.0)
        if title.startswith("Doctorant") or rng.random() >= permanent:
            if population == "contract_teacher":
                start, end = self.year_start, self.year_end
                semester_end = date(self.year_end.year, 1, 31)
                if rng.random() < 0.3 and semester_end >= day:
                    end = semester_end
            else:
                start = day - timedelta(days=rng.randint(10, 900))
                end = day + timedelta(days=rng.randint(45, 720))
            if rng.random() < ENDING_SOON.get(population, 0.0):
                end = day + timedelta(days=rng.randint(5, 42))
            return start, max(end, start), True
        start = date(rng.randint(1990, self.year_start.year - 1), rng.choice((1, 9)), 1)
        return start, None, True

    def _title(self, population: str, structure: str) -> str:
        if population != "staff":
            return self.rng.choice(TITLES[population])
        titles = TITLES.get(structure) or TITLES[self.structures[structure].kind]
        return self.rng.choice(titles)

    def _staff_member(self, population: str, structure: str) -> Contract:
        person, _ = self.ids.person(
            age=(24, 64) if population != "hosted" else (25, 55),
            married_share=0.25,
            personal_share=0.4,
            photo_share=0.35,
        )
        number = self.ids.staff_number(person) if population not in {"hosted", "external"} else ""
        title = self._title(population, structure)
        start, end, in_force = self._dates(population, title)
        prefix = "EXT" if population == "external" else "ACC"
        reference = (
            f"MAN-{number}" if number else f"{prefix}-{start.year}-{person.uuid.hex[:12].upper()}"
        )
        self.members.append(_Member(person, population, structure, in_force))
        return self._contract(reference, person, population, structure, start, end, job_title=title)

    def build_staff(self) -> int:
        contracts = []
        for structure, population, count in STAFFING:
            minimum = MINIMUM_STAFF.get(structure, 1) if population == "staff" else 1
            for _ in range(_scaled(count, self.scale, minimum)):
                contracts.append(self._staff_member(population, structure))
        return self._save([c.person for c in contracts], contracts)

    def build_personas(self) -> int:
        persons, contracts = [], []
        shared_hash = make_password(DEMO_PASSWORD)
        for spec in PERSONAS:
            student = spec.population == "student"
            person, _ = self.ids.person(
                age=(20, 23) if student else (35, 55),
                female=spec.female,
                first=spec.first_name,
                last=spec.last_name,
                login=spec.login,
            )
            person.usage_first_name = person.usage_last_name = ""
            person.red_list = False
            person.photo_consent = True
            assert person.user is not None
            person.user.password = shared_hash
            person.user.first_name, person.user.last_name = spec.first_name, spec.last_name
            if student:
                cohort = COHORTS[1]
                start = date(self.year_start.year - 1, 9, 1) if spec.former else self.year_start
                rank = int(spec.study_level[-1])
                self.ids.student_numbers(person, start.year - rank + 1)
                end = date(start.year + 1, 8, 31)
                if spec.former:  # ended, and past the grace period whatever today is
                    end = min(end, self.day - timedelta(days=31))
                contracts += self._registrations(
                    person, cohort, spec.study_level, "belfort", start, end
                )
            else:
                self.ids.staff_number(person)
                start = date(self.year_start.year - 6, 9, 1)
                contracts.append(
                    self._contract(
                        f"MAN-{person.staff_number}-demo",
                        person,
                        spec.population,
                        spec.structure,
                        start,
                        None,
                        job_title=spec.job_title,
                    )
                )
            persons.append(person)
            self.personas[spec.login] = person
        self._save(persons, contracts)
        self._persona_functions()
        self._enrol_totp()
        return len(persons)

    def _persona_functions(self) -> None:
        Function.objects.bulk_create(
            Function(
                person=self.personas[spec.login],
                code=spec.function,
                structure=self.structures[spec.function_structure],
                start_date=date(self.year_start.year - 2, 9, 1),
            )
            for spec in PERSONAS
            if spec.function
        )

    def _enrol_totp(self) -> None:
        TOTPDevice.objects.bulk_create(
            TOTPDevice(
                user=self.personas[spec.login].user,
                name="Cartable (démo)",
                key=totp_key(self.seed, spec.login),
                confirmed=True,
            )
            for spec in PERSONAS
            if spec.privileged
        )

    # --- functions and groups ----------------------------------------------------------------

    def _in_force(self, structure: str, population: str, *, subtree: bool = False) -> list[_Member]:
        path = self.structures[structure].path
        return [
            m
            for m in self.members
            if m.in_force
            and m.population == population
            and (
                self.structures[m.structure].path.startswith(path)
                if subtree
                else m.structure == structure
            )
        ]

    def build_functions(self) -> int:
        rng = self.rng
        functions: list[Function] = []
        seen: set[tuple[int, str, str]] = set()
        since = date(self.year_start.year - 3, 9, 1)

        def add(member: Person, code: str, structure: str, **dates: Any) -> None:
            start = dates.get("start", since)
            if (id(member), code, structure) in seen:
                return
            seen.add((id(member), code, structure))
            functions.append(
                Function(
                    person=member,
                    code=code,
                    structure=self.structures[structure],
                    start_date=start,
                    end_date=dates.get("end"),
                )
            )

        teachers = [m for m in self.members if m.in_force and m.population == "teacher_researcher"]
        for code, _parent, kind, *_rest in STRUCTURES:
            if kind == Structure.Kind.PROGRAMME:
                continue
            academic = kind != Structure.Kind.SERVICE
            pool = self._in_force(
                code, "teacher_researcher" if academic else "staff", subtree=True
            ) or (teachers if academic else [])
            if pool:
                self.head_of[code] = rng.choice(pool).person
                add(self.head_of[code], Function.Code.HEAD, code)
        for code in ("UTBM", "DG", "DFP", "DRV", "DRH"):
            if code in self.head_of:
                add(self.head_of[code], Function.Code.DIRECTION, "UTBM")
        for code in (*PROGRAMMES, "FISA-INFO", "FISA-MECA"):
            local = [m.person for m in self._in_force(code, "teacher_researcher")]
            others = [p for p in local if p is not self.head_of.get(code)] or local
            if others:
                add(rng.choice(others), Function.Code.PROGRAMME_HEAD, code)
            if local:
                add(rng.choice(local), Function.Code.ADVISOR, code)
        for member in self.members:
            teaching = member.population in {"teacher_researcher", "contract_teacher"}
            if member.in_force and teaching and rng.random() < 0.4:
                add(
                    member.person,
                    Function.Code.UE_COORDINATOR,
                    member.structure,
                    start=self.year_start,
                    end=self.year_end,
                )
        for member in self._in_force("SCOL", "staff"):
            add(member.person, Function.Code.SCOLARITE, "SCOL")
        # A few DSIN administrators; the DPO and the RSSI are the demo personas alone.
        for member in self._in_force("DSIN", "staff")[:5]:
            add(member.person, Function.Code.DSIN_ADMIN, "DSIN")
        Function.objects.bulk_create(functions, batch_size=BATCH)
        return len(functions)

    def build_groups(self) -> int:
        for code, name, owner, population, structure, campus, programme, level in RULE_GROUPS:
            Group.objects.create(
                code=code,
                name=name,
                kind=Group.Kind.RULE,
                owner=self.structures[owner],
                rule_population=self.populations[population] if population else None,
                rule_structure=self.structures[structure] if structure else None,
                rule_campus=self.campuses[campus] if campus else None,
                rule_programme=programme,
                rule_study_level=level,
                description=f"Groupe calculé : {name.lower()}.",
            )
        groups = {
            code: Group.objects.create(
                code=code, name=name, owner=self.structures[owner], description=description
            )
            for code, name, owner, description in STATIC_GROUPS
        }
        memberships = self._memberships(groups)
        GroupMembership.objects.bulk_create(memberships, batch_size=BATCH)
        return len(RULE_GROUPS) + len(groups) + len(memberships)

    def _pick(self, population: str, count: int) -> list[Person]:
        pool = [m.person for m in self.members if m.in_force and m.population == population]
        return self.rng.sample(pool, min(count, len(pool)))

    def _memberships(self, groups: dict[str, Group]) -> list[GroupMembership]:
        rng, start, end = self.rng, self.year_start, self.year_end
        mandate = date(self.year_start.year - 1, 1, 15)
        rows: list[tuple[str, Person, date, date | None]] = []
        board = self._pick("teacher_researcher", 12) + self._pick("staff", 6)
        rows += [("elus-ca", p, mandate, date(mandate.year + 4, 1, 14)) for p in board]
        students = rng.sample(self.students, min(6, len(self.students)))
        rows += [("elus-ca", p, start, end) for p in students]
        previous = rng.sample(self.students, min(4, len(self.students)))
        rows += [
            ("elus-ca", p, date(start.year - 1, 9, 1), start - timedelta(days=1))
            for p in previous
            if all(p is not s for s in students)
        ]
        erasmus_end = date(2028, 8, 31)
        team = [m.person for m in self._in_force("DRI", "staff")][:3] + self._pick(
            "teacher_researcher", 2
        )
        rows += [("erasmus-2026", p, date(2026, 6, 1), erasmus_end) for p in team]
        movers = rng.sample(self.students, min(_scaled(15, self.scale), len(self.students)))
        rows += [("erasmus-2026", p, start, erasmus_end) for p in movers]
        for code, _parent, kind, *_rest in STRUCTURES:
            if kind in {Structure.Kind.DEPARTMENT, Structure.Kind.SERVICE}:
                local = self._in_force(code, "staff")
                if local:
                    rows.append(
                        ("correspondants-numeriques", rng.choice(local).person, start, None)
                    )
        crisis = [self.personas[login] for login in ("dsin", "rssi", "direction", "dpo")]
        crisis += [self.head_of[c] for c in ("UTBM", "DSIN", "COM") if c in self.head_of]
        rows += [("cellule-crise-cyber", p, start, None) for p in dict.fromkeys(crisis)]
        seen: set[tuple[str, int, date]] = set()
        memberships = []
        for code, person, begins, ends in rows:
            key = (code, id(person), begins)
            if key not in seen:
                seen.add(key)
                memberships.append(
                    GroupMembership(
                        group=groups[code], person=person, start_date=begins, end_date=ends
                    )
                )
        return memberships
