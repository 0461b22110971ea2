"""Shared helpers of the catalogue import/export tests: a small but complete catalogue, a
canonical dump of the database written independently of the exporter, sample files."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models

from cartable.catalogue.io import TABLES
from cartable.catalogue.models import (
    UE,
    Category,
    CompetencyContribution,
    ConstituentElement,
    Diploma,
    Offer,
    OfferProgramme,
    Prerequisite,
    Programme,
    Software,
    SoftwareNeed,
    TeachingAssignment,
    Track,
    UEAlias,
)
from cartable.competencies.models import Competency, Framework, Level
from tests.catalogue.factories import (
    AliasFactory,
    CategoryFactory,
    ContributionFactory,
    DiplomaFactory,
    ElementFactory,
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    SoftwareFactory,
    SoftwareNeedFactory,
    TeachingAssignmentFactory,
    UEFactory,
    UEPrerequisiteFactory,
)
from tests.competencies.factories import BlockFactory, CompetencyFactory, FrameworkFactory, scale
from tests.factories import CampusFactory, PersonFactory, StructureFactory

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).parents[2] / "docs" / "samples" / "catalogue"
YEAR = 2025
CATALOGUE_MODELS: tuple[type[models.Model], ...] = (
    Category,
    Software,
    UE,
    UEAlias,
    Diploma,
    Programme,
    Track,
    Offer,
    OfferProgramme,
    TeachingAssignment,
    ConstituentElement,
    Prerequisite,
    SoftwareNeed,
    CompetencyContribution,
)


def referential() -> dict[str, Any]:
    """What a catalogue file refers to without creating it: campuses, a structure, persons,
    a competency framework with a scale of four levels and three competencies."""
    campus = CampusFactory(code="belfort", name="Belfort")
    CampusFactory(code="sevenans", name="Sevenans")
    StructureFactory(code="dept-info", name="Département informatique")
    persons = {
        login: PersonFactory(login=login) for login in ("rdupont", "tmartin", "hleroy", "amoreau")
    }
    framework = FrameworkFactory(code="ing-info", title="Référentiel ingénieur informatique")
    levels = scale(framework)
    block = BlockFactory(framework=framework, code="BC01")
    competencies = [
        CompetencyFactory(block=block, code=code, title=f"Compétence {code}")
        for code in ("C1", "C2", "C3")
    ]
    return {
        "campus": campus,
        "persons": persons,
        "framework": framework,
        "levels": levels,
        "competencies": competencies,
    }


def build_catalogue() -> dict[str, Any]:
    """Every kind of row of the catalogue, with a published, an archived and a draft offer."""
    ref = referential()
    persons, levels, competencies = ref["persons"], ref["levels"], ref["competencies"]
    cs = CategoryFactory(code="CS", label="Connaissances scientifiques", position=1)
    tm = CategoryFactory(code="TM", label="Techniques et méthodes", label_en="Methods", position=2)
    python = SoftwareFactory(code="python", name="Python", url="https://www.python.org/")
    matlab = SoftwareFactory(code="matlab", name="MATLAB", licence=Software.Licence.CAMPUS)
    lo41, mt01, if01 = (UEFactory(code=code) for code in ("LO41", "MT01", "IF01"))
    AliasFactory(ue=lo41, code="LO40", until_year=2020)
    diploma = DiplomaFactory(code="ING-INFO", rncp_code="RNCP35394")
    programme = ProgrammeFactory(
        diploma=diploma,
        code="INFO",
        year=YEAR,
        head=persons["hleroy"],
        campus=ref["campus"],
        framework=ref["framework"],
        description="Cycle ingénieur.\nTrois filières.",
    )
    Track.objects.create(programme=programme, code="ILC", title="Ingénierie du logiciel")
    Track.objects.create(programme=programme, code="LEIM", title="Logiciel embarqué")
    common = {"year": YEAR, "campus": ref["campus"], "responsible": persons["rdupont"]}
    old = OfferFactory(
        ue=lo41,
        version=1,
        status=Offer.Status.ARCHIVED,
        uuid=uuid.UUID("5d0b7a52-3f0e-4c55-9d57-0c2b1f6a0a01"),
        title="Systèmes d'exploitation",
        title_en="Operating systems",
        published_at=datetime(2025, 5, 15, 9, 0, tzinfo=UTC),
        **common,
    )
    lo41_offer = OfferFactory(
        ue=lo41,
        version=2,
        supersedes=old,
        uuid=uuid.UUID("5d0b7a52-3f0e-4c55-9d57-0c2b1f6a0a02"),
        title="Systèmes d'exploitation",
        title_en="Operating systems",
        objectives="Comprendre le fonctionnement d'un système d'exploitation.",
        content="Processus ; « mémoire » ; fichiers.\r\nDeuxième ligne.",
        assessment="Examen final (60 %), travaux pratiques (40 %).",
        bibliography="A. Tanenbaum, Systèmes d'exploitation, Pearson.",
        published_at=datetime(2025, 6, 30, 14, 0, tzinfo=UTC),
        credits=Decimal("6"),
        groups_td=2,
        groups_tp=3,
        room_needs="Salle de TP Linux",
        **common,
    )
    mt01_offer = OfferFactory(
        ue=mt01,
        status=Offer.Status.DRAFT,
        uuid=uuid.UUID("5d0b7a52-3f0e-4c55-9d57-0c2b1f6a0a03"),
        title="Analyse numérique",
        title_en="Numerical analysis",
        objectives="Résoudre numériquement des équations.",
        content="Interpolation, intégration, équations différentielles.",
        credits=Decimal("4.5"),
        semesters=Offer.Semester.SPRING,
        language=Offer.Language.BILINGUAL,
        capacity=None,
        hours_personal=Decimal("40"),
        **common,
    )
    if01_offer = OfferFactory(
        ue=if01,
        uuid=uuid.UUID("5d0b7a52-3f0e-4c55-9d57-0c2b1f6a0a04"),
        title="Introduction à l'informatique",
        title_en="Introduction to computer science",
        objectives="Écrire ses premiers programmes.",
        content="Algorithmique, Python.",
        semesters=Offer.Semester.BOTH,
        published_at=datetime(2025, 6, 30, 14, 0, tzinfo=UTC),
        **common,
    )
    for offer, category in ((lo41_offer, cs), (mt01_offer, tm), (if01_offer, cs)):
        OfferProgrammeFactory(offer=offer, programme=programme, category=category)
    TeachingAssignmentFactory(offer=lo41_offer, person=persons["tmartin"], hours=Decimal("24"))
    TeachingAssignmentFactory(
        offer=mt01_offer, person=persons["tmartin"], activity="td", hours=Decimal("12.5")
    )
    ElementFactory(offer=lo41_offer, code="EC1", title="Cours", position=1)
    ElementFactory(offer=mt01_offer, code="EC1", title="Travaux dirigés", weight=Decimal("0.5"))
    UEPrerequisiteFactory(offer=lo41_offer, required_ue=if01, note="ou équivalent")
    Prerequisite.objects.create(
        offer=mt01_offer, competency=competencies[0], min_level=levels[1], note=""
    )
    SoftwareNeedFactory(offer=lo41_offer, software=python, mode=SoftwareNeed.Mode.BYOD)
    SoftwareNeedFactory(offer=mt01_offer, software=matlab, mode=SoftwareNeed.Mode.LAB)
    ContributionFactory(offer=lo41_offer, competency=competencies[0], level=levels[2])
    ContributionFactory(
        offer=mt01_offer, competency=competencies[1], level=levels[0], weight=Decimal("0.5")
    )
    return {
        **ref,
        "programme": programme,
        "lo41": lo41_offer,
        "old": old,
        "mt01": mt01_offer,
        "if01": if01_offer,
    }


def _natural(obj: models.Model | None) -> Any:
    """How the canonical dump names a row of any table: by its natural key, never its pk."""
    if obj is None:
        return None
    if isinstance(obj, Offer):
        return (obj.ue.code, obj.year, obj.version)
    if isinstance(obj, Programme):
        return (obj.code, obj.year)
    if isinstance(obj, Competency):
        return (obj.block.framework.code, obj.code)
    if isinstance(obj, Level):
        return (obj.framework.code, obj.rank)
    if isinstance(obj, Framework):
        return obj.code
    for name in ("login", "code"):
        if hasattr(obj, name):
            return getattr(obj, name)
    raise TypeError(obj)


SKIPPED = {"id", "search_text", "updated_at", "created_at"}


def canonical_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every catalogue row as a sorted tuple of (field, value), references by natural key."""
    dumped: dict[str, list[tuple[Any, ...]]] = {}
    for model in CATALOGUE_MODELS:
        rows = []
        for obj in model._default_manager.all():
            row = []
            for field in model._meta.concrete_fields:
                if field.name in SKIPPED:
                    continue
                value = getattr(obj, field.name)
                if field.is_relation:
                    value = _natural(value)
                elif isinstance(value, Decimal):
                    value = value.normalize()
                row.append((field.name, value))
            rows.append(tuple(row))
        dumped[model.__name__] = sorted(rows, key=repr)
    return dumped


def wipe_catalogue() -> None:
    """An empty catalogue (the referential and the frameworks stay)."""
    for model in reversed(CATALOGUE_MODELS):
        if model is Offer:
            Offer.objects.update(supersedes=None)
        model._default_manager.all().delete()


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def csv_of(table: str, *lines: str) -> bytes:
    """One table's CSV file: its documented header, then ``lines``."""
    header = ";".join(TABLES[table].column_names)
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def json_of(**sections: Any) -> bytes:
    doc = {"format": "cartable-catalogue", "version": 1, **sections}
    return json.dumps(doc).encode("utf-8")


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()
