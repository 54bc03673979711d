"""base58btc multibase and Ed25519 Multikeys against published vectors."""

from __future__ import annotations

import pytest

from lms.credentials.multibase import (
    decode_base58btc,
    ed25519_from_multikey,
    ed25519_multikey,
    encode_base58btc,
)

# From the IETF base58 draft (draft-msporny-base58) and the multibase test suite.
BASE58_VECTORS = [
    (b"Hello World!", "z2NEpo7TZRRrLZSi2U"),
    (
        b"The quick brown fox jumps over the lazy dog.",
        "zUSm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    ),
    (bytes.fromhex("0000287fb4cd"), "z11233QC4"),
    (b"\x00", "z1"),
    (b"", "z"),
]


@pytest.mark.parametrize(("data", "text"), BASE58_VECTORS)
def test_base58btc_matches_known_vectors(data, text):
    assert encode_base58btc(data) == text
    if data:
        assert decode_base58btc(text) == data


@pytest.mark.parametrize("text", ["", "z", "2NEpo7", "f68656c6c6f", "z0OIl", "zé", 42])
def test_decoding_rejects_what_is_not_base58btc(text):
    with pytest.raises(ValueError):
        decode_base58btc(text)


def test_multikey_round_trips_the_vectors_key(vector, vector_key):
    assert ed25519_multikey(vector_key.public_key) == vector["public_key_multibase"]
    decoded = ed25519_from_multikey(vector["public_key_multibase"])
    assert decoded.public_bytes_raw().hex() == vector["public_key_hex"]


def test_multikey_of_another_type_is_refused():
    secp256k1_header = bytes([0xE7, 0x01])
    with pytest.raises(ValueError, match="Ed25519 Multikey"):
        ed25519_from_multikey(encode_base58btc(secp256k1_header + bytes(33)))
