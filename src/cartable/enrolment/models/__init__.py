from .campaigns import (
    AdvisingNote,
    AdvisorDelegation,
    Campaign,
    CategoryRule,
    MandatoryUE,
    ProgrammeRule,
    Seats,
    StudentChoice,
    WaitlistEntry,
)
from .enrolments import Enrolment
from .exams import ExamRule, ExamSession, SessionExam
from .sectioning import GroupMembership, SectioningRun

__all__ = [
    "AdvisingNote",
    "AdvisorDelegation",
    "Campaign",
    "CategoryRule",
    "Enrolment",
    "ExamRule",
    "ExamSession",
    "GroupMembership",
    "MandatoryUE",
    "ProgrammeRule",
    "Seats",
    "SectioningRun",
    "SessionExam",
    "StudentChoice",
    "WaitlistEntry",
]
