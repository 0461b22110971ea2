"""Named, audited writes of the framework editor."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cartable.competencies import actions
from cartable.competencies.models import Block, Competency, Framework, LearningOutcome, Level
from cartable.competencies.rules import (
    BlockFields,
    CompetencyFields,
    FrameworkFields,
    LevelFields,
    OutcomeFields,
)
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from tests.catalogue.factories import ContributionFactory
from tests.competencies.factories import FrameworkFactory, sample_framework

pytestmark = pytest.mark.django_db


def test_creating_a_framework_is_journaled() -> None:
    framework = actions.do_create_framework(
        FrameworkFields(code="ing-meca", title="Mécanique", diploma_code="ING-MECA"),
        acting_user=None,
    )
    entry = AuditEntry.objects.get(action="competencies.framework.create")
    assert entry.object_ref == str(framework.uuid)
    assert entry.detail["diploma_code"] == "ING-MECA"


def test_a_framework_code_already_taken_is_refused() -> None:
    FrameworkFactory(code="ing-meca")
    with pytest.raises(DomainError) as refused:
        actions.do_create_framework(FrameworkFields(code="ing-meca", title="x"), acting_user=None)
    assert refused.value.field == "code"
    assert "déjà pris" in refused.value.message_fr
    assert "already used" in refused.value.message_en


@pytest.mark.parametrize("code", ["nouveau", "import", "case", "with space", ""])
def test_a_framework_code_that_cannot_be_a_url_segment_is_refused(code: str) -> None:
    with pytest.raises(DomainError):
        actions.do_create_framework(FrameworkFields(code=code, title="x"), acting_user=None)


def test_updating_a_framework_keeps_its_uuid() -> None:
    framework = FrameworkFactory(code="ing-meca")
    actions.do_update_framework(
        "ing-meca", FrameworkFields(code="meca", title="Mécanique 2"), acting_user=None
    )
    assert Framework.objects.get(uuid=framework.uuid).code == "meca"
    assert AuditEntry.objects.filter(action="competencies.framework.update").exists()


def test_a_level_rank_is_unique_in_its_framework() -> None:
    sample_framework()
    with pytest.raises(DomainError) as refused:
        actions.do_create_level(
            "ing-info", LevelFields(rank=2, code="X", label="X"), acting_user=None
        )
    assert refused.value.field == "rank"


def test_adding_a_level_moves_the_frameworks_last_change() -> None:
    framework = sample_framework()
    Framework.objects.filter(pk=framework.pk).update(updated_at=timezone.now().replace(year=2020))
    actions.do_create_level(
        "ing-info", LevelFields(rank=5, code="N5", label="Maître"), acting_user=None
    )
    assert Framework.objects.get(pk=framework.pk).updated_at.year > 2020
    assert AuditEntry.objects.filter(action="competencies.level.create").exists()


def test_a_block_and_a_competency_are_created_and_updated() -> None:
    sample_framework()
    block = actions.do_create_block(
        "ing-info", BlockFields(code="RNCP35627BC09", title="Innover"), acting_user=None
    )
    competency = actions.do_create_competency(
        block.uuid, CompetencyFields(code="C9.1", title="Imaginer"), acting_user=None
    )
    actions.do_update_competency(
        competency.uuid,
        CompetencyFields(code="C9.1", title="Imaginer un produit"),
        acting_user=None,
    )
    assert Competency.objects.get(uuid=competency.uuid).title == "Imaginer un produit"
    assert Block.objects.get(uuid=block.uuid).framework.code == "ing-info"


def test_a_competency_code_is_unique_in_its_block() -> None:
    framework = sample_framework()
    block = framework.blocks.get(position=1)
    with pytest.raises(DomainError) as refused:
        actions.do_create_competency(
            block.uuid, CompetencyFields(code="C1.1", title="Doublon"), acting_user=None
        )
    assert refused.value.field == "code"


def test_an_outcome_takes_a_level_of_its_frameworks_scale() -> None:
    framework = sample_framework()
    competency = Competency.objects.get(code="C1.1")
    outcome = actions.do_create_outcome(
        competency.uuid, OutcomeFields(code="AA9", text="Faire", level_rank=3), acting_user=None
    )
    assert outcome.level == Level.objects.get(framework=framework, rank=3)


def test_an_outcome_at_a_level_the_scale_lacks_is_refused() -> None:
    sample_framework()
    competency = Competency.objects.get(code="C1.1")
    with pytest.raises(DomainError) as refused:
        actions.do_create_outcome(
            competency.uuid, OutcomeFields(code="AA9", text="Faire", level_rank=7), acting_user=None
        )
    assert refused.value.field == "level_rank"
    assert not LearningOutcome.objects.filter(code="AA9").exists()


def test_updating_an_outcome_may_clear_its_level() -> None:
    sample_framework()
    outcome = LearningOutcome.objects.get(code="AA1.1.1")
    actions.do_update_outcome(
        outcome.uuid, OutcomeFields(code="AA1.1.1", text="Nouveau texte"), acting_user=None
    )
    outcome.refresh_from_db()
    assert (outcome.text, outcome.level) == ("Nouveau texte", None)


def test_deleting_a_block_takes_its_competencies_and_is_journaled() -> None:
    framework = sample_framework()
    block = framework.blocks.get(position=2)
    assert actions.do_delete("block", block.uuid, acting_user=None) == "ing-info"
    assert not Competency.objects.filter(block__uuid=block.uuid).exists()
    assert AuditEntry.objects.filter(action="competencies.block.delete").exists()


def test_a_competency_a_ue_develops_cannot_be_deleted() -> None:
    sample_framework()
    competency = Competency.objects.get(code="C1.1")
    ContributionFactory(competency=competency, level=Level.objects.get(rank=1))
    with pytest.raises(DomainError):
        actions.do_delete("competency", competency.uuid, acting_user=None)
    assert Competency.objects.filter(uuid=competency.uuid).exists()
