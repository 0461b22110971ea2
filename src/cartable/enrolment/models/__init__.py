from .campaigns import (
    AdvisingNote,
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
    "Campaign",
    "CategoryRule",
    "Enrolment",
    "MandatoryUE",
    "ProgrammeRule",
    "Seats",
    "StudentChoice",
    "WaitlistEntry",
]
