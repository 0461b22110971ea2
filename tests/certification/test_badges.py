"""Open Badges 3.0 issued by Cartable: signed OpenBadgeCredentials that conform to the official
JSON Schema, verify with an independent implementation (openbadgeslib), can be revoked through
the published Bitstring status list, survive a key rotation, and download baked in PNG/SVG."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client
from openbadgeslib.ob3.ldp import OB3LdpVerifier, verify_data_integrity_proof
from openbadgeslib.ob3.status import decode_encoded_list, set_indices
from openbadgeslib.ob3.verifier import OB3VerificationError
from pyld import jsonld as pyld_jsonld

from cartable.certification import actions, issuer
from cartable.certification.badges import documents, images, jsonld, multikey
from cartable.certification.models import IssuedBadge, IssuerKey
from cartable.core.models import AuditEntry
from tests.factories import PersonFactory

from .factories import AchievementFactory

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(
    (Path(__file__).parent / "vectors" / "ob_v3p0_achievementcredential_schema.json").read_text()
)


@pytest.fixture
def ada() -> Any:
    return PersonFactory(login="alovelace", institutional_email="ada.lovelace@utbm.fr")


def issue(person: Any, code: str = "bloc-si") -> IssuedBadge:
    AchievementFactory(code=code)
    return actions.do_issue_badge(code, person.uuid, source="test", acting_user=None)


def public_pem(badge: IssuedBadge) -> bytes:
    key = multikey.public_key_from_multibase(badge.key.public_key_multibase)
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def fetch(url: str) -> bytes:
    """What a verifier downloads: our public endpoints, served by the test client."""
    path = url.removeprefix(documents.base_url())
    response = Client().get(path)
    assert response.status_code == 200, url
    return response.content


def independent_verification(badge: IssuedBadge) -> Any:
    """openbadgeslib checks the credential (proof, context, dates, the bit in the published
    status list); it reads Data Integrity status lists without checking their proof, which
    it checks separately here."""
    listed = json.loads(fetch(badge.credential["credentialStatus"]["statusListCredential"]))
    verify_data_integrity_proof(listed, published_pem(listed))
    return OB3LdpVerifier(pubkey_pem=published_pem(badge.credential)).verify(
        badge.credential, check_status=True, download=fetch, verify_status_list=False
    )


def published_pem(document: dict[str, Any]) -> bytes:
    """The key of the document's proof, as the issuer profile publishes it."""
    method = document["proof"][0]["verificationMethod"]
    profile = json.loads(fetch(documents.issuer_id()))
    assert method in profile["assertionMethod"]
    (found,) = [m for m in profile["verificationMethod"] if m["id"] == method]
    key = multikey.public_key_from_multibase(found["publicKeyMultibase"])
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def test_an_issued_badge_conforms_to_the_official_json_schema(ada: Any) -> None:
    credential = issue(ada).credential
    errors = list(jsonschema.Draft201909Validator(SCHEMA).iter_errors(credential))
    assert errors == []
    assert isinstance(credential["proof"], list)
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_an_issued_badge_verifies_with_an_independent_implementation(ada: Any) -> None:
    badge = issue(ada)
    verify_data_integrity_proof(badge.credential, public_pem(badge))
    found = independent_verification(badge)
    assert found.issuer is not None
    assert found.issuer.id == documents.issuer_id()


