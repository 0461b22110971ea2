"""The JSON-LD documents of Open Badges 3.0 that Cartable publishes: the issuer Profile (a
controller document listing its Multikeys), Achievements, OpenBadgeCredentials and the
BitstringStatusListCredential. Plain functions of data: signing is :mod:`.integrity`'s."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from .jsonld import MULTIKEY_V1, OB_V3, VC_V2

ACHIEVEMENT_TYPES = {"block": "Competency", "ue": "Course", "certification": "Certification"}


def base_url() -> str:
    return str(settings.CARTABLE_PUBLIC_URL).rstrip("/")


def issuer_id() -> str:
    return f"{base_url()}/badges/emetteur"


def achievement_id(key: Any) -> str:
    return f"{base_url()}/badges/realisations/{key}"


def credential_id(key: Any) -> str:
    return f"{base_url()}/badges/{key}"


def status_list_id(number: int) -> str:
    return f"{base_url()}/badges/statuts/{number}"


def verification_method(public_key_multibase: str) -> str:
    return f"{issuer_id()}#{public_key_multibase}"


def timestamp(moment: datetime) -> str:
    """XML Schema dateTime in UTC, to the second (what the proof's ``created`` uses too)."""
    if moment.utcoffset() is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_summary() -> dict[str, Any]:
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.CARTABLE_ISSUER_NAME,
        "url": base_url(),
    }


def issuer_profile(keys: Iterable[str]) -> dict[str, Any]:
    """The issuer Profile, published at its id: every key that ever signed stays listed (a
    rotated key keeps the credentials it signed verifiable)."""
    methods = [
        {
            "id": verification_method(key),
            "type": "Multikey",
            "controller": issuer_id(),
            "publicKeyMultibase": key,
        }
        for key in keys
    ]
    return {
        "@context": [VC_V2, OB_V3, MULTIKEY_V1],
        **issuer_summary(),
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


@dataclass(frozen=True)
class AchievementData:
    uuid: Any
    kind: str
    name: str
    name_en: str
    description: str
    criteria: str
    alignments: tuple[dict[str, str], ...]


def achievement(data: AchievementData) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": achievement_id(data.uuid),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES.get(data.kind, "Achievement"),
        "name": data.name,
        "description": data.description,
        "criteria": {"narrative": data.criteria},
        "inLanguage": "fr",
        "creator": issuer_summary(),
    }
    if data.alignments:
        found["alignment"] = [{"type": ["Alignment"], **a} for a in data.alignments]
    return found


def achievement_document(data: AchievementData) -> dict[str, Any]:
    return {"@context": [VC_V2, OB_V3], **achievement(data)}


def hashed_email(email: str, salt: str | None = None) -> dict[str, Any]:
    """An IdentityObject that names the recipient by a salted hash of their e-mail address:
    a verifier who knows the address can check it; nobody else learns it."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def email_matches(identity: dict[str, Any], email: str) -> bool:
    expected = hashed_email(email, str(identity.get("salt", "")))["identityHash"]
    return secrets.compare_digest(expected, str(identity.get("identityHash", "")))


def credential(
    *,
    key: Any,
    achievement_data: AchievementData,
    recipient_email: str,
    issued_at: datetime,
    status_list_number: int,
    status_index: int,
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential (VC Data Model 2.0)."""
    status_list = status_list_id(status_list_number)
    return {
        "@context": [VC_V2, OB_V3],
        "id": credential_id(key),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_summary(),
        "validFrom": timestamp(issued_at),
        "name": achievement_data.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [hashed_email(recipient_email)],
            "achievement": achievement(achievement_data),
        },
        "credentialStatus": {
            "id": f"{status_list}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list,
        },
    }


def status_list_credential(number: int, encoded_list: str, at: datetime) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential for revocation."""
    url = status_list_id(number)
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": timestamp(at),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
