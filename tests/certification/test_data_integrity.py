"""The eddsa-rdfc-2022 proofs reproduce the 1EdTech Open Badges 3.0 test vector: both
canonical forms byte for byte, both hashes, the signature and the proofValue."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cartable.certification.badges import integrity, jsonld, multikey

VECTORS = Path(__file__).resolve().parent / "vectors"
VECTOR = json.loads((VECTORS / "obv3p0-eddsa-rdfc-2022.json").read_text())


def credential() -> dict[str, Any]:
    return json.loads((VECTORS / "ob3-teamwork-signed-eddsa-rdfc-2022.json").read_text())


def vector_key() -> Ed25519PrivateKey:
    seed = bytes.fromhex(VECTOR["key"]["private_key_hex_64_bytes_seed_plus_public"])[:32]
    return Ed25519PrivateKey.from_private_bytes(seed)


def resolve(method: str) -> Any:
    if method == VECTOR["key"]["verificationMethod"]:
        return multikey.public_key_from_multibase(VECTOR["key"]["publicKeyMultibase"])
    return None


def test_the_canonical_forms_and_hashes_match_the_vector() -> None:
    forms = integrity.hashed_forms(credential(), VECTOR["proof_options"])
    assert forms.document_canon == (VECTORS / "obv3p0-document-canon.nq").read_text()
    assert forms.proof_canon == (VECTORS / "obv3p0-proof-canon.nq").read_text()
    assert forms.document_hash.hex() == VECTOR["document_hash_hex"]
    assert forms.proof_hash.hex() == VECTOR["proof_hash_hex"]
    assert forms.data_to_sign.hex() == VECTOR["data_to_sign_hex"]


def test_signing_with_the_vector_key_gives_the_vectors_proof_value() -> None:
    unsigned = credential()
    del unsigned["proof"]
    signed = integrity.sign(
        unsigned,
        vector_key(),
        VECTOR["key"]["verificationMethod"],
        VECTOR["proof_options"]["created"],
    )
    assert isinstance(signed["proof"], list)
    assert signed["proof"][0]["proofValue"] == VECTOR["proofValue"]
    assert multikey.decode_base58btc(VECTOR["proofValue"]).hex() == VECTOR["signature_hex"]


def test_the_vector_key_has_the_vectors_multikey() -> None:
    public = vector_key().public_key()
    assert multikey.public_key_multibase(public) == VECTOR["key"]["publicKeyMultibase"]


def test_the_vector_credential_verifies() -> None:
    assert integrity.verify(credential(), resolve).ok


def test_a_tampered_credential_does_not_verify() -> None:
    tampered = credential()
    tampered["credentialSubject"]["achievement"]["name"] = "Leadership"
    check = integrity.verify(tampered, resolve)
    assert not check.ok
    assert "signature" in check.reason


def test_a_proof_by_an_unknown_key_does_not_verify() -> None:
    other = credential()
    other["proof"]["verificationMethod"] = "https://example.edu/issuers/565049#other"
    assert integrity.verify(other, resolve).reason == "unknown verification method"


def test_a_context_that_is_not_pinned_is_never_fetched() -> None:
    document = copy.deepcopy(credential())
    document["@context"].append("https://example.org/unpinned-context.json")
    check = integrity.verify(document, resolve)
    assert not check.ok
    assert "not pinned" in check.reason


def test_a_pinned_copy_that_does_not_match_its_digest_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, _digest in jsonld.PINNED.values():
        (tmp_path / name).write_bytes((jsonld.CONTEXTS_DIR / name).read_bytes())
    (tmp_path / "credentials-v2.jsonld").write_bytes(b'{"@context": {}}')
    monkeypatch.setattr(jsonld, "CONTEXTS_DIR", tmp_path)
    jsonld.pinned_context.cache_clear()
    try:
        with pytest.raises(jsonld.ContextError, match="digest"):
            jsonld.pinned_context(jsonld.VC_V2)
    finally:
        jsonld.pinned_context.cache_clear()
