"""The demo campus: deterministic, personas with exactly their roles, services through rules."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from cartable.access import api as access
from cartable.core.permissions import Role, roles_of
from cartable.referential import api as referential
from cartable.referential.demo import DEMO_PASSWORD, PERSONAS, PROGRAMMES, STUDY_LEVELS, totp_key
from cartable.referential.models import Contract, Function, GroupMembership, Person

TINY = 0.02


def build(seed: int = 2026, *, if_absent: bool = False) -> str:
    out = io.StringIO()
    call_command("build_demo_campus", seed=seed, scale=TINY, if_absent=if_absent, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of who the campus holds: identities, contracts, functions, groups."""
    rows: list[str] = []
    for p in Person.objects.order_by("login"):
        rows.append(
            "|".join(
                str(value)
                for value in (
                    p.uuid, p.login, p.eppn, p.civil_first_name, p.civil_last_name,
                    p.usage_first_name, p.usage_last_name, p.birth_date, p.institutional_email,
                    p.personal_email, p.ine, p.student_number, p.staff_number, p.red_list,
                    p.photo_consent,
                )
            )
        )  # fmt: skip
    rows += [
        "|".join(map(str, row))
        for row in Contract.objects.order_by("reference").values_list(
            "reference", "person__login", "population__code", "structure__code", "campus__code",
            "start_date", "end_date", "programme", "study_level", "job_title",
        )
    ]  # fmt: skip
    rows += sorted(
        "|".join(map(str, row))
        for row in Function.objects.values_list("person__login", "code", "structure__code")
    )
    rows += sorted(
        "|".join(map(str, row))
        for row in GroupMembership.objects.values_list("group__code", "person__login")
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def build_in_fresh_database(seed: int) -> str:
    """Build, fingerprint, then roll everything back: the next build starts from nothing."""
    savepoint = transaction.savepoint()
    try:
        build(seed)
        return digest()
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def campus(db: None) -> str:
    return build()


def user_of(login: str) -> object:
    return Person.objects.select_related("user").get(login=login).user


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_campus_and_another_seed_another() -> None:
    first = build_in_fresh_database(2026)
    again = build_in_fresh_database(2026)
    other = build_in_fresh_database(7)
    assert first == again
    assert other != first


def test_each_persona_holds_exactly_its_roles(campus: str) -> None:
    held = {p.login: roles_of(user_of(p.login)) for p in PERSONAS}
    expected = {p.login: frozenset(Role(r) for r in p.roles) for p in PERSONAS}
    assert held == expected


def test_the_former_student_has_no_role_and_cannot_log_in(campus: str) -> None:
    request = RequestFactory().post("/connexion/")
    assert roles_of(user_of("ancien")) == frozenset()
    assert authenticate(request, username="ancien", password=DEMO_PASSWORD) is None
    assert authenticate(request, username="etudiant", password=DEMO_PASSWORD) is not None


def test_if_absent_leaves_an_existing_campus_untouched(campus: str) -> None:
    persons, contracts = Person.objects.count(), Contract.objects.count()
    output = build(if_absent=True)
    assert "rien à faire" in output
    assert (Person.objects.count(), Contract.objects.count()) == (persons, contracts)


def test_every_student_registration_in_force_maps_to_a_programme(campus: str) -> None:
    registrations = [
        contract
        for facts in referential.facts_for(None).values()
        for contract in facts.contracts
        if contract.population_code in {"student", "apprentice"}
    ]
    assert registrations
    assert all(
        c.programme in PROGRAMMES and c.study_level in STUDY_LEVELS for c in registrations
    ), [(c.reference, c.programme, c.study_level) for c in registrations]


def test_the_demo_student_gets_moodle_through_a_population_rule(campus: str) -> None:
    student = Person.objects.get(login="etudiant").uuid
    held = {service.code: grants for service, grants in access.effective_services(student)}
    assert "moodle" in held
    assert [g.source for g in held["moodle"]] == ["rule"]
    assert held["moodle"][0].target_kind == "population"


def test_privileged_personas_have_a_confirmed_totp_device_derived_from_the_seed(
    campus: str,
) -> None:
    devices = {
        d.user.username: d.key
        for d in TOTPDevice.objects.filter(confirmed=True).select_related("user")
    }
    assert devices == {p.login: totp_key(2026, p.login) for p in PERSONAS if p.privileged}


def test_demo_logins_prints_a_code_that_passes_the_second_factor(campus: str) -> None:
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    code = re.search(r"^\s+dsin\s+[A-Z2-7]{32}\s+(\d{6})$", text, re.MULTILINE)
    assert code is not None, text
    device = TOTPDevice.objects.get(user__username="dsin")
    assert device.verify_token(code.group(1))
    assert "python manage.py demo_logins" in text
