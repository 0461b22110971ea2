"""Demo enrolments: students of the demo campus enrolled in autumn UEs of their programme
that fit together in the weekly template, in the closed autumn campaign of their population
(:mod:`.demo_campaigns` makes the campaigns, the open spring one included).

Deterministic for a seed. Consenting students enrolled in the demo personas' UEs get a
generated portrait (initials on a coloured disc) so that the photo roster has photos."""

from __future__ import annotations

import io
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from cartable.catalogue import api as catalogue
from cartable.referential import api as referential
from cartable.timetable import api as timetable
from cartable.timetable.data import GroupOption

from . import demo_campaigns
from .demo_campaigns import build_campaigns as build_campaigns
from .demo_campaigns import campaign_totals as campaign_totals
from .models import Enrolment

UES_PER_STUDENT = 5
AUTUMN = "A"
PHOTO_PERSONAS = ("resp-ue", "enseignant")
BATCH = 2000


@dataclass(frozen=True)
class Totals:
    enrolments: int
    students: int
    photos: int


def _related(field: str) -> Any:
    return Enrolment._meta.get_field(field).related_model


def _programme_of(contract: Any) -> str:
    if contract.population_code == "apprentice" and contract.programme:
        return f"FISA-{contract.programme}"
    return str(contract.programme)


def build_enrolments(*, seed: int) -> Totals:
    """This year's enrolments: each student takes up to five UEs of their programme given in
    the autumn semester, within capacity, that fit together in the weekly template (some
    choice of groups has no overlap). They belong to the closed autumn campaign of the
    student's population when :func:`demo_campaigns.build_campaigns` made one."""
    rng = random.Random(f"enrolment-{seed}")
    year = catalogue.current_year()
    autumn = {u for u, _capacity in catalogue.published_offers_of_semester(year, AUTUMN)}
    offers_by_programme = {
        programme: [(u, c) for u, c in offers if u in autumn]
        for programme, offers in catalogue.published_offers_by_programme(year).items()
    }
    seats: dict[uuid.UUID, int | None] = {
        o: capacity for offers in offers_by_programme.values() for o, capacity in offers
    }
    weeks = timetable.ue_weeks(list(seats), AUTUMN)
    campaigns = demo_campaigns.autumn_campaigns(year)
    person_pk = dict(_related("student").objects.values_list("uuid", "pk"))
    offer_pk = dict(_related("offer").objects.values_list("uuid", "pk"))
    rows: list[Enrolment] = []
    programmes: dict[int, tuple[str, str]] = {}
    for person_uuid, facts in sorted(
        referential.facts_for(None).items(), key=lambda kv: str(kv[0])
    ):
        registration = next((c for c in facts.contracts if c.kind == "registration"), None)
        if registration is None:
            continue
        programme = _programme_of(registration)
        candidates = offers_by_programme.get(programme, [])
        campaign = campaigns.get(registration.population_code)
        placed: list[GroupOption] = []
        chosen = 0
        # a lazy shuffle: a student who finds their UEs early costs a few draws, not the list
        pool = [offer_uuid for offer_uuid, _capacity in candidates]
        for last in range(len(pool) - 1, -1, -1):
            pick = rng.randint(0, last)
            pool[last], pool[pick] = pool[pick], pool[last]
            offer_uuid = pool[last]
            left = seats[offer_uuid]
            if left is not None and left <= 0:
                continue
            fitting = timetable.fit(placed, weeks[offer_uuid])
            if fitting is None:
                continue
            placed += [p.group for p in fitting]
            if left is not None:
                seats[offer_uuid] = left - 1
            rows.append(
                Enrolment(
                    student_id=person_pk[person_uuid],
                    offer_id=offer_pk[offer_uuid],
                    campaign_id=campaign.pk if campaign else None,
                    semester=AUTUMN,
                    source=Enrolment.Source.DEMO,
                )
            )
            chosen += 1
            if chosen == UES_PER_STUDENT:
                break
        if chosen:
            programmes[person_pk[person_uuid]] = (registration.population_code, programme)
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    demo_campaigns.close_autumn(campaigns, programmes)
    return Totals(enrolments=len(rows), students=len(programmes), photos=_portraits(rng))


def _portraits(rng: random.Random) -> int:
    """Portraits for consenting students enrolled in the demo personas' UEs."""
    person_model = _related("student")
    offers = [
        o.uuid
        for login in PHOTO_PERSONAS
        for uuid_ in [referential.person_uuid_for_login(login)]
        if uuid_ is not None
        for o in catalogue.offers_in_charge(uuid_)
    ]
    people = person_model.objects.filter(
        enrolments__offer__uuid__in=offers, photo_consent=True, photo=""
    ).distinct()
    count = 0
    for person in people.order_by("pk"):
        person.photo.save(f"{person.uuid}.png", ContentFile(_portrait(person, rng)), save=True)
        count += 1
    return count


def _portrait(person: Any, rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    colour = tuple(rng.randint(60, 170) for _ in range(3))
    image = Image.new("RGB", (96, 96), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, 95, 95), fill=colour)
    initials = f"{person.display_first_name[:1]}{person.display_last_name[:1]}".upper()
    draw.text((48, 48), initials, fill=(255, 255, 255), anchor="mm", font_size=36)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


