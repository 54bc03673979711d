"""W3C Data Integrity proofs, type ``DataIntegrityProof``, cryptosuite ``eddsa-rdfc-2022``.

Signing (the cryptosuite's "Create Proof" algorithm):

1. the *proof configuration* is the proof options (type, created, verificationMethod,
   cryptosuite, proofPurpose; no ``proofValue``) with the document's ``@context``;
2. the document (without ``proof``) and the proof configuration are each canonicalised with
   RDFC-1.0 (URDNA2015) to N-Quads;
3. ``hashData = SHA-256(canonical proof configuration) || SHA-256(canonical document)``;
4. the Ed25519 signature of ``hashData``, as base58btc multibase, is the ``proofValue``.

Verification recomputes ``hashData`` from the signed document and checks the signature with the
public key the verification method resolves to. Any change to a signed statement or to a proof
option changes a hash, so the signature no longer matches.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lms.credentials.jsonld import JsonLdDocumentError, canonicalize
from lms.credentials.keys import IssuerKey
from lms.credentials.multibase import decode_base58btc, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
SIGNATURE_LENGTH = 64
#: XML Schema ``dateTimeStamp``: a date-time with a mandatory time zone.
_DATE_TIME_STAMP = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    #: Why the proof failed, or ``"valid"``.
    reason: str


class ProofError(ValueError):
    """A document cannot be signed as asked."""


def sign(
    document: dict,
    key: IssuerKey,
    verification_method: str,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict:
    """A copy of ``document`` with a ``DataIntegrityProof`` made with ``key``."""
    if "@context" not in document:
        raise ProofError("the document has no @context")
    if "proof" in document:
        raise ProofError("the document already has a proof")
    if created.tzinfo is None:
        raise ProofError("created must carry a time zone")
    options = {
        "type": PROOF_TYPE,
        "created": created.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": proof_purpose,
    }
    signed = copy.deepcopy(document)
    signature = key.sign(hash_data(document, options))
    signed["proof"] = options | {"proofValue": encode_base58btc(signature)}
    return signed


def verify(
    document: dict,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    expected_proof_purpose: str = "assertionMethod",
) -> VerificationResult:
    """Whether ``document``'s proof holds; ``resolve_key`` maps a verification method to a key."""
    if not isinstance(document, dict):
        return _fail("the credential is not a JSON object")
    proof = document.get("proof")
    if proof is None:
        return _fail("the credential has no proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            return _fail("only a single proof is supported, not a proof set or chain")
        proof = proof[0]
    if not isinstance(proof, dict):
        return _fail("the proof is not a JSON object")
    problem = _check_options(proof, expected_proof_purpose)
    if problem:
        return _fail(problem)
    try:
        signature = decode_base58btc(proof["proofValue"])
    except ValueError as error:
        return _fail(f"proofValue: {error}")
    if len(signature) != SIGNATURE_LENGTH:
        return _fail(f"proofValue must hold a {SIGNATURE_LENGTH}-byte Ed25519 signature")
    public_key = resolve_key(proof["verificationMethod"])
    if public_key is None:
        return _fail(f"unknown verification method {proof['verificationMethod']!r}")
    return _check_signature(document, proof, public_key, signature)


def hash_data(document: dict, proof_options: dict) -> bytes:
    """``SHA-256(canonical proof configuration) || SHA-256(canonical document)``."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    config_hash = hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    return config_hash + document_hash


def _check_options(proof: dict, expected_proof_purpose: str) -> str | None:
    if proof.get("type") != PROOF_TYPE:
        return f"unsupported proof type {proof.get('type')!r} (expected {PROOF_TYPE!r})"
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return f"unsupported cryptosuite {proof.get('cryptosuite')!r} (expected {CRYPTOSUITE!r})"
    if proof.get("proofPurpose") != expected_proof_purpose:
        return (
            f"proof purpose {proof.get('proofPurpose')!r} is not the expected "
            f"{expected_proof_purpose!r}"
        )
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and _DATE_TIME_STAMP.match(created)):
        return f"proof created {created!r} is not a date-time with a time zone"
    if not isinstance(proof.get("verificationMethod"), str):
        return "the proof has no verificationMethod"
    if not isinstance(proof.get("proofValue"), str):
        return "the proof has no proofValue"
    return None


def _check_signature(
    document: dict, proof: dict, public_key: Ed25519PublicKey, signature: bytes
) -> VerificationResult:
    context = document.get("@context")
    if context is None:
        return _fail("the credential has no @context")
    proof_context = proof.get("@context")
    if proof_context is not None and not _starts_with(context, proof_context):
        return _fail("the proof's @context is not a prefix of the credential's @context")
    try:
        data = hash_data(document, proof)
    except JsonLdDocumentError as error:
        return _fail(f"the credential cannot be canonicalised: {error}")
    except Exception as error:  # malformed input must neither pass nor crash verification
        return _fail(f"the credential is not valid JSON-LD: {error!r}")
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return _fail(
            "the signature does not match: the credential or its proof was altered, "
            "or it was signed with another key"
        )
    return VerificationResult(True, "valid")


def _starts_with(context: object, prefix: object) -> bool:
    context = context if isinstance(context, list) else [context]
    prefix = prefix if isinstance(prefix, list) else [prefix]
    return context[: len(prefix)] == prefix


def _fail(reason: str) -> VerificationResult:
    return VerificationResult(False, reason)
