"""Pure parts of the imports: tree paths, SUPANN vocabulary, cell parsing (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from cartable.referential.imports import fields
from cartable.referential.imports.structures import compute_paths
from cartable.referential.imports.supann import (
    PopulationInfo,
    best_population,
    parse_composite,
    structure_kind,
)

POPULATIONS = [
    PopulationInfo("student", "registration", frozenset({"student", "member"})),
    PopulationInfo(
        "teacher_researcher",
        "contract",
        frozenset({"faculty", "teacher", "researcher", "employee", "member"}),
    ),
    PopulationInfo(
        "contract_teacher", "contract", frozenset({"faculty", "teacher", "employee", "member"})
    ),
    PopulationInfo("staff", "contract", frozenset({"staff", "employee", "member"})),
]


def test_paths_follow_parents_whatever_their_order() -> None:
    paths, cyclic = compute_paths({"c": "b", "b": "a", "a": None})
    assert paths == {"a": "/a/", "b": "/a/b/", "c": "/a/b/c/"}
    assert not cyclic


def test_codes_on_a_cycle_and_below_it_get_no_path() -> None:
    paths, cyclic = compute_paths({"a": "b", "b": "a", "c": "a", "d": None})
    assert cyclic == {"a", "b"}
    assert paths == {"d": "/d/"}


def test_a_structure_that_is_its_own_parent_is_a_cycle() -> None:
    assert compute_paths({"a": "a"})[1] == {"a"}


@pytest.mark.parametrize(
    ("affiliations", "expected"),
    [
        ({"faculty", "researcher", "employee", "member"}, "teacher_researcher"),
        ({"faculty", "employee", "member"}, "contract_teacher"),
        ({"staff", "employee", "member"}, "staff"),
        ({"student", "member"}, None),
        ({"affiliate"}, None),
    ],
)
def test_staff_affiliations_choose_the_most_specific_population(
    affiliations: set[str], expected: str | None
) -> None:
    found = best_population(affiliations, POPULATIONS)
    assert (found.code if found else None) == expected


def test_a_registration_value_is_split_into_its_keys() -> None:
    parsed = parse_composite("[anneeinsc=2025][affect=info][cursusann={SUPANN}L3]")
    assert parsed == {"anneeinsc": "2025", "affect": "info", "cursusann": "{SUPANN}L3"}


def test_a_value_that_is_not_only_key_value_pairs_is_refused() -> None:
    assert parse_composite("anneeinsc=2025") is None
    assert parse_composite("[anneeinsc=2025] trailing") is None


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["{SUPANN}S102"], "establishment"),
        (["{SUPANN}S230"], "service"),
        (["{SUPANN}S204"], "pole"),
        (["{SUPANN}S311"], "laboratory"),
        (["department"], "department"),
        (["{OTHER}X1"], None),
    ],
)
def test_supann_entity_types_map_to_structure_kinds(values: list[str], kind: str | None) -> None:
    assert structure_kind(values) == kind


def test_a_compact_date_is_checked_like_an_iso_one() -> None:
    assert fields.compact_date("20040412") == date(2004, 4, 12)
    with pytest.raises(fields.Problem):
        fields.compact_date("20010231")


@pytest.mark.parametrize("word", ["oui", "Non", "TRUE", "false", "1", "0"])
def test_booleans_are_read_in_french_and_english(word: str) -> None:
    assert isinstance(fields.boolean(word), bool)


def test_a_too_long_value_is_refused_with_both_lengths() -> None:
    with pytest.raises(fields.Problem) as problem:
        fields.text(3)("abcd")
    assert problem.value.reason == (
        "valeur trop longue (4 caractères, 3 au maximum)",
        "value too long (4 characters, at most 3)",
    )