#: Past results: the lowest standardised score of each grade, so that about 10 % get A, 21 % B,
#: 24 % C, 17 % D, 11 % E, 6 % FX and 8 % F, and 3 % are absent (ABS).
PAST_GRADE_FLOORS = (("A", 1.28), ("B", 0.47), ("C", -0.18), ("D", -0.67), ("E", -1.08))
PAST_FAIL_FLOOR = -1.41  # FX above, F below
PAST_ABSENT_SHARE = 0.03
PAST_UES_PER_SEMESTER = 5
#: Served first, so that the demo student's record is complete whatever the places left.
PAST_PERSONAS = ("etudiant",)


@dataclass(frozen=True)
class _PastStudent:
    pk: int
    programme: str
    years_before: int  # how many catalogue years they studied here before this one


def build_past_results(*, seed: int) -> int:
    """Published results of past catalogue years, for students beyond their first year.

    A student at level N (TC3, ING2, FISA3…) took UEs of their programme in each of the N-1
    previous catalogue years that the demo catalogue holds (it holds the previous one): five
    published offers per semester, never a UE they are enrolled in this year, within capacity,
    each with a published grade drawn from a per-student ability (mostly A–E, some FX/F, a
    few ABS); the demo student persona is served first. Deterministic for the seed;
    bulk-created. Returns how many enrolments it made."""
    rng = random.Random(f"past-results-{seed}")
    current = catalogue.current_year()
    person_pk = dict(_related("student").objects.values_list("uuid", "pk"))
    personas = {referential.person_uuid_for_login(login) for login in PAST_PERSONAS}
    students = []
    for person_uuid, facts in sorted(
        referential.facts_for(None).items(), key=lambda kv: (kv[0] not in personas, str(kv[0]))
    ):
        registration = next((c for c in facts.contracts if c.kind == "registration"), None)
        level = registration.study_level if registration else ""
        if registration and level[-1:].isdigit() and int(level[-1]) > 1:
            programme = _programme_of(registration)
            students.append(_PastStudent(person_pk[person_uuid], programme, int(level[-1]) - 1))
    taken: dict[int, set[str]] = {}
    for student_pk, code in Enrolment.objects.filter(offer__year=current).values_list(
        "student_id", "offer__ue__code"
    ):
        taken.setdefault(student_pk, set()).add(code)
    abilities = {s.pk: rng.gauss(0, 1) for s in students}
    rows: list[Enrolment] = []
    for back in range(1, 1 + max((s.years_before for s in students), default=0)):
        year = current - back
        cohort = [s for s in students if s.years_before >= back]
        made = _past_year(rng, year, cohort, taken, abilities)
        if not made:
            break
        rows += made
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _past_year(
    rng: random.Random,
    year: int,
    students: list[_PastStudent],
    taken: dict[int, set[str]],
    abilities: dict[int, float],
) -> list[Enrolment]:
    """The enrolments, with published grades, of ``students`` in catalogue year ``year``."""
    from datetime import datetime

    from django.utils import timezone

    by_programme = catalogue.published_offers_by_programme(year)
    facts = _related("offer").objects.filter(year=year).values_list("uuid", "pk", "ue__code")
    offers = {offer_uuid: (pk, code) for offer_uuid, pk, code in facts}
    seats = {u: capacity for listed in by_programme.values() for u, capacity in listed}
    # offers with places left, per programme: a full offer leaves every list it is in
    open_offers = {
        p: [u for u, c in listed if c is None or c > 0] for p, listed in by_programme.items()
    }
    given = {
        semester: {u for u, _c in catalogue.published_offers_of_semester(year, semester)}
        for semester in ("A", "P")
    }
    published_at = {
        "A": timezone.make_aware(datetime(year + 1, 2, 6, 10, 0)),
        "P": timezone.make_aware(datetime(year + 1, 7, 3, 10, 0)),
    }
    rows: list[Enrolment] = []
    for student in students:
        done = taken.setdefault(student.pk, set())
        counts = dict.fromkeys(("A", "P"), 0)
        # a lazy shuffle: a student who finds their UEs early costs a few draws, not the list
        pool = list(open_offers.get(student.programme, []))
        for last in range(len(pool) - 1, -1, -1):
            pick = rng.randint(0, last)
            pool[last], pool[pick] = pool[pick], pool[last]
            offer_uuid = pool[last]
            pk, code = offers[offer_uuid]
            semester = next(
                (
                    s
                    for s, n in counts.items()
                    if n < PAST_UES_PER_SEMESTER and offer_uuid in given[s]
                ),
                None,
            )
            if semester is None or code in done:
                continue
            left = seats[offer_uuid]
            if left is not None:
                seats[offer_uuid] = left - 1
                if left == 1:
                    for listed in open_offers.values():
                        if offer_uuid in listed:
                            listed.remove(offer_uuid)
            done.add(code)
            rows.append(
                Enrolment(
                    student_id=student.pk,
                    offer_id=pk,
                    semester=semester,
                    grade=draw_past_grade(rng, abilities[student.pk]),
                    grade_published_at=published_at[semester],
                    source=Enrolment.Source.DEMO,
                )
            )
            counts[semester] += 1
            if min(counts.values()) == PAST_UES_PER_SEMESTER:
                break
    return rows


def draw_past_grade(rng: random.Random, ability: float) -> str:
    """A past grade for a student of this ability (a standard normal draw per student)."""
    if rng.random() < PAST_ABSENT_SHARE:
        return "ABS"
    score = (0.8 * ability + rng.gauss(0, 1)) / 1.28
    passing = next((grade for grade, floor in PAST_GRADE_FLOORS if score > floor), "")
    return passing or ("FX" if score > PAST_FAIL_FLOOR else "F")
