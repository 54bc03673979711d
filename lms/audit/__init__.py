"""The tamper-evident audit log.

Every grading, review, attendance change, certificate issue and revocation is appended as an
event that carries the hash of the one before (:func:`record`, in the caller's transaction);
:func:`checkpoint` signs the head from time to time; :func:`verify` recomputes the chain,
compares each recorded fact with its source row and the head with the checkpoints, and names
the first broken event. ``lms audit verify`` runs it.
"""

from lms.audit.chain import GENESIS, Signer, checkpoint, checkpoint_message, event_hash, record
from lms.audit.facts import SOURCES, FactSource, record_fact, register
from lms.audit.verification import SignatureCheck, VerifyReport, verify

__all__ = [
    "GENESIS",
    "SOURCES",
    "FactSource",
    "SignatureCheck",
    "Signer",
    "VerifyReport",
    "checkpoint",
    "checkpoint_message",
    "event_hash",
    "record",
    "record_fact",
    "register",
    "verify",
]
