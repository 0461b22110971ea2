"""W3C Bitstring Status List v1.0: the ``encodedList`` of a list is the multibase base64url
(no padding, prefix ``u``) of the GZIP-compressed bitstring; bit 0 is the left-most bit of the
first byte. A list holds at least 131,072 entries (16 KiB), for herd privacy."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

MINIMUM_SIZE = 131072


def encode(set_indices: Iterable[int], size: int = MINIMUM_SIZE) -> str:
    if size % 8 or size < MINIMUM_SIZE:
        raise ValueError(f"a status list holds a multiple of 8 entries, at least {MINIMUM_SIZE}")
    bits = bytearray(size // 8)
    for index in set_indices:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list (0–{size - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix “u”)")
    text = encoded[1:]
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return gzip.decompress(data)


def is_set(encoded: str, index: int) -> bool:
    bits = decode(encoded)
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
