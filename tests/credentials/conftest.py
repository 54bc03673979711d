"""Fixtures for the credential tests: the published 1EdTech vector, its key, a key store in a
temporary directory and an OpenBadgeCredential shaped like the ones the LMS issues."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.credentials.keys import IssuerKey, KeyStore

FIXTURES = Path(__file__).parent.parent / "fixtures" / "jsonld"
ISSUER = "https://lms.example.org/issuer"


@pytest.fixture
def vector() -> dict:
    """1EdTech's Open Badges 3.0 eddsa-rdfc-2022 test vector, with its intermediate values."""
    return json.loads((FIXTURES / "ob3-eddsa-rdfc-2022-test-vector.json").read_text())


@pytest.fixture
def vector_key(vector) -> IssuerKey:
    # The vector gives the 64-byte libsodium form: the 32-byte seed, then the public key.
    seed = bytes.fromhex(vector["private_key_hex"])[:32]
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    created_at = datetime(2010, 1, 1, tzinfo=UTC)
    return IssuerKey("vector", created_at, private_key.public_key(), private_key)


@pytest.fixture
def signed_vector_credential(vector) -> dict:
    """The vector's credential with the proof the vector publishes."""
    proof = vector["proof_options"] | {"proofValue": vector["proof_value"]}
    return vector["unsigned_credential"] | {"proof": proof}


@pytest.fixture
def key_store(tmp_path) -> KeyStore:
    return KeyStore(tmp_path / "instance" / "keys")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a host name fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def badge_credential() -> dict:
    """An unsigned OpenBadgeCredential as the LMS issues them: thresholds as result
    descriptions, the learner's results, evidence with digests, a company as source."""
    achievement_id = "https://lms.example.org/tracks/web-development/achievement"
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://lms.example.org/certificates/7f3c2a",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Web development — certified",
        "issuer": {
            "id": ISSUER,
            "type": ["Profile"],
            "name": "National Digital Skills Programme",
            "url": "https://lms.example.org",
        },
        "validFrom": "2026-11-23T10:00:00Z",
        "credentialSubject": {
            "id": "urn:uuid:1b0e9a4e-8c53-4f55-9f0b-6a2f4a3d2c11",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "name": "Web development",
                "description": "Certified full-stack web developer.",
                "criteria": {"narrative": "Meets every threshold of certification.toml."},
                "resultDescription": [
                    {
                        "id": f"{achievement_id}#average-score",
                        "type": ["ResultDescription"],
                        "name": "Average best score over required exercises",
                        "resultType": "Percent",
                        "requiredValue": "70",
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{achievement_id}#average-score",
                    "value": "84.5",
                }
            ],
            "source": {
                "id": "https://lms.example.org/organizations/acme",
                "type": ["Profile"],
                "name": "Acme Web Agency",
            },
        },
        "evidence": [
            {
                "id": "https://lms.example.org/evidence/submissions/1234",
                "type": ["Evidence"],
                "name": "Submission: forms and validation",
                "digestMultibase": "uEiDm9F0jOp6Rfvf6nXvHKQmF0ArQcp4dCSo9vn8Ojr3sNQ",
            }
        ],
    }
