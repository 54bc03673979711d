"""Ed25519 signers and verifiers for checkpoints, from keys held by whoever calls (the issuer's
key store, a test, an auditor with the published public keys)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from lms.audit.chain import Signer
from lms.audit.verification import SignatureCheck


def ed25519_signer(key: Ed25519PrivateKey, key_id: str) -> Signer:
    return lambda message: (key_id, key.sign(message))


def ed25519_verifier(keys: Iterable[Ed25519PublicKey]) -> SignatureCheck:
    """Accepts a signature made by any of ``keys`` (old keys stay valid for old checkpoints)."""
    keys = list(keys)

    def check(message: bytes, key_id: str, signature: bytes) -> bool:
        for key in keys:
            try:
                key.verify(signature, message)
                return True
            except InvalidSignature:
                continue
        return False

    return check


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key
