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
from .sectioning import GroupMembership, SectioningRun

__all__ = [
    "AdvisingNote",
    "AdvisorDelegation",
    "Campaign",
    "CategoryRule",
    "Enrolment",
    "GroupMembership",
    "MandatoryUE",
    "ProgrammeRule",
    "Seats",
    "SectioningRun",
    "StudentChoice",
    "WaitlistEntry",
]
