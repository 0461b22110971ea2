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

__all__ = [
    "AdvisingNote",
    "AdvisorDelegation",
    "Campaign",
    "CategoryRule",
    "Enrolment",
    "MandatoryUE",
    "ProgrammeRule",
    "Seats",
    "StudentChoice",
    "WaitlistEntry",
]
