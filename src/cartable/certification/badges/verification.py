"""Verifying an OpenBadgeCredential: its form and the official JSON Schema, its issuer, its
Data Integrity proof, its revocation status and its validity dates. Each check answers in
French and English; the caller gives the keys and the status lists it knows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import integrity, statuslist

SCHEMA_FILE = (
    Path(__file__).resolve().parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"
)


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    fr: str
    en: str


@dataclass(frozen=True)
class Verification:
    checks: tuple[Check, ...]

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "checks": [
                {"check": c.code, "ok": c.ok, "message": c.en, "message_fr": c.fr}
                for c in self.checks
            ],
        }


@cache
def schema_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


def schema_errors(document: Any) -> list[str]:
    """What the official OB 3.0 JSON Schema finds wrong, one line per error (path: message)."""
    errors = sorted(schema_validator().iter_errors(document), key=lambda e: list(e.path))
    return [f"{'/'.join(str(p) for p in e.path) or '(racine)'}: {e.message}" for e in errors]


def _parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def verify(
    document: Any,
    *,
    issuer: str,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    status_list: Callable[[str], dict[str, Any] | None],
    now: datetime | None = None,
    list_is_signed: Callable[[dict[str, Any]], bool] | None = None,
) -> Verification:
    """Every check on ``document`` (a parsed JSON value). ``issuer``: the id of the issuer this
    verifier vouches for; ``status_list``: the signed status list credential at a URL, if
    known."""
    now = now or datetime.now(UTC)
    checks: list[Check] = []
    types = document.get("type", []) if isinstance(document, dict) else []
    if not isinstance(document, dict) or "VerifiableCredential" not in types:
        return Verification(
            (
                Check(
                    "format",
                    False,
                    "Ce document n'est pas une attestation vérifiable (VerifiableCredential).",
                    "This document is not a VerifiableCredential.",
                ),
            )
        )
    errors = schema_errors(document)
    checks.append(
        Check(
            "schema",
            not errors,
            "Conforme au schéma Open Badges 3.0."
            if not errors
            else "Non conforme au schéma Open Badges 3.0 : " + " ; ".join(errors[:5]),
            "Conforms to the Open Badges 3.0 schema."
            if not errors
            else "Does not conform to the Open Badges 3.0 schema: " + "; ".join(errors[:5]),
        )
    )
    issuer_found = document.get("issuer")
    issuer_found = issuer_found.get("id") if isinstance(issuer_found, dict) else issuer_found
    ours = issuer_found == issuer
    checks.append(
        Check(
            "issuer",
            ours,
            "Émise par l'établissement." if ours else f"Émetteur inconnu : {issuer_found}.",
            "Issued by the university." if ours else f"Unknown issuer: {issuer_found}.",
        )
    )
    proof = integrity.verify(document, resolve_key)
    checks.append(
        Check(
            "proof",
            proof.ok,
            "Signature valide : le contenu n'a pas été modifié."
            if proof.ok
            else f"Signature invalide ({proof.reason}).",
            "Valid signature: the content has not been altered."
            if proof.ok
            else f"Invalid signature ({proof.reason}).",
        )
    )
    signed = list_is_signed or (lambda listed: integrity.verify(listed, resolve_key).ok)
    checks.append(_status_check(document, status_list, signed))
    checks.append(_validity_check(document, now))
    return Verification(tuple(checks))


def _status_check(
    document: dict[str, Any],
    status_list: Callable[[str], dict[str, Any] | None],
    list_is_signed: Callable[[dict[str, Any]], bool],
) -> Check:
    entry = document.get("credentialStatus")
    if entry is None:
        return Check("status", True, "Sans statut de révocation.", "No revocation status.")
    try:
        url = str(entry["statusListCredential"])
        index = int(entry["statusListIndex"])
    except (KeyError, TypeError, ValueError):
        return Check("status", False, "Statut illisible.", "Unreadable status entry.")
    listed = status_list(url)
    if listed is None or not list_is_signed(listed):
        return Check(
            "status",
            False,
            "Liste de révocation introuvable ou non signée par l'établissement.",
            "Revocation list not found or not signed by the university.",
        )
    try:
        revoked = statuslist.is_set(listed["credentialSubject"]["encodedList"], index)
    except (KeyError, TypeError, ValueError, OSError):
        return Check(
            "status", False, "Liste de révocation illisible.", "Unreadable revocation list."
        )
    if revoked:
        return Check("status", False, "Révoquée par l'établissement.", "Revoked by the university.")
    return Check("status", True, "Non révoquée.", "Not revoked.")


def _validity_check(document: dict[str, Any], now: datetime) -> Check:
    start = _parse_time(document.get("validFrom"))
    end = _parse_time(document.get("validUntil")) if "validUntil" in document else None
    if start is None or start > now:
        return Check("validity", False, "Pas encore valide.", "Not valid yet.")
    if "validUntil" in document and (end is None or end <= now):
        return Check("validity", False, "Expirée.", "Expired.")
    return Check("validity", True, "En cours de validité.", "Currently valid.")
