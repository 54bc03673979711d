"""How a grading worker keeps what it grades: the lease, its heartbeat, and a patient write.

A worker claims a submission (or a deliverable's check) with a lease, a time in the row until
which the work is its own; the reconciler takes back work whose lease ran out, because its
worker died. Two things keep a *live* worker's work its own:

- **The heartbeat.** While the grading runs, a thread of the worker moves the lease
  ``LMS_LEASE_SECONDS`` ahead every fifth of that, and only while the row still names this
  worker as running it, so it never revives a lease another worker holds. A worker that dies
  stops beating, and its work is taken back within a lease of its death instead of after the
  exercise's whole time limit. The heartbeat never goes past the work's deadline (its time
  limit plus ``LMS_LEASE_MARGIN_SECONDS``): a worker alive but stuck is taken back then.
- **The patient write.** A result computed while the database is unreachable is kept and
  written when the database is back, instead of being dropped and charged as a failed
  attempt. Nobody can take the lease while the database is down, and the reconciler gives
  leases a full term after it comes back (:mod:`lms.queue.housekeeping`), so the result still
  has its place; a write that is refused (another worker holds the work) is dropped as ever.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from flask import Flask, current_app
from sqlalchemy.exc import DBAPIError

from lms.errors import discard_session, first_line, is_database_unreachable
from lms.models.base import utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Beats per lease term: four can be missed (a database outage) before the lease runs out.
BEATS_PER_TERM = 5
#: First and longest wait between two tries of a write; the longest stays well under a lease
#: term, so the write lands inside the term the reconciler grants after an outage.
FIRST_DELAY, LONGEST_DELAY = 0.25, 2.0

#: Moves this worker's lease to the given time; False when the worker no longer holds it.
Renew = Callable[[datetime], bool]


@dataclass(frozen=True)
class LeaseTerms:
    """How long a worker's hold on its work lasts."""

    #: Each beat moves the lease this far ahead: a dead worker's work is taken back this long
    #: after its last beat (plus up to one reconciler round).
    term: timedelta = timedelta(seconds=30)
    #: Over the work's own time limit, the longest a worker may hold it.
    margin: timedelta = timedelta(seconds=60)

    @classmethod
    def from_config(cls, config: Mapping) -> LeaseTerms:
        return cls(
            term=timedelta(seconds=config["LMS_LEASE_SECONDS"]),
            margin=timedelta(seconds=config["LMS_LEASE_MARGIN_SECONDS"]),
        )

    @property
    def beat_seconds(self) -> float:
        return self.term.total_seconds() / BEATS_PER_TERM

    def next_expiry(self, deadline: datetime) -> datetime:
        """The lease a beat sets now: a term ahead, never past the deadline."""
        return min(utcnow() + self.term, deadline)


DEFAULT_TERMS = LeaseTerms()


@contextmanager
def heartbeat(renew: Renew, terms: LeaseTerms, deadline: datetime, what: str) -> Iterator[None]:
    """Keep the lease alive for the block, from a thread with an app context of its own.

    The beats stop when the block ends, when ``renew`` says the lease is no longer held, or at
    the deadline. A beat that fails (the database is unreachable) is tried again at the next
    one: the term covers several missed beats."""
    app = current_app._get_current_object()
    stopped = threading.Event()
    thread = threading.Thread(
        target=_beat,
        args=(app, renew, terms, deadline, stopped, what),
        name=f"lms-heartbeat {what}",
        daemon=True,
    )
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        # A beat stuck on an unreachable database is not waited for: a late beat finds the
        # work finished or taken, and changes nothing.
        thread.join(terms.beat_seconds)


def _beat(
    app: Flask,
    renew: Renew,
    terms: LeaseTerms,
    deadline: datetime,
    stopped: threading.Event,
    what: str,
) -> None:
    while not stopped.wait(terms.beat_seconds):
        if utcnow() >= deadline:
            log.warning("%s ran past its deadline: its lease is left to run out", what)
            return
        with app.app_context():
            try:
                held = renew(terms.next_expiry(deadline))
            except Exception as exc:  # noqa: BLE001 - the beat must outlive an outage
                discard_session()
                log.warning("%s: heartbeat missed, will try again: %s", what, first_line(exc))
                continue
        if not held:
            log.info("%s: lease no longer held by this worker, heartbeat stops", what)
            return


def persist(write: Callable[[], T], what: str, patience: timedelta | None = None) -> T:
    """Run ``write`` (a unit of work of its own, :mod:`lms.transactions`), trying again with
    back-off while the database is unreachable, for up to ``patience``
    (``LMS_WRITE_PATIENCE_SECONDS``); other errors are raised at once. Past it the worker gives
    up, and the reconciler takes the work back as a failed attempt."""
    if patience is None:
        patience = timedelta(seconds=current_app.config["LMS_WRITE_PATIENCE_SECONDS"])
    give_up = time.monotonic() + patience.total_seconds()
    delay, tries = FIRST_DELAY, 1
    while True:
        try:
            done = write()
        except Exception as exc:
            if not is_transient(exc):
                raise
            discard_session()
            if time.monotonic() + delay > give_up:
                log.error("%s: database unreachable for too long, given up: %s", what, exc)
                raise
            if tries == 1:
                log.warning("%s: database unreachable, kept to write again: %s", what, exc)
            time.sleep(delay)
            delay, tries = min(delay * 2, LONGEST_DELAY), tries + 1
            continue
        if tries > 1:
            log.warning("%s: written after %d tries, once the database was back", what, tries)
        return done


def is_transient(error: BaseException) -> bool:
    """Whether trying the same statement again later may succeed: the database is unreachable,
    overloaded or locked, not a statement the code got wrong."""
    if isinstance(error, DBAPIError) and isinstance(error.orig, sqlite3.Error):
        # SQLite reports its own errors (a syntax error, a missing table) as "operational"
        # too; only a locked database passes with time.
        return "database is locked" in str(error.orig)
    return is_database_unreachable(error)
