"""The tamper-evident audit log.

Every grading, review, attendance change, certificate issue and revocation is appended as an
event that carries the hash of the one before (:func:`record`, in the caller's transaction):
the chain records on the features' signals (:mod:`lms.signals`), each kind of event declared
once (:mod:`lms.audit.kinds`) and registered by its feature at :func:`lms.create_app`
(:func:`init_app`). :func:`checkpoint` signs the head from time to time; :func:`verify`
recomputes the chain, compares each recorded fact with its source row and the head with the
checkpoints, and names the first broken event. ``lms audit verify`` runs it.
"""

from lms.audit.chain import GENESIS, Signer, checkpoint, checkpoint_message, event_hash, record
from lms.audit.facts import (
    ChainOnly,
    FactSource,
    Registration,
    UnknownKind,
    init_app,
    record_fact,
    register,
    registry,
)
from lms.audit.verification import SignatureCheck, UncheckedKinds, VerifyReport, verify

__all__ = [
    "GENESIS",
    "ChainOnly",
    "FactSource",
    "Registration",
    "SignatureCheck",
    "Signer",
    "UncheckedKinds",
    "UnknownKind",
    "VerifyReport",
    "checkpoint",
    "checkpoint_message",
    "event_hash",
    "init_app",
    "record",
    "record_fact",
    "register",
    "registry",
    "verify",
]
