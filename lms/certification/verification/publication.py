"""What the issuer publishes for anyone to check a certificate: its profile with every key it
ever signed with, and the revocation list (revoked and suspended certificates) as a signed W3C
Bitstring Status List credential."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select

from lms.certification.issuing import operations as service
from lms.credentials import proof
from lms.credentials.keys import IssuerKey
from lms.extensions import db
from lms.models.certification import Certificate, CertificateStatus

#: The spec's minimum: 16 KB, so that one revoked certificate hides among 131,072 positions.
MIN_LIST_BITS = 131_072
STATUS_LIST_PATH = "/status/revocation"


def multikey(key: IssuerKey) -> dict:
    """One key as a Multikey verification method, at its stable id ``<issuer>#<key id>``."""
    issuer = service.issuer_id()
    return {
        "id": f"{issuer}#{key.id}",
        "type": "Multikey",
        "controller": issuer,
        "publicKeyMultibase": key.multibase,
    }


def issuer_profile() -> dict:
    """The issuer's Open Badges Profile; retired keys stay listed so old credentials verify."""
    return {
        "@context": service.CONTEXTS,
        "id": service.issuer_id(),
        "type": ["Profile"],
        "name": service.ISSUER_NAME,
        "url": service.base_url(),
        "verificationMethod": [multikey(key) for key in service.key_store().all()],
    }


# The status list ---------------------------------------------------------------------------


def encode_bitstring(indices: Iterable[int], size: int = MIN_LIST_BITS) -> str:
    """Multibase base64url (``u``, no padding) of the GZIP of a bitstring with ``indices`` set;
    index 0 is the most significant bit of the first byte, as the spec says."""
    indices = list(indices)
    size = max(size, _round_up(max(indices, default=0) + 1))
    bits = bytearray(size // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same revocations always give the same bytes
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix 'u')")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def _round_up(bits: int) -> int:
    return -(-bits // MIN_LIST_BITS) * MIN_LIST_BITS


#: Certificates whose bit is set: revoked ones, and suspended ones while suspended.
NOT_VALID = (CertificateStatus.REVOKED, CertificateStatus.SUSPENDED)


def revoked_indices() -> list[int]:
    """Positions set in the list. A suspended certificate is listed too, and cleared when its
    suspension is lifted, although the spec's "revocation" purpose is meant to be final: the
    credentials already signed name this list alone, so it is the only place their verifiers
    can learn that one must not be trusted for now (docs/certification.md)."""
    query = select(Certificate.status_index).where(Certificate.status.in_(NOT_VALID))
    return list(db.session.scalars(query))


def status_list_credential(now: datetime | None = None) -> dict:
    """The revocation list, signed now with the current key (``BitstringStatusListCredential``,
    VC 2.0; every term used is defined by the VC v2 context, as canonicalisation demands)."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    url = service.base_url() + STATUS_LIST_PATH
    unsigned = {
        "@context": [service.CONTEXTS[0]],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": service.issuer_id(),
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked_indices()),
        },
    }
    key = service.key_store().current()
    return proof.sign(
        unsigned, key, verification_method=f"{service.issuer_id()}#{key.id}", created=now
    )
