"""What other modules may ask of enrolment."""

from __future__ import annotations

import uuid

from django.db.models import Count

from cartable.referential import api as referential

from .data import EnrolledStudent
from .models import Enrolment


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
