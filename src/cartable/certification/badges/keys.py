"""The issuer's Ed25519 keys: generated with ``cryptography``, stored as encrypted PKCS#8 PEM
(the passphrase is ``CARTABLE_BADGE_KEY_PASSPHRASE``, else derived from ``SECRET_KEY``), never
written in clear anywhere."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    load_pem_private_key,
)
from django.conf import settings

from .multikey import public_key_multibase


def _passphrase() -> bytes:
    configured = settings.CARTABLE_BADGE_KEY_PASSPHRASE
    if configured:
        return str(configured).encode("utf-8")
    # a key of its own, derived from the secret key, so that the two never coincide
    return hashlib.sha256(b"cartable-badge-keys:" + settings.SECRET_KEY.encode()).digest()


def new_key() -> tuple[str, str]:
    """A fresh key: (publicKeyMultibase, encrypted private PEM)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(_passphrase())
    ).decode("ascii")
    return public_key_multibase(key.public_key()), pem


def load(pem: str) -> Ed25519PrivateKey:
    key = load_pem_private_key(pem.encode("ascii"), password=_passphrase())
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the issuer key is not an Ed25519 key")
    return key
