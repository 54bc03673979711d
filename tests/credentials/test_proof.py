"""The eddsa-rdfc-2022 signer against 1EdTech's published Open Badges 3.0 test vector, and the
verifier's answers to altered credentials."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.credentials import proof
from lms.credentials.jsonld import canonicalize
from lms.credentials.multibase import ed25519_from_multikey, encode_base58btc
from tests.credentials.conftest import ISSUER

VECTOR_CREATED = datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC)


def sign_like_vector(vector, vector_key) -> dict:
    return proof.sign(
        vector["unsigned_credential"],
        vector_key,
        vector["proof_options"]["verificationMethod"],
        VECTOR_CREATED,
    )


def vector_resolver(vector):
    """Resolves the vector's verification method, and only it, to the vector's public key."""
    method = vector["proof_options"]["verificationMethod"]
    public_key = ed25519_from_multikey(vector["public_key_multibase"])
    return lambda requested: public_key if requested == method else None


# -- the published test vector -----------------------------------------------------------------


def test_vector_key_pair_matches_its_published_multikey(vector, vector_key):
    assert vector_key.public_key.public_bytes_raw().hex() == vector["public_key_hex"]
    assert vector_key.multibase == vector["public_key_multibase"]


def test_canonical_document_matches_the_vector_byte_for_byte(vector):
    canonical = canonicalize(vector["unsigned_credential"])
    assert canonical == vector["document_canonical_nquads"]
    assert hashlib.sha256(canonical.encode()).hexdigest() == vector["document_hash_hex"]


def test_canonical_proof_configuration_matches_the_vector_byte_for_byte(vector):
    config = vector["proof_options"] | {"@context": vector["unsigned_credential"]["@context"]}
    canonical = canonicalize(config)
    assert canonical == vector["proof_canonical_nquads"]
    assert hashlib.sha256(canonical.encode()).hexdigest() == vector["proof_hash_hex"]


def test_hash_data_is_proof_hash_then_document_hash(vector):
    data = proof.hash_data(vector["unsigned_credential"], vector["proof_options"])
    assert data.hex() == vector["proof_hash_hex"] + vector["document_hash_hex"]


def test_signer_reproduces_the_published_signature_and_proof(vector, vector_key):
    signed = sign_like_vector(vector, vector_key)

    assert signed["proof"] == vector["proof_options"] | {"proofValue": vector["proof_value"]}
    signature = vector_key.sign(proof.hash_data(vector["unsigned_credential"], signed["proof"]))
    assert signature.hex() == vector["signature_hex"]
    # The credential itself is unchanged, and the caller's dict is left alone.
    assert {k: v for k, v in signed.items() if k != "proof"} == vector["unsigned_credential"]
    assert "proof" not in vector["unsigned_credential"]


def test_verifier_accepts_the_published_signed_credential(vector, signed_vector_credential):
    result = proof.verify(signed_vector_credential, vector_resolver(vector))
    assert result == proof.VerificationResult(True, "valid")


# -- what verification rejects -----------------------------------------------------------------

SIGNATURE_MISMATCH = "the signature does not match"


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda c: c.update(name="Leadership Badge"), id="credential name"),
        pytest.param(lambda c: c.update(validFrom="2009-01-01T00:00:00Z"), id="validFrom"),
        pytest.param(
            lambda c: c["credentialSubject"].update(id="did:example:someone-else"), id="subject"
        ),
        pytest.param(
            lambda c: c["credentialSubject"]["achievement"]["criteria"].update(narrative="None."),
            id="nested criteria",
        ),
        pytest.param(lambda c: c["issuer"].update(id="https://evil.example/"), id="issuer"),
        pytest.param(lambda c: c["type"].remove("OpenBadgeCredential"), id="type removed"),
    ],
)
def test_altered_credential_field_fails(vector, signed_vector_credential, alter):
    tampered = copy.deepcopy(signed_vector_credential)
    alter(tampered)
    result = proof.verify(tampered, vector_resolver(vector))
    assert not result.ok
    assert result.reason.startswith(SIGNATURE_MISMATCH)


def test_altered_proof_created_fails(vector, signed_vector_credential):
    signed_vector_credential["proof"]["created"] = "2011-01-01T19:23:24Z"
    result = proof.verify(signed_vector_credential, vector_resolver(vector))
    assert not result.ok
    assert result.reason.startswith(SIGNATURE_MISMATCH)


def test_altered_proof_purpose_fails_even_where_that_purpose_is_expected(
    vector, signed_vector_credential
):
    signed_vector_credential["proof"]["proofPurpose"] = "authentication"
    result = proof.verify(
        signed_vector_credential, vector_resolver(vector), expected_proof_purpose="authentication"
    )
    assert not result.ok
    assert result.reason.startswith(SIGNATURE_MISMATCH)


def test_altered_verification_method_fails_even_where_it_resolves_to_the_key(
    vector, signed_vector_credential
):
    signed_vector_credential["proof"]["verificationMethod"] = "https://example.edu/keys#other"
    public_key = ed25519_from_multikey(vector["public_key_multibase"])
    result = proof.verify(signed_vector_credential, lambda method: public_key)
    assert not result.ok
    assert result.reason.startswith(SIGNATURE_MISMATCH)


def test_altered_proof_value_fails(vector, signed_vector_credential):
    tampered = copy.deepcopy(signed_vector_credential)
    signature = bytearray(bytes.fromhex(vector["signature_hex"]))
    signature[0] ^= 1
    tampered["proof"]["proofValue"] = encode_base58btc(bytes(signature))
    result = proof.verify(tampered, vector_resolver(vector))
    assert not result.ok
    assert result.reason.startswith(SIGNATURE_MISMATCH)


def test_wrong_key_fails(signed_vector_credential):
    other = Ed25519PrivateKey.generate().public_key()
    result = proof.verify(signed_vector_credential, lambda method: other)
    assert not result.ok
    assert result.reason.startswith(SIGNATURE_MISMATCH)


def test_unknown_verification_method_fails(vector, signed_vector_credential):
    tampered = copy.deepcopy(signed_vector_credential)
    tampered["proof"]["verificationMethod"] = "https://example.edu/issuers/565049#other-key"
    result = proof.verify(tampered, vector_resolver(vector))
    assert result == proof.VerificationResult(
        False, "unknown verification method 'https://example.edu/issuers/565049#other-key'"
    )


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("cryptosuite", "ecdsa-rdfc-2019", "unsupported cryptosuite 'ecdsa-rdfc-2019'"),
        ("cryptosuite", "eddsa-jcs-2022", "unsupported cryptosuite 'eddsa-jcs-2022'"),
        ("type", "Ed25519Signature2020", "unsupported proof type 'Ed25519Signature2020'"),
        ("proofPurpose", "authentication", "proof purpose 'authentication' is not"),
        ("created", "2010-01-01T19:23:24", "proof created '2010-01-01T19:23:24' is not"),
        ("proofValue", "u9mUKH", "proofValue: not a base58btc multibase string"),
        ("proofValue", "z0OIl", "proofValue: invalid base58btc data"),
        ("proofValue", "z2NEpo7TZRRrLZSi2U", "proofValue must hold a 64-byte"),
    ],
)
def test_wrong_proof_options_fail_with_their_reason(
    vector, signed_vector_credential, field, value, reason
):
    tampered = copy.deepcopy(signed_vector_credential)
    tampered["proof"][field] = value
    result = proof.verify(tampered, vector_resolver(vector))
    assert not result.ok
    assert result.reason.startswith(reason)


def test_missing_proof_fails(vector):
    result = proof.verify(vector["unsigned_credential"], vector_resolver(vector))
    assert result == proof.VerificationResult(False, "the credential has no proof")


@pytest.mark.parametrize("name", ["verificationMethod", "proofValue"])
def test_proof_missing_a_member_fails(vector, signed_vector_credential, name):
    del signed_vector_credential["proof"][name]
    result = proof.verify(signed_vector_credential, vector_resolver(vector))
    assert result == proof.VerificationResult(False, f"the proof has no {name}")


def test_proof_set_is_not_accepted(vector, signed_vector_credential):
    signed_vector_credential["proof"] = [signed_vector_credential["proof"]] * 2
    result = proof.verify(signed_vector_credential, vector_resolver(vector))
    assert not result.ok
    assert "single proof" in result.reason


def test_single_proof_in_a_list_verifies(vector, signed_vector_credential):
    signed_vector_credential["proof"] = [signed_vector_credential["proof"]]
    assert proof.verify(signed_vector_credential, vector_resolver(vector)).ok


def test_property_no_context_defines_fails_instead_of_passing_unsigned(
    vector, signed_vector_credential
):
    # JSON-LD would drop the property from the RDF, so the signature alone would still match.
    signed_vector_credential["grade"] = "A+"
    result = proof.verify(signed_vector_credential, vector_resolver(vector))
    assert not result.ok
    assert result.reason == (
        "the credential cannot be canonicalised: properties no context defines: 'grade'"
    )


def test_unpinned_context_fails_without_fetching(vector, signed_vector_credential, no_network):
    signed_vector_credential["@context"].append("https://evil.example/context.json")
    result = proof.verify(signed_vector_credential, vector_resolver(vector))
    assert not result.ok
    assert "'https://evil.example/context.json' is not pinned locally" in result.reason


def test_proof_context_must_be_a_prefix_of_the_credentials(vector, signed_vector_credential):
    signed_vector_credential["proof"]["@context"] = ["https://www.w3.org/ns/did/v1"]
    result = proof.verify(signed_vector_credential, vector_resolver(vector))
    assert not result.ok
    assert "@context is not a prefix" in result.reason


def test_proof_context_matching_the_credentials_verifies(vector, signed_vector_credential):
    signed_vector_credential["proof"]["@context"] = signed_vector_credential["@context"]
    assert proof.verify(signed_vector_credential, vector_resolver(vector)).ok


@pytest.mark.parametrize("document", [None, [], "proof"])
def test_non_object_is_rejected(vector, document):
    assert not proof.verify(document, vector_resolver(vector)).ok


# -- signing -----------------------------------------------------------------------------------


def test_created_is_written_in_utc_to_the_second(badge_credential, vector_key):
    paris = timezone(timedelta(hours=1))
    created = datetime(2026, 11, 23, 11, 0, 0, 123456, tzinfo=paris)
    signed = proof.sign(badge_credential, vector_key, f"{ISSUER}#vector", created)
    assert signed["proof"]["created"] == "2026-11-23T10:00:00Z"


def test_naive_created_is_refused(badge_credential, vector_key):
    with pytest.raises(proof.ProofError, match="time zone"):
        proof.sign(badge_credential, vector_key, f"{ISSUER}#vector", datetime(2026, 11, 23))


def test_signed_document_is_not_signed_again(signed_vector_credential, vector_key):
    with pytest.raises(proof.ProofError, match="already has a proof"):
        proof.sign(signed_vector_credential, vector_key, f"{ISSUER}#vector", VECTOR_CREATED)


def test_document_without_context_is_refused(vector_key):
    with pytest.raises(proof.ProofError, match="@context"):
        proof.sign({"name": "x"}, vector_key, f"{ISSUER}#vector", VECTOR_CREATED)


def test_badge_credential_round_trips(badge_credential, vector_key):
    method = f"{ISSUER}#vector"
    signed = proof.sign(badge_credential, vector_key, method, VECTOR_CREATED)
    resolve = {method: vector_key.public_key}.get
    assert proof.verify(signed, resolve).ok

    signed["credentialSubject"]["result"][0]["value"] = "99"
    assert not proof.verify(signed, resolve).ok
