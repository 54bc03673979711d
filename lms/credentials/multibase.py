"""Multibase base58btc strings and Ed25519 Multikeys, as Data Integrity proofs write them.

A base58btc multibase string is ``'z'`` followed by the Bitcoin-alphabet base58 encoding. An
Ed25519 Multikey (``publicKeyMultibase``) encodes the multicodec header ``0xed 0x01`` followed by
the raw 32-byte public key, which is why every such key starts with ``z6Mk``.
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

BASE58BTC_PREFIX = "z"
#: Multicodec varint for ``ed25519-pub``.
ED25519_PUB_HEADER = b"\xed\x01"


def encode_base58btc(data: bytes) -> str:
    """``data`` as a base58btc multibase string (``'z'`` + base58, Bitcoin alphabet)."""
    return BASE58BTC_PREFIX + base58.b58encode(data).decode("ascii")


def decode_base58btc(text: str) -> bytes:
    """The bytes of a base58btc multibase string; ``ValueError`` if it is not one."""
    if not isinstance(text, str) or not text.startswith(BASE58BTC_PREFIX) or len(text) < 2:
        raise ValueError("not a base58btc multibase string (it must start with 'z')")
    try:
        return base58.b58decode(text[1:].encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise ValueError(f"invalid base58btc data: {error}") from error


def ed25519_multikey(public_key: Ed25519PublicKey) -> str:
    """The Multikey ``publicKeyMultibase`` of an Ed25519 public key (``z6Mk…``)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_base58btc(ED25519_PUB_HEADER + raw)


def ed25519_from_multikey(text: str) -> Ed25519PublicKey:
    """The Ed25519 public key a Multikey ``publicKeyMultibase`` encodes."""
    data = decode_base58btc(text)
    if not data.startswith(ED25519_PUB_HEADER) or len(data) != 2 + 32:
        raise ValueError("not an Ed25519 Multikey (expected 0xed01 and 32 key bytes)")
    return Ed25519PublicKey.from_public_bytes(data[2:])
