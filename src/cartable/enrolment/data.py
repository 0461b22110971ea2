"""Values exchanged through :mod:`cartable.enrolment.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class EnrolledStudent:
    uuid: UUID
    first_name: str
    last_name: str
    student_number: str
    institutional_email: str
    programme: str
    study_level: str
    has_photo: bool  # a photo exists AND the student consented to show it