def test_a_tampered_badge_fails_both_verifiers(ada: Any) -> None:
    tampered = copy.deepcopy(issue(ada).credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Diriger une entreprise"
    badge = IssuedBadge.objects.get()
    with pytest.raises(OB3VerificationError):
        verify_data_integrity_proof(tampered, public_pem(badge))
    verification = issuer.verify(tampered)
    assert not verification.valid
    assert [c.code for c in verification.checks if not c.ok] == ["proof"]


def test_a_revoked_badge_fails_through_the_published_status_list(ada: Any) -> None:
    badge = issue(ada)
    assert issuer.verify(badge.credential).valid
    actions.do_revoke_badge(badge.uuid, reason="Fraude à l'examen", acting_user=None)
    listed = json.loads(fetch(badge.credential["credentialStatus"]["statusListCredential"]))
    bits = decode_encoded_list(listed["credentialSubject"]["encodedList"])
    assert set_indices(bits) == {badge.status_index}
    with pytest.raises(OB3VerificationError, match="'revocation' is set"):
        independent_verification(badge)
    failed = [c.code for c in issuer.verify(badge.credential).checks if not c.ok]
    assert failed == ["status"]


def test_revocation_needs_a_reason_and_changes_nothing_without_one(ada: Any) -> None:
    badge = issue(ada)
    with pytest.raises(Exception, match="motif"):
        actions.do_revoke_badge(badge.uuid, reason="  ", acting_user=None)
    badge.refresh_from_db()
    assert badge.revoked_at is None


def test_a_key_rotation_keeps_earlier_badges_verifiable(ada: Any) -> None:
    before = issue(ada, "bloc-a")
    actions.do_rotate_issuer_key(acting_user=None)
    after = issue(ada, "bloc-b")
    assert before.key != after.key
    assert issuer.verify(before.credential).valid
    assert issuer.verify(after.credential).valid
    profile = json.loads(fetch(documents.issuer_id()))
    assert [m["publicKeyMultibase"] for m in profile["verificationMethod"]] == [
        before.key.public_key_multibase,
        after.key.public_key_multibase,
    ]
    independent_verification(before)


def test_the_issuer_profile_is_valid_json_ld_with_its_multikeys(ada: Any) -> None:
    issue(ada)
    profile = json.loads(fetch(documents.issuer_id()))
    expanded = pyld_jsonld.expand(profile, {"documentLoader": jsonld.document_loader})
    assert expanded[0]["@id"] == documents.issuer_id()
    method = profile["verificationMethod"][0]
    assert method["type"] == "Multikey"
    assert method["controller"] == documents.issuer_id()
    assert profile["assertionMethod"] == [method["id"]]


def test_issuer_private_keys_are_stored_encrypted(ada: Any) -> None:
    issue(ada)
    assert IssuerKey.objects.get().private_key_pem.startswith(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----"
    )


def test_issuing_twice_gives_the_same_badge(ada: Any) -> None:
    first = issue(ada)
    again = actions.do_issue_badge("bloc-si", ada.uuid, acting_user=None)
    assert again.pk == first.pk
    assert IssuedBadge.objects.count() == 1


def test_issuing_is_journaled_and_notified(ada: Any) -> None:
    badge = issue(ada)
    assert AuditEntry.objects.filter(
        action="certification.badge.issue", subject_uuid=ada.uuid, object_ref=str(badge.uuid)
    ).exists()
    from cartable.core.notifications import unread

    assert [n.title for n in unread(ada.uuid)] == [f"Nouveau badge : {badge.achievement.name}"]


def test_the_credential_names_the_holder_only_by_a_hash_of_their_address(ada: Any) -> None:
    credential = issue(ada).credential
    text = json.dumps(credential)
    assert "ada.lovelace" not in text
    assert "Lovelace" not in text
    identity = credential["credentialSubject"]["identifier"][0]
    assert documents.email_matches(identity, "Ada.Lovelace@utbm.fr")
    assert not documents.email_matches(identity, "charles.babbage@utbm.fr")


def test_the_baked_png_and_svg_carry_the_credential(ada: Any) -> None:
    badge = issue(ada)
    png = Client().get(f"/badges/{badge.uuid}.png")
    assert png["Content-Type"] == "image/png"
    assert images.unbake_png(png.content) == badge.credential
    svg = Client().get(f"/badges/{badge.uuid}.svg").content.decode()
    start = svg.index("<![CDATA[") + len("<![CDATA[")
    assert json.loads(svg[start : svg.index("]]></openbadges:credential>")]) == badge.credential
