"""The public side of badges: each badge's verification page (with a check of the holder's
address), the verifier for pasted or uploaded badges, and the student's own list."""

from __future__ import annotations

import copy
import html as entities
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cartable.certification import actions
from cartable.certification.models import IssuedBadge, IssuerKey
from tests.factories import PersonFactory
from tests.personas import login

from .factories import AchievementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def badge() -> IssuedBadge:
    AchievementFactory(code="bloc-si")
    ada = PersonFactory(login="alovelace", institutional_email="ada.lovelace@utbm.fr")
    return actions.do_issue_badge("bloc-si", ada.uuid, acting_user=None)


def page(response: Any) -> str:
    return entities.unescape(response.content.decode())


def test_the_badge_page_shows_a_valid_badge_and_its_criteria(badge: IssuedBadge) -> None:
    html = page(Client().get(f"/badges/{badge.uuid}"))
    assert "Badge authentique et valide." in html
    assert "Toutes les compétences du bloc validées" in html
    assert "RNCP99901BC01" in html
    assert "Lovelace" not in html


def test_the_badge_page_says_a_revoked_badge_is_not_valid(badge: IssuedBadge) -> None:
    actions.do_revoke_badge(badge.uuid, reason="Erreur de saisie", acting_user=None)
    html = page(Client().get(f"/badges/{badge.uuid}"))
    assert "Ce badge n'est pas valide." in html
    assert "Révoquée par l'établissement." in html


@pytest.mark.parametrize(
    ("email", "answer"),
    [
        ("ada.lovelace@utbm.fr", "Cette adresse est celle du titulaire."),
        ("someone@utbm.fr", "Cette adresse n'est pas celle du titulaire."),
    ],
)
def test_a_verifier_checks_the_holders_address(badge: IssuedBadge, email: str, answer: str) -> None:
    assert answer in page(Client().post(f"/badges/{badge.uuid}", {"email": email}))


def test_the_verification_endpoint_answers_json(badge: IssuedBadge) -> None:
    found = Client().get(f"/badges/{badge.uuid}/verification").json()
    assert found["valid"] is True
    assert {c["check"] for c in found["checks"]} == {
        "schema",
        "issuer",
        "proof",
        "status",
        "validity",
    }


def test_the_verifier_accepts_a_pasted_badge(badge: IssuedBadge) -> None:
    response = Client().post("/badges/verifier/", {"credential": json.dumps(badge.credential)})
    assert "Badge authentique et valide." in page(response)


def test_the_verifier_finds_a_tampered_badge(badge: IssuedBadge) -> None:
    tampered = copy.deepcopy(badge.credential)
    tampered["validFrom"] = "2020-01-01T00:00:00Z"
    html = page(Client().post("/badges/verifier/", {"credential": json.dumps(tampered)}))
    assert "Ce badge n'est pas valide." in html
    assert "Signature invalide" in html


def test_the_verifier_reads_a_baked_png(badge: IssuedBadge) -> None:
    image = Client().get(f"/badges/{badge.uuid}.png").content
    upload = SimpleUploadedFile("badge.png", image, content_type="image/png")
    html = page(Client().post("/badges/verifier/", {"file": upload}))
    assert "Badge authentique et valide." in html


def test_the_verifier_names_what_it_cannot_read(badge: IssuedBadge) -> None:
    response = Client().post("/badges/verifier/", {"credential": "{pas du json"})
    assert response.status_code == 400
    html = page(response)
    assert "Ce n'est pas du JSON valide" in html
    assert "{pas du json" in html  # what was typed is kept


def test_the_verifier_speaks_english(badge: IssuedBadge) -> None:
    response = Client().post(
        "/badges/verifier/",
        {"credential": json.dumps(badge.credential)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Valid signature: the content has not been altered." in page(response)


def test_a_student_sees_their_own_badges_only(badge: IssuedBadge, persona: Any) -> None:
    student = persona("student")
    AchievementFactory(code="toeic", kind="certification", name="TOEIC 785")
    actions.do_issue_badge("toeic", student.person.uuid, acting_user=None)
    html = page(login(Client(), student).get("/badges/mes-badges/"))
    assert "TOEIC 785" in html
    assert "Concevoir un système d'information" not in html


def test_the_scolarite_finds_and_revokes_a_badge_with_a_reason(
    badge: IssuedBadge, persona: Any
) -> None:
    scolarite = login(Client(), persona("scolarite"))
    html = page(scolarite.get("/certification/badges/?q=lovelace"))
    assert "Concevoir un système d'information" in html
    refused = scolarite.post(f"/certification/badges/{badge.uuid}/revocation/", {"reason": ""})
    assert refused.status_code == 302
    badge.refresh_from_db()
    assert badge.revoked_at is None
    scolarite.post(f"/certification/badges/{badge.uuid}/revocation/", {"reason": "Fraude"})
    badge.refresh_from_db()
    assert badge.revocation_reason == "Fraude"
    assert "Ce badge n'est pas valide." in page(Client().get(f"/badges/{badge.uuid}"))


def test_the_scolarite_rotates_the_key_and_old_badges_still_verify(
    badge: IssuedBadge, persona: Any
) -> None:
    login(Client(), persona("scolarite")).post("/certification/badges/cle/")
    assert IssuerKey.objects.count() == 2
    assert "Badge authentique et valide." in page(Client().get(f"/badges/{badge.uuid}"))


def test_the_badges_export_as_csv(badge: IssuedBadge, persona: Any) -> None:
    response = login(Client(), persona("scolarite")).get("/certification/badges.csv")
    assert "bloc-si" in response.content.decode()


def test_the_verifier_names_an_svg_without_a_readable_badge() -> None:
    broken = b'<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential>{}</svg>'
    upload = SimpleUploadedFile("badge.svg", broken, content_type="image/svg+xml")
    response = Client().post("/badges/verifier/", {"file": upload})
    assert response.status_code == 400
    assert "ne contient pas de badge lisible" in page(response)
