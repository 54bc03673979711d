"""Recomputing the chain, checking its facts against their source rows and its head against
signed checkpoints. One streaming pass in ``seq`` order, so millions of events fit."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.audit import facts
from lms.audit.chain import GENESIS, checkpoint_message, event_hash
from lms.models import AuditCheckpoint, AuditEvent

#: Events read (and facts looked up) at a time.
CHUNK = 500
#: Checks a checkpoint's signature: (message, key_id, signature) -> valid.
SignatureCheck = Callable[[bytes, str, bytes], bool]


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    #: Events whose hash was recomputed.
    checked: int
    #: The first event found broken (None when sound, or when the problem is a row that has no
    #: event at all).
    first_broken_seq: int | None = None
    reason: str | None = None
    checkpoints: int = 0


class UncheckedKinds(facts.UnknownKind):
    """Verification refused: some kind of event has nothing registered to check it."""


def verify(session: Session, verify_signature: SignatureCheck | None = None) -> VerifyReport:
    """Recompute every hash and link, compare every recorded fact with its source row, check
    every checkpoint (its signature when ``verify_signature`` is given, its head always), and
    look for rows that should have been recorded but were not.

    Refuses to run (:class:`UncheckedKinds`) while a kind of event declared, or found in the
    chain, has no registration in the current app: its facts would be skipped, and the chain
    reported sound without them."""
    if missing := facts.unregistered_in(session):
        raise UncheckedKinds(
            "refusing to verify: nothing is registered to check these kinds of event: "
            f"{', '.join(missing)} (lms.create_app registers every kind the LMS records; "
            "an app built otherwise cannot vouch for them)"
        )
    points = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)))
    chain = _Chain(points)
    problems: list[tuple[int, str]] = []
    result = session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=CHUNK)
    )
    try:
        for events in result.partitions():
            problems += chain.check(events) + facts.check(session, events)
            # Chunks come in seq order: nothing in a later one can come before what was found.
            if problems:
                break
    finally:
        result.close()
    problems = (problems or chain.beyond_head()) + _signature_problems(points, verify_signature)
    if problems:
        seq, reason = min(problems, key=lambda problem: problem[0])
        return VerifyReport(False, chain.checked, seq, reason, len(points))
    missing = facts.unrecorded(session)
    if missing:
        return VerifyReport(False, chain.checked, None, missing, len(points))
    return VerifyReport(True, chain.checked, checkpoints=len(points))


class _Chain:
    """Walks the events in order, remembering the last sound hash, and compares it with the
    checkpoints taken at that point."""

    def __init__(self, checkpoints: list[AuditCheckpoint]) -> None:
        self.checkpoints: dict[int, list[AuditCheckpoint]] = {}
        for point in checkpoints:
            self.checkpoints.setdefault(point.seq, []).append(point)
        self.seq, self.hash = 0, GENESIS
        self.checked = 0
        self.broken = self._checkpoint()

    def check(self, events: list[AuditEvent]) -> list[tuple[int, str]]:
        """The first problem, once found (later events are not examined)."""
        for event in events:
            if self.broken:
                break
            self.checked += 1
            reason = self._link(event)
            if reason:
                self.broken = (event.seq, reason)
                break
            self.seq, self.hash = event.seq, event.hash
            self.broken = self._checkpoint()
        return [self.broken] if self.broken else []

    def _link(self, event: AuditEvent) -> str | None:
        if event.seq != self.seq + 1:
            return (
                f"broken link: event #{self.seq + 1} is missing "
                f"(seq jumps from {self.seq} to {event.seq})"
            )
        if event.prev_hash != self.hash:
            return f"broken link: prev_hash is not the hash of event #{self.seq}"
        if event_hash(event) != event.hash:
            return "hash mismatch: the event was altered after it was recorded"
        return None

    def _checkpoint(self) -> tuple[int, str] | None:
        for point in self.checkpoints.get(self.seq, ()):
            if point.head_hash != self.hash:
                return (
                    self.seq,
                    f"the checkpoint of {point.at:%Y-%m-%d %H:%M} (key {point.key_id}) signed "
                    f"head {point.head_hash[:16]}… at event #{point.seq}, the chain now has "
                    f"{self.hash[:16]}…: the chain was rewritten",
                )
        return None

    def beyond_head(self) -> list[tuple[int, str]]:
        last = max(self.checkpoints, default=0)
        if last <= self.seq:
            return []
        return [
            (
                self.seq + 1,
                f"a checkpoint covers event #{last} but the chain ends at #{self.seq}: "
                "events were removed from its end",
            )
        ]


def _signature_problems(
    points: list[AuditCheckpoint], verify_signature: SignatureCheck | None
) -> list[tuple[int, str]]:
    if verify_signature is None:
        return []
    for point in points:
        try:
            signature = base64.b64decode(point.signature, validate=True)
        except binascii.Error:
            signature = b""
        if not verify_signature(checkpoint_message(point), point.key_id, signature):
            return [
                (
                    point.seq,
                    f"the checkpoint at event #{point.seq} does not verify with key "
                    f"{point.key_id}: it was forged or altered",
                )
            ]
    return []
