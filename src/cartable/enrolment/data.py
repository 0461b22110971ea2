"""Values exchanged through :mod:`cartable.enrolment.api` (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
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


@dataclass(frozen=True)
class StudentResult:
    """One UE of a student's path: where and when it was taken, and its result."""

    offer_uuid: UUID
    year: int
    semester: str
    ue_code: str
    title: str
    title_en: str
    credits: Decimal
    category: str  # the category it counts in for the student's programme ("" outside it)
    status: str  # accepted / dropped
    grade: str  # A–E pass, FX/F fail, ABS absent, "" not yet graded (or not published)
    published: bool

    @property
    def passed(self) -> bool:
        return self.published and self.grade in ("A", "B", "C", "D", "E")

    @property
    def credits_earned(self) -> Decimal:
        return self.credits if self.passed else Decimal(0)
