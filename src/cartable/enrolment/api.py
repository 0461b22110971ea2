"""What other modules may ask of enrolment."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count
from django.utils import timezone

from cartable.referential import api as referential

from . import rules
from .data import EnrolledStudent, StudentResult
from .models import AdvisorDelegation, Enrolment, StudentChoice


def enrolled_students(offer_uuid: uuid.UUID) -> list[EnrolledStudent]:
    """Students enrolled in an offer, by name, with the programme of their registration."""
    enrolments = list(
        Enrolment.objects.filter(offer__uuid=offer_uuid, status=Enrolment.Status.ACCEPTED)
        .select_related("student")
        .order_by("student__civil_last_name", "student__civil_first_name", "student__pk")
    )
    facts = referential.facts_for([e.student.uuid for e in enrolments])
    students = []
    for enrolment in enrolments:
        person = enrolment.student
        contracts = facts[person.uuid].contracts if person.uuid in facts else ()
        registration = next((c for c in contracts if c.kind == "registration"), None)
        students.append(
            EnrolledStudent(
                uuid=person.uuid,
                first_name=person.display_first_name,
                last_name=person.display_last_name,
                student_number=person.student_number or "",
                institutional_email=person.institutional_email,
                programme=registration.programme if registration else "",
                study_level=registration.study_level if registration else "",
                has_photo=bool(person.photo) and person.photo_consent,
            )
        )
    return students


def enrolment_counts(offer_uuids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = (
        Enrolment.objects.filter(offer__uuid__in=offer_uuids, status=Enrolment.Status.ACCEPTED)
        .values("offer__uuid")
        .annotate(n=Count("pk"))
    )
    return {row["offer__uuid"]: row["n"] for row in rows}


def is_enrolled(student_uuid: uuid.UUID, offer_uuid: uuid.UUID) -> bool:
    return Enrolment.objects.filter(
        student__uuid=student_uuid, offer__uuid=offer_uuid, status=Enrolment.Status.ACCEPTED
    ).exists()


def ue_codes_of_student(student_uuid: uuid.UUID, year: int) -> list[str]:
    """The UEs a student is enrolled in for a catalogue year."""
    return list(
        Enrolment.objects.filter(
            student__uuid=student_uuid, status=Enrolment.Status.ACCEPTED, offer__year=year
        )
        .order_by("offer__ue__code")
        .values_list("offer__ue__code", flat=True)
    )


def results_of(student_uuid: uuid.UUID, *, published_only: bool = True) -> list[StudentResult]:
    """Every UE a student enrolled in, by year and semester, with its grade. Unpublished
    grades are hidden (empty) unless ``published_only`` is False (for the jury and staff).
    The category is the one the UE counts in for the programme it was taken under (three
    queries, whatever the number of UEs)."""
    return results_of_many([student_uuid], published_only=published_only).get(student_uuid, [])


def results_of_many(
    student_uuids: list[uuid.UUID], *, published_only: bool = True
) -> dict[uuid.UUID, list[StudentResult]]:
    """:func:`results_of` for many students at once (four queries, whatever their number)."""
    rows = list(
        Enrolment.objects.filter(student__uuid__in=student_uuids)
        .select_related("offer__ue", "student")
        .prefetch_related("offer__programme_links__programme", "offer__programme_links__category")
        .order_by("student__pk", "offer__year", "semester", "offer__ue__code")
    )
    programmes = {
        (campaign, student): programme
        for campaign, student, programme in StudentChoice.objects.filter(
            student__uuid__in=student_uuids
        ).values_list("campaign_id", "student_id", "programme")
    }
    result: dict[uuid.UUID, list[StudentResult]] = {}
    for enrolment in rows:
        offer = enrolment.offer
        programme = (
            programmes.get((enrolment.campaign_id, enrolment.student_id), "")
            if enrolment.campaign_id
            else ""
        )
        published = enrolment.grade_published_at is not None
        result.setdefault(enrolment.student.uuid, []).append(
            StudentResult(
                offer_uuid=offer.uuid,
                year=offer.year,
                semester=enrolment.semester or offer.semesters[:1],
                ue_code=offer.ue.code,
                title=offer.title,
                title_en=offer.title_en,
                credits=offer.credits,
                category=_category(offer, programme),
                status=enrolment.status,
                grade=enrolment.grade if (published or not published_only) else "",
                published=published,
            )
        )
    return result


def _category(offer: Any, programme: str) -> str:
    """The category of an offer in a programme, else its only category, else ""."""
    links = [(link.programme.code, link.category.code) for link in offer.programme_links.all()]
    for code, category in links:
        if code == programme:
            return str(category)
    categories = {category for _code, category in links}
    return str(next(iter(categories))) if len(categories) == 1 else ""


def semester_results(
    year: int, semester: str, *, published_only: bool = False
) -> dict[uuid.UUID, list[StudentResult]]:
    """Every student enrolled (accepted) in a semester of a catalogue year, with the UEs of
    that semester, as :func:`results_of` gives them; for a semester jury (four queries,
    whatever the number of students)."""
    enrolments = Enrolment.objects.filter(offer__year=year, status=Enrolment.Status.ACCEPTED)
    rows = list(
        (
            enrolments.filter(semester=semester)
            | enrolments.filter(semester="", offer__semesters__startswith=semester)
        )
        .select_related("offer__ue", "student")
        .prefetch_related("offer__programme_links__programme", "offer__programme_links__category")
        .order_by("student__pk", "offer__ue__code")
    )
    programmes: dict[tuple[int | None, int], str] = {
        (campaign, student): programme
        for campaign, student, programme in StudentChoice.objects.filter(
            campaign_id__in={e.campaign_id for e in rows if e.campaign_id}
        ).values_list("campaign_id", "student_id", "programme")
    }
    result: dict[uuid.UUID, list[StudentResult]] = {}
    for enrolment in rows:
        offer = enrolment.offer
        programme = programmes.get((enrolment.campaign_id, enrolment.student_id), "")
        published = enrolment.grade_published_at is not None
        result.setdefault(enrolment.student.uuid, []).append(
            StudentResult(
                offer_uuid=offer.uuid,
                year=offer.year,
                semester=semester,
                ue_code=offer.ue.code,
                title=offer.title,
                title_en=offer.title_en,
                credits=offer.credits,
                category=_category(offer, programme),
                status=enrolment.status,
                grade=enrolment.grade if (published or not published_only) else "",
                published=published,
            )
        )
    return result


def published_passes() -> list[tuple[uuid.UUID, uuid.UUID, str, str, Any]]:
    """Every passed UE with a published grade: (student uuid, offer uuid, UE code, grade,
    published at), in one query (for the certification demo and recomputations)."""
    rows = Enrolment.objects.filter(
        status=Enrolment.Status.ACCEPTED,
        grade__in=rules.PASSING_GRADES,
        grade_published_at__isnull=False,
    ).order_by("student__pk", "offer__year", "offer__ue__code")
    return list(
        rows.values_list(
            "student__uuid", "offer__uuid", "offer__ue__code", "grade", "grade_published_at"
        )
    )


def delegated_programmes(person_uuid: uuid.UUID, *, now: Any = None) -> frozenset[str]:
    """The programmes whose students a teacher advises by delegation in a campaign that has
    not closed yet."""
    moment = now or timezone.now()
    return frozenset(
        AdvisorDelegation.objects.filter(
            advisor__uuid=person_uuid, campaign__closes_at__gte=moment
        ).values_list("programme", flat=True)
    )


def published_groups(student_uuid: uuid.UUID, year: int, semester: str) -> list[str]:
    """The student's groups (uuids) in the published sectioning of a semester; empty when
    none is published."""
    from .sectioning import published_groups as groups

    return groups(student_uuid, year, semester)


def demand(year: int, semester: str) -> dict[str, list[str]]:
    """Who is expected to take which offers of a semester (student uuid → offer uuids): the
    accepted enrolments, those the campaign is making included."""
    found: dict[str, list[str]] = {}
    for student, offer in (
        Enrolment.objects.filter(
            status=Enrolment.Status.ACCEPTED, offer__year=year, semester=semester
        )
        .order_by("student__pk", "offer__ue__code")
        .values_list("student__uuid", "offer__uuid")
    ):
        found.setdefault(str(student), []).append(str(offer))
    return found


def group_members(year: int, semester: str) -> dict[str, list[str]]:
    """Who is in each group (group uuid → student uuids) in the published sectioning of a
    semester; empty when none is published."""
    from .sectioning import memberships_of, published_run

    found: dict[str, list[str]] = {}
    for student, groups in memberships_of(published_run(year, semester)).items():
        for group in groups:
            found.setdefault(group, []).append(student)
    return found
