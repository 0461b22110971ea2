"""Ed25519 keys as Multikey (``publicKeyMultibase``: base58btc of the multicodec header
0xed01 and the 32 raw bytes) and multibase strings."""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519_PUBLIC_HEADER = b"\xed\x01"


def encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: ``z`` then base58 (Bitcoin alphabet)."""
    return "z" + base58.b58encode(data).decode("ascii")


def decode_base58btc(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("not a base58btc multibase value (it must start with “z”)")
    return base58.b58decode(text[1:])


def public_key_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_base58btc(ED25519_PUBLIC_HEADER + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    data = decode_base58btc(text)
    if not data.startswith(ED25519_PUBLIC_HEADER) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey public key")
    return Ed25519PublicKey.from_public_bytes(data[2:])
