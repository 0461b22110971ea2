"""The rules of an offer's life, tested without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cartable.catalogue import rules
from cartable.catalogue.rules import Permission, Standing
from cartable.core.errors import DomainError

RESPONSIBLE = Standing(responsible=True)
TEAM = Standing(team_member=True)
HEAD = Standing(programme_head=True)
SCOLARITE = Standing(scolarite=True)
NOBODY = Standing()


@pytest.mark.parametrize(
    ("permission", "status", "standing", "allowed"),
    [
        (Permission.EDIT_SYLLABUS, rules.DRAFT, RESPONSIBLE, True),
        (Permission.EDIT_SYLLABUS, rules.DRAFT, TEAM, True),
        (Permission.EDIT_SYLLABUS, rules.DRAFT, HEAD, False),
        (Permission.EDIT_SYLLABUS, rules.DRAFT, SCOLARITE, True),
        (Permission.EDIT_SYLLABUS, rules.IN_REVIEW, RESPONSIBLE, False),
        (Permission.EDIT_SYLLABUS, rules.PUBLISHED, RESPONSIBLE, False),
        (Permission.EDIT_SYLLABUS, rules.ARCHIVED, SCOLARITE, False),
        (Permission.EDIT_NEEDS, rules.DRAFT, RESPONSIBLE, True),
        (Permission.EDIT_NEEDS, rules.DRAFT, TEAM, False),
        (Permission.MANAGE_TEAM, rules.DRAFT, TEAM, False),
        (Permission.MANAGE_TEAM, rules.DRAFT, RESPONSIBLE, True),
        (Permission.MANAGE_TEAM, rules.PUBLISHED, RESPONSIBLE, False),
        (Permission.SUBMIT, rules.DRAFT, RESPONSIBLE, True),
        (Permission.SUBMIT, rules.DRAFT, TEAM, False),
        (Permission.SUBMIT, rules.IN_REVIEW, RESPONSIBLE, False),
        (Permission.PUBLISH, rules.IN_REVIEW, HEAD, True),
        (Permission.PUBLISH, rules.IN_REVIEW, SCOLARITE, True),
        (Permission.PUBLISH, rules.IN_REVIEW, RESPONSIBLE, False),
        (Permission.PUBLISH, rules.DRAFT, SCOLARITE, False),
        (Permission.RETURN_TO_DRAFT, rules.IN_REVIEW, HEAD, True),
        (Permission.RETURN_TO_DRAFT, rules.IN_REVIEW, RESPONSIBLE, False),
        (Permission.RETURN_TO_DRAFT, rules.PUBLISHED, SCOLARITE, False),
        (Permission.NEW_VERSION, rules.PUBLISHED, RESPONSIBLE, True),
        (Permission.NEW_VERSION, rules.PUBLISHED, SCOLARITE, True),
        (Permission.NEW_VERSION, rules.PUBLISHED, TEAM, False),
        (Permission.NEW_VERSION, rules.PUBLISHED, HEAD, False),
        (Permission.NEW_VERSION, rules.DRAFT, RESPONSIBLE, False),
        (Permission.PUBLISH, rules.IN_REVIEW, NOBODY, False),
    ],
)
def test_who_may_do_what_in_which_status(
    permission: Permission, status: str, standing: Standing, allowed: bool
) -> None:
    assert rules.may(permission, status, standing) is allowed


def test_nobody_without_a_standing_sees_an_offer() -> None:
    assert not NOBODY.visible


def test_the_system_may_do_everything_the_status_allows() -> None:
    assert rules.allowed_permissions(rules.IN_REVIEW, rules.SYSTEM) == {
        Permission.PUBLISH,
        Permission.RETURN_TO_DRAFT,
    }


def test_editing_a_published_offer_is_refused_with_the_way_out() -> None:
    with pytest.raises(DomainError) as refused:
        rules.check(Permission.EDIT_SYLLABUS, rules.PUBLISHED, RESPONSIBLE)
    assert refused.value.field == "status"
    assert "nouvelle version" in refused.value.message_fr
    assert "new version" in refused.value.message_en


def test_a_refusal_for_the_person_names_the_offer() -> None:
    with pytest.raises(DomainError) as refused:
        rules.check(Permission.PUBLISH, rules.IN_REVIEW, RESPONSIBLE)
    assert refused.value.field == "offer"


@pytest.mark.parametrize("value", ["-1", "60.5", "abc", "6.25"])
def test_credits_out_of_range_or_malformed_are_refused(value: str) -> None:
    with pytest.raises(DomainError) as refused:
        rules.clean_syllabus({"credits": value})
    assert refused.value.field == "credits"
    assert refused.value.message_fr.startswith("Crédits ECTS :")
    assert refused.value.message_en.startswith("ECTS credits:")


def test_credits_accept_a_comma_as_decimal_separator() -> None:
    assert rules.clean_syllabus({"credits": "4,5"}) == {"credits": Decimal("4.5")}


def test_negative_hours_are_refused_naming_the_field_in_both_languages() -> None:
    with pytest.raises(DomainError) as refused:
        rules.clean_needs({"hours_td": "-2"})
    assert refused.value.message_fr == "Heures de TD : ce nombre ne peut pas être négatif."
    assert refused.value.message_en == "Tutorial hours: this number cannot be negative."


def test_an_empty_capacity_means_no_limit() -> None:
    assert rules.clean_needs({"capacity": " "}) == {"capacity": None}


def test_a_zero_capacity_is_refused() -> None:
    with pytest.raises(DomainError):
        rules.clean_needs({"capacity": "0"})


def test_the_title_is_required() -> None:
    with pytest.raises(DomainError) as refused:
        rules.clean_syllabus({"title": "  "})
    assert refused.value.field == "title"


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(DomainError):
        rules.clean_syllabus({"status": "published"})


def test_a_software_appears_once_in_the_needs() -> None:
    needs = [rules.SoftwareChoice("python", "byod"), rules.SoftwareChoice("python", "lab")]
    with pytest.raises(DomainError) as refused:
        rules.clean_software_needs(needs, {"python"}, {"byod", "lab"})
    assert refused.value.field == "software"


def test_a_software_need_has_an_access_mode() -> None:
    with pytest.raises(DomainError) as refused:
        rules.clean_software_needs([rules.SoftwareChoice("python", "")], {"python"}, {"byod"})
    assert refused.value.field == "mode"


def test_a_year_is_copied_into_a_later_year_only() -> None:
    with pytest.raises(DomainError) as refused:
        rules.check_copy_years(2025, 2025)
    assert refused.value.field == "target_year"


def test_changes_list_only_what_differs_with_json_values() -> None:
    before = {"hours_cm": Decimal("24.0"), "room_needs": ""}
    after = {"hours_cm": Decimal("24"), "room_needs": "Amphi"}
    assert rules.changes(before, after) == {"room_needs": {"before": "", "after": "Amphi"}}
