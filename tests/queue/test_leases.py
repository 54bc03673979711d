"""A grading worker's lease: its heartbeat keeps it ahead while the grading runs, stops when
the grading ends or at its deadline, and never renews a lease another worker holds. A write
retries only while the database is unreachable (the outages themselves: test_outages.py)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from lms import config
from lms.extensions import db
from lms.leases import LeaseTerms, heartbeat, persist
from lms.models import SubmissionStatus
from lms.models.base import utcnow
from lms.submissions import operations
from tests.queue.conftest import reload

MAX_ATTEMPTS = 3
#: A beat every 0.2 s.
TERMS = LeaseTerms(term=timedelta(seconds=1), margin=timedelta(seconds=60))
LATER = timedelta(minutes=10)


def test_the_lease_term_comes_from_the_environment_with_a_beat_every_fifth_of_it():
    values = config.from_environment({"LMS_LEASE_SECONDS": "5", "LMS_LEASE_MARGIN_SECONDS": "2"})
    terms = LeaseTerms.from_config(values)
    assert (terms.term, terms.margin) == (timedelta(seconds=5), timedelta(seconds=2))
    assert terms.beat_seconds == 1


def _beating(submission_id: int, worker: str, deadline_in: timedelta = LATER):
    renew = partial(operations.renew_lease, submission_id, worker)
    return heartbeat(renew, TERMS, utcnow() + deadline_in, f"submission {submission_id}")


def _heartbeats() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("lms-heartbeat")]


def test_the_heartbeat_keeps_a_running_grading_s_lease_ahead_and_stops_with_it(submit):
    submission_id = submit()
    operations.claim(submission_id, "host-a:1:1", MAX_ATTEMPTS, TERMS.term)
    with _beating(submission_id, "host-a:1:1"):
        time.sleep(2.5)  # more than two terms: without beats the lease would have run out
        assert reload(submission_id).lease_until > utcnow()
        assert operations.requeue_stale(MAX_ATTEMPTS) == 0, "a live worker is not taken back"
    last = reload(submission_id).lease_until
    time.sleep(3 * TERMS.beat_seconds)
    assert reload(submission_id).lease_until == last, "no beat after the grading ended"
    assert not _heartbeats()


def test_the_heartbeat_never_renews_a_lease_another_worker_holds(submit):
    submission_id = submit()
    operations.claim(submission_id, "host-b:2:2", MAX_ATTEMPTS, timedelta(minutes=5))
    held = reload(submission_id).lease_until
    with _beating(submission_id, "host-a:1:1"):
        time.sleep(3 * TERMS.beat_seconds)
        assert not _heartbeats(), "the heartbeat stops at its first refused beat"
    taken = reload(submission_id)
    assert (taken.worker, taken.lease_until) == ("host-b:2:2", held)


def test_the_heartbeat_stops_at_the_deadline_so_a_stuck_worker_is_taken_back(submit):
    submission_id = submit()
    operations.claim(submission_id, "host-a:1:1", MAX_ATTEMPTS, TERMS.term)
    with _beating(submission_id, "host-a:1:1", deadline_in=timedelta(seconds=0.5)):
        time.sleep(1.5)  # the grading hangs past its deadline; its thread is alive
        assert operations.requeue_stale(MAX_ATTEMPTS) == 1
    taken_back = reload(submission_id)
    assert taken_back.status == SubmissionStatus.QUEUED and taken_back.attempts == 1


def test_a_write_the_code_got_wrong_is_not_retried(app):
    tries = []

    def broken_write():
        tries.append(1)
        db.session.execute(text("UPDATE no_such_table SET x = 1"))

    with pytest.raises(DBAPIError):  # SQLite calls it "operational", PostgreSQL "programming"
        persist(broken_write, "a broken write", patience=timedelta(seconds=5))
    assert len(tries) == 1


def test_a_write_keeps_trying_for_the_configured_patience_while_the_database_is_away(app):
    app.config["LMS_WRITE_PATIENCE_SECONDS"] = 3
    tries = []

    def unreachable():
        tries.append(time.monotonic())
        raise OperationalError("UPDATE submissions", {}, Exception("server closed the connection"))

    started = time.monotonic()
    with pytest.raises(OperationalError):
        persist(unreachable, "a write during an outage")
    # Tries 0.25, 0.5 and 1 s apart; the next wait (2 s) would end past the patience: given up
    # then, rather than sleep past it.
    assert 1.5 < time.monotonic() - started < 3
    assert len(tries) == 4
