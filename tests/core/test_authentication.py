"""Local login, rate limiting, TOTP for privileged staff, hardened cookies, SSO mapping."""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cartable.referential.sso import CartableOIDCBackend, user_for_identifier
from tests.factories import ContractFactory, PersonFactory
from tests.personas import login

pytestmark = pytest.mark.django_db


def test_a_student_logs_in_with_a_local_account_and_lands_on_their_services() -> None:
    person = ContractFactory().person
    response = Client().post(
        "/connexion/", {"username": person.login, "password": "secret-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200


def test_repeated_failed_logins_lock_the_account_from_that_address() -> None:
    person = ContractFactory().person
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/connexion/", {"username": person.login, "password": "wrong"})
    locked = client.post("/connexion/", {"username": person.login, "password": "secret-pass-123"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_privileged_staff_are_sent_to_the_second_factor_before_anything_else(persona) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), persona("dsin_admin"), verified=False)
    response = client.get("/services/")
    assert response.status_code == 302
    assert response["Location"].startswith("/double-authentification/")


def test_students_are_not_asked_for_a_second_factor(client_as) -> None:  # type: ignore[no-untyped-def]
    assert client_as("student").get("/").status_code == 200


def test_enrolling_a_totp_device_with_a_valid_code_opens_the_session(persona) -> None:  # type: ignore[no-untyped-def]
    dpo = persona("dpo")
    client = login(Client(), dpo, verified=False)
    page = client.get("/double-authentification/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=dpo.user)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post(
        "/double-authentification/", {"token": f"{token:06d}", "next": "/journal/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/journal/"
    assert client.get("/journal/").status_code == 200
    assert TOTPDevice.objects.get(user=dpo.user).confirmed


def test_a_wrong_code_keeps_the_session_closed(persona) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), persona("dpo"), verified=False)
    client.get("/double-authentification/")
    response = client.post("/double-authentification/", {"token": "000000"})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert client.get("/journal/").status_code == 302


def test_logout_is_post_only_and_csrf_protected(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("student")
    assert client.get("/deconnexion/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post("/deconnexion/").status_code == 403


def test_cookies_are_hardened_when_debug_is_off() -> None:
    assert not settings.DEBUG
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS > 0


def test_single_sign_on_finds_the_account_by_eppn() -> None:
    person = ContractFactory().person
    assert user_for_identifier(person.eppn) == person.user


def test_openid_connect_refuses_a_person_without_a_contract_in_force() -> None:
    inactive = PersonFactory()
    active = ContractFactory().person
    backend = CartableOIDCBackend.__new__(CartableOIDCBackend)
    claim = {"eduperson_principal_name": inactive.eppn}
    assert not backend.filter_users_by_claims(claim).exists()
    claim = {"eduperson_principal_name": active.eppn}
    assert list(backend.filter_users_by_claims(claim)) == [active.user]
    assert backend.create_user(claim) is None
