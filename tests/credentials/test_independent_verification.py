"""Credentials signed by ``lms.credentials.proof`` verify with an independent implementation of
the specification (``independent_verifier``, which imports nothing from ``lms``)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lms.credentials import proof
from tests.credentials import independent_verifier
from tests.credentials.conftest import ISSUER
from tests.credentials.independent_verifier import IndependentVerificationError


def test_independent_verifier_does_not_import_the_lms():
    tree = ast.parse(Path(independent_verifier.__file__).read_text())
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules.append(node.module)
    assert not [module for module in modules if module and module.split(".")[0] == "lms"]


def test_independent_verifier_accepts_the_published_vector(vector, signed_vector_credential):
    independent_verifier.verify_credential(signed_vector_credential, vector["public_key_multibase"])


def test_independent_base58_agrees_with_the_vector(vector):
    decoded = independent_verifier.base58btc_decode(vector["proof_value"])
    assert decoded.hex() == vector["signature_hex"]


def test_credential_signed_by_the_lms_verifies_independently(badge_credential, key_store):
    key = key_store.current()
    method = f"{ISSUER}#{key.id}"
    signed = proof.sign(badge_credential, key, method, datetime(2026, 11, 23, 10, tzinfo=UTC))

    # The independent side only gets what a verifier would find published: the Multikey.
    independent_verifier.verify_credential(signed, key.multibase, verification_method=method)


def test_independent_verifier_rejects_a_tampered_lms_credential(badge_credential, key_store):
    key = key_store.current()
    signed = proof.sign(
        badge_credential, key, f"{ISSUER}#{key.id}", datetime(2026, 11, 23, 10, tzinfo=UTC)
    )
    signed["evidence"][0]["digestMultibase"] = "uEiBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    with pytest.raises(IndependentVerificationError, match="signature does not verify"):
        independent_verifier.verify_credential(signed, key.multibase)


def test_lms_credential_signed_before_rotation_still_verifies_independently(
    badge_credential, key_store
):
    old = key_store.current()
    signed = proof.sign(
        badge_credential, old, f"{ISSUER}#{old.id}", datetime(2026, 11, 23, 10, tzinfo=UTC)
    )
    key_store.rotate()
    published = {key.id: key.multibase for key in key_store.all()}
    independent_verifier.verify_credential(signed, published[old.id])
