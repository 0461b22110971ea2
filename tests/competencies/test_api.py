"""What other modules ask of the competency frameworks: plain frozen values, one query each."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartable.competencies import api
from cartable.competencies.data import CompetencyInfo, LevelInfo
from cartable.competencies.models import Framework
from tests.competencies.factories import (
    BlockFactory,
    CompetencyFactory,
    FrameworkFactory,
    sample_framework,
)

pytestmark = pytest.mark.django_db


def test_a_framework_is_found_by_code_and_by_uuid() -> None:
    framework = sample_framework()
    by_code = api.framework("ing-info")
    assert by_code is not None
    assert by_code.uuid == framework.uuid
    assert api.framework_by_uuid(framework.uuid) == by_code
    assert api.framework("unknown") is None


def test_the_values_are_frozen_dataclasses_not_models() -> None:
    framework = sample_framework()
    [first, *_rest] = api.competencies(framework.uuid)
    assert isinstance(first, CompetencyInfo)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.title = "x"  # type: ignore[misc]


def test_the_framework_of_a_diploma_is_the_one_changed_last() -> None:
    FrameworkFactory(code="old", diploma_code="ING-MECA")
    newer = FrameworkFactory(code="new", diploma_code="ING-MECA")
    Framework.objects.filter(code="new").update(updated_at=newer.updated_at.replace(year=2099))
    found = api.framework_for_diploma("ING-MECA")
    assert found is not None
    assert found.code == "new"
    assert api.framework_for_diploma("") is None


def test_competencies_come_block_by_block_in_their_order() -> None:
    framework = FrameworkFactory()
    second = BlockFactory(framework=framework, code="B2", position=2)
    first = BlockFactory(framework=framework, code="B1", position=1)
    CompetencyFactory(block=second, code="C3")
    CompetencyFactory(block=first, code="C2", position=2)
    CompetencyFactory(block=first, code="C1", position=1)
    codes = [(c.block.code, c.code) for c in api.competencies(framework.uuid)]
    assert codes == [("B1", "C1"), ("B1", "C2"), ("B2", "C3")]


def test_levels_are_looked_up_by_rank_uuid_and_top() -> None:
    framework = sample_framework()
    second = api.level(framework.uuid, 2)
    assert isinstance(second, LevelInfo)
    assert second.label == "Niveau 2"
    assert api.level_by_uuid(second.uuid) == second
    top = api.top_level(framework.uuid)
    assert top is not None
    assert top.rank == 4
    assert [lv.rank for lv in api.scale(framework.uuid)] == [1, 2, 3, 4]
    assert api.level(framework.uuid, 9) is None


def test_a_competency_is_found_with_its_block() -> None:
    framework = sample_framework()
    competency = framework.blocks.get(position=1).competencies.get(position=2)
    found = api.competency(competency.uuid)
    assert found is not None
    assert (found.code, found.block.code) == ("C1.2", "RNCP35627BC01")


def test_outcomes_carry_their_competency_and_the_rank_of_their_level() -> None:
    framework = sample_framework(blocks=1, per_block=1)
    outcomes = api.outcomes(framework.uuid)
    assert [(o.code, o.level_rank) for o in outcomes] == [("AA1.1.1", 2), ("AA1.1.2", None)]


def test_the_lists_cost_one_query_whatever_the_size() -> None:
    small = sample_framework("small", blocks=1, per_block=1)
    large = sample_framework("large", blocks=3, per_block=4)
    for function in (api.competencies, api.blocks, api.scale, api.outcomes):
        with CaptureQueriesContext(connection) as few:
            function(small.uuid)
        with CaptureQueriesContext(connection) as many:
            function(large.uuid)
        assert len(few) == len(many) == 1


def test_the_case_package_is_offered_to_other_modules() -> None:
    sample_framework()
    package = api.case_package("ing-info", base_uri="https://x.test/competences/case/")
    assert package is not None
    assert package["CFDocument"]["title"].startswith("Référentiel")
    assert api.case_package("unknown", base_uri="https://x.test/") is None
