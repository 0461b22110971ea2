"""JSON-LD contexts from pinned local copies, never fetched: a document loader for pyld.

Each context URL maps to a file of ``contexts/`` whose SHA-256 is pinned here; a file that
does not match its digest, or a URL that is not listed, stops the processing (VC 2.0 requires
the credentials context to be checked this way). The copies come from the university's
standards folder, with their origin recorded in ``contexts/README.md``."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

#: URL → (file, SHA-256 of the file's bytes)
PINNED: dict[str, tuple[str, str]] = {
    VC_V2: (
        "credentials-v2.jsonld",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    "https://www.w3.org/2018/credentials/v1": (
        "credentials-v1.jsonld",
        "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
    ),
    OB_V3: (
        "ob-v3p0-context-3.0.3-hosted-20260703.json",
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": (
        "ob-v3p0-context-3.0.2.json",
        "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53",
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": (
        "ob-v3p0-extensions.json",
        "2d013f981d1f4516081a6a04e55468ba2b071d4153b794f19a79715c45a89a5e",
    ),
    "https://w3id.org/security/data-integrity/v2": (
        "data-integrity-v2.jsonld",
        "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
    ),
    "https://w3id.org/security/data-integrity/v1": (
        "data-integrity-v1.jsonld",
        "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554",
    ),
    MULTIKEY_V1: (
        "multikey-v1.jsonld",
        "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
    ),
    "https://www.w3.org/ns/did/v1": (
        "did-v1.jsonld",
        "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f",
    ),
}


class ContextError(Exception):
    """A context that is not pinned, or whose local copy does not match its digest."""


@cache
def pinned_context(url: str) -> dict[str, Any]:
    """The parsed context of ``url`` from its local copy, after checking its digest."""
    if url not in PINNED:
        raise ContextError(f"context not pinned, not fetched: {url}")
    name, digest = PINNED[url]
    raw = (CONTEXTS_DIR / name).read_bytes()
    found = hashlib.sha256(raw).hexdigest()
    if found != digest:
        raise ContextError(f"context {url}: local copy {name} has digest {found}, not {digest}")
    document: dict[str, Any] = json.loads(raw)
    return document


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's loader interface, served only from the pinned copies."""
    try:
        document = pinned_context(url)
    except ContextError as error:
        raise jsonld.JsonLdError(
            str(error), "jsonld.LoadDocumentError", code="loading document failed"
        ) from error
    return {"contextUrl": None, "documentUrl": url, "document": document}


def canonical_nquads(document: dict[str, Any]) -> str:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document."""
    result: str = jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
            "safe": True,
        },
    )
    return result
