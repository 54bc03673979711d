"""An independent ``eddsa-rdfc-2022`` verifier, written from the specifications alone.

It deliberately imports nothing from ``lms``: its own base58btc decoder, its own Multikey
decoding, its own document loader (reading the context copies in ``tests/fixtures/jsonld``), its
own hashing. Only the RDFC-1.0 implementation (pyld) and Ed25519 (cryptography) are shared
with the signer, as they would be with any Python verifier. If the signer misread the
specification, this verifier, read against the specification separately, disagrees.

Specifications: W3C Data Integrity EdDSA Cryptosuites v1.0, .3.3 (eddsa-rdfc-2022: "Verify
Proof", "Transformation", "Hashing", "Proof Configuration") and the Controlled Identifiers
Multikey format.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

FIXTURES = Path(__file__).parent.parent / "fixtures" / "jsonld"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": FIXTURES / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        FIXTURES / "ob-v3p0-context-3.0.3.json"
    ),
}
BITCOIN_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class IndependentVerificationError(Exception):
    pass


def base58btc_decode(text: str) -> bytes:
    """Decode a multibase base58btc string ('z' prefix), leading '1's being zero bytes."""
    if not text.startswith("z"):
        raise IndependentVerificationError("multibase prefix is not 'z' (base58btc)")
    digits = text[1:]
    number = 0
    for char in digits:
        if char not in BITCOIN_ALPHABET:
            raise IndependentVerificationError(f"{char!r} is not a base58btc digit")
        number = number * 58 + BITCOIN_ALPHABET.index(char)
    leading_zeros = len(digits) - len(digits.lstrip("1"))
    return b"\x00" * leading_zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def public_key_from_multikey(public_key_multibase: str) -> Ed25519PublicKey:
    data = base58btc_decode(public_key_multibase)
    if data[:2] != bytes([0xED, 0x01]) or len(data) != 34:
        raise IndependentVerificationError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def load_context(url: str, options: dict) -> dict:
    if url not in CONTEXT_FILES:
        raise IndependentVerificationError(f"no local copy of context {url}")
    document = json.loads(CONTEXT_FILES[url].read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def rdfc(document: dict) -> str:
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": load_context,
    }
    return jsonld.normalize(document, options)


def verify_credential(
    secured: dict, public_key_multibase: str, verification_method: str | None = None
) -> None:
    """Raise ``IndependentVerificationError`` unless ``secured`` carries a valid proof."""
    proof = secured.get("proof")
    if not isinstance(proof, dict):
        raise IndependentVerificationError("no single proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-rdfc-2022":
        raise IndependentVerificationError("not a DataIntegrityProof with eddsa-rdfc-2022")
    if verification_method is not None and proof.get("verificationMethod") != verification_method:
        raise IndependentVerificationError("unexpected verification method")
    # Verify Proof, steps 1-3: the document without its proof, the options without proofValue.
    unsecured = {name: value for name, value in secured.items() if name != "proof"}
    proof_options = {name: value for name, value in proof.items() if name != "proofValue"}
    signature = base58btc_decode(proof["proofValue"])
    # Proof Configuration: the options, under the document's @context.
    proof_config = dict(proof_options)
    proof_config["@context"] = unsecured["@context"]
    # Transformation and Hashing: proofConfigHash first, then transformedDocumentHash.
    proof_config_hash = hashlib.sha256(rdfc(proof_config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(rdfc(unsecured).encode("utf-8")).digest()
    try:
        public_key_from_multikey(public_key_multibase).verify(
            signature, proof_config_hash + document_hash
        )
    except InvalidSignature:
        raise IndependentVerificationError("signature does not verify") from None
