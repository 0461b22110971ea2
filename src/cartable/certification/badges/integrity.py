"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (VC Data Integrity
EdDSA Cryptosuites v1.0, §3.2): RDFC-1.0 canonical forms of the proof options and of the
document, SHA-256 of each, Ed25519 over proof-hash ‖ document-hash, proofValue in base58btc.

``proof`` is always written as an array, as the Open Badges 3.0 JSON Schema requires; the
signature does not depend on it (the proof is set aside before hashing)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .jsonld import canonical_nquads
from .multikey import decode_base58btc, encode_base58btc

CRYPTOSUITE = "eddsa-rdfc-2022"


@dataclass(frozen=True)
class HashedForms:
    document_canon: str
    proof_canon: str
    document_hash: bytes
    proof_hash: bytes

    @property
    def data_to_sign(self) -> bytes:
        return self.proof_hash + self.document_hash


def _unsigned(document: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(document)
    body.pop("proof", None)
    return body


def hashed_forms(document: dict[str, Any], options: dict[str, Any]) -> HashedForms:
    """Canonical forms and hashes of an (unsigned) document and of proof options (without
    ``proofValue``; they take the document's ``@context``)."""
    proof_config = {k: v for k, v in options.items() if k != "proofValue"}
    proof_config["@context"] = document["@context"]
    document_canon = canonical_nquads(_unsigned(document))
    proof_canon = canonical_nquads(proof_config)
    return HashedForms(
        document_canon=document_canon,
        proof_canon=proof_canon,
        document_hash=hashlib.sha256(document_canon.encode("utf-8")).digest(),
        proof_hash=hashlib.sha256(proof_canon.encode("utf-8")).digest(),
    )


def proof_options(verification_method: str, created: str) -> dict[str, Any]:
    return {
        "type": "DataIntegrityProof",
        "created": created,
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": "assertionMethod",
    }


def sign(
    document: dict[str, Any], key: Ed25519PrivateKey, verification_method: str, created: str
) -> dict[str, Any]:
    """A copy of ``document`` with a Data Integrity proof appended to its ``proof`` array."""
    options = proof_options(verification_method, created)
    forms = hashed_forms(document, options)
    signature = key.sign(forms.data_to_sign)
    signed = copy.deepcopy(document)
    signed["proof"] = [{**options, "proofValue": encode_base58btc(signature)}]
    return signed


@dataclass(frozen=True)
class ProofCheck:
    ok: bool
    reason: str = ""
    verification_method: str = ""


def _root(error: BaseException) -> str:
    """The innermost cause of a pyld error (it wraps them layer after layer)."""
    seen = error
    while True:
        cause = getattr(seen, "cause", None) or seen.__cause__
        if not isinstance(cause, BaseException):
            break
        seen = cause
    return str(getattr(seen, "message", None) or seen).splitlines()[0]


def verify(
    document: dict[str, Any],
    resolve_key: Callable[[str], Ed25519PublicKey | None],
) -> ProofCheck:
    """Check the document's ``eddsa-rdfc-2022`` proof with the key ``resolve_key`` gives for
    its verification method (None: unknown key). The reason of a failure is in English, for
    logs and the verification endpoint; pages translate the outcome."""
    proofs = document.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not isinstance(proofs, list) or len(proofs) != 1 or not isinstance(proofs[0], dict):
        return ProofCheck(False, "exactly one proof is expected")
    proof = proofs[0]
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofCheck(False, f"the proof is not a DataIntegrityProof {CRYPTOSUITE}")
    if proof.get("proofPurpose") != "assertionMethod":
        return ProofCheck(False, "the proof purpose is not assertionMethod")
    method = str(proof.get("verificationMethod", ""))
    key = resolve_key(method)
    if key is None:
        return ProofCheck(False, "unknown verification method", method)
    try:
        signature = decode_base58btc(str(proof.get("proofValue", "")))
        forms = hashed_forms(document, proof)
        key.verify(signature, forms.data_to_sign)
    except InvalidSignature:
        return ProofCheck(False, "the signature does not match the document", method)
    except (ValueError, KeyError, TypeError) as error:
        return ProofCheck(False, f"the credential cannot be read: {error}", method)
    except Exception as error:  # pyld raises its own errors for malformed JSON-LD
        return ProofCheck(False, f"the credential is not valid JSON-LD: {_root(error)}", method)
    return ProofCheck(True, "", method)
