"""The university as badge issuer, read side: its signing key, its published profile, the
keys that verify its proofs, its status lists, and the verification of a credential."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .badges import documents, integrity, keys, multikey, verification
from .models import IssuerKey, StatusList


@lru_cache(maxsize=8)
def private_key(pem: str) -> Ed25519PrivateKey:
    """The decrypted key (decryption is deliberately slow: once per process and key)."""
    return keys.load(pem)


def profile() -> dict[str, Any]:
    """The issuer Profile with every key that ever signed (oldest first)."""
    return documents.issuer_profile(
        IssuerKey.objects.order_by("created_at").values_list("public_key_multibase", flat=True)
    )


def resolve_key(method: str) -> Ed25519PublicKey | None:
    """The public key of one of our verification methods, None for anyone else's."""
    prefix = documents.issuer_id() + "#"
    if not method.startswith(prefix):
        return None
    key = method[len(prefix) :]
    if not IssuerKey.objects.filter(public_key_multibase=key).exists():
        return None
    try:
        return multikey.public_key_from_multibase(key)
    except ValueError:
        return None


def status_list_document(url: str) -> dict[str, Any] | None:
    """Our signed status list credential published at ``url``, if it is one of ours."""
    prefix = documents.status_list_id(0)[:-1]
    if not url.startswith(prefix) or not url[len(prefix) :].isdigit():
        return None
    found = StatusList.objects.filter(number=int(url[len(prefix) :])).first()
    return found.credential if found and found.credential else None


_SIGNED_LISTS: dict[str, bool] = {}


def list_is_signed(listed: dict[str, Any]) -> bool:
    """Whether a status list credential carries our valid proof; remembered by the digest of
    its whole content (a list is re-signed at each revocation, so its digest changes)."""
    digest = hashlib.sha256(json.dumps(listed, sort_keys=True).encode()).hexdigest()
    if digest not in _SIGNED_LISTS:
        if len(_SIGNED_LISTS) > 64:
            _SIGNED_LISTS.clear()
        _SIGNED_LISTS[digest] = integrity.verify(listed, resolve_key).ok
    return _SIGNED_LISTS[digest]


def verify(document: Any) -> verification.Verification:
    return verification.verify(
        document,
        issuer=documents.issuer_id(),
        resolve_key=resolve_key,
        status_list=status_list_document,
        list_is_signed=list_is_signed,
    )
