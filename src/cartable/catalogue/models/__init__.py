"""The training offer: diplomas and their yearly programmes, UEs and their yearly offers."""

from .offers import (
    CompetencyContribution,
    ConstituentElement,
    Offer,
    OfferProgramme,
    Prerequisite,
    SoftwareNeed,
    TeachingAssignment,
)
from .programmes import Category, Diploma, Programme, Track
from .ues import UE, Software, UEAlias

__all__ = [
    "UE",
    "Category",
    "CompetencyContribution",
    "ConstituentElement",
    "Diploma",
    "Offer",
    "OfferProgramme",
    "Prerequisite",
    "Programme",
    "Software",
    "SoftwareNeed",
    "TeachingAssignment",
    "Track",
    "UEAlias",
]
