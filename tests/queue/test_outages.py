"""A worker alive through a database outage loses nothing: the result it computed while
PostgreSQL was down is written when the server is back, with no attempt used, unless another
worker took the submission meanwhile (then nothing is written); and after an outage the
reconciler leaves expired leases a term to be renewed before it counts their workers dead.

Real gradings in Docker and a private PostgreSQL server that the tests stop and start, or
close to the worker (its role loses the right to connect) while another worker still reaches
it, as a network partition would.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from lms import create_app
from lms.errors import discard_session
from lms.extensions import db
from lms.leases import persist
from lms.models import AuditEvent, SubmissionStatus
from lms.queue import jobs
from lms.queue.housekeeping import Housekeeper
from lms.queue.reconciler import reconcile
from lms.submissions import operations
from sandbox import boxes
from tests.queue.conftest import EXERCISE, reload, wait_for

pytestmark = pytest.mark.postgres

#: The learner's code sleeps, so that the database can go away while its box runs: long
#: enough that a loaded machine (the suite runs in parallel) cuts the database off in time.
SLOW_START = "import time\ntime.sleep(6)\n"
MAX_ATTEMPTS = 3


@pytest.fixture
def database_url(private_postgres) -> str:
    return private_postgres.create_database()


@pytest.fixture
def app_config(app_config) -> dict:
    # A beat every 0.4 s: a two-second lease runs out within an outage of a few seconds.
    return {**app_config, "LMS_LEASE_SECONDS": 2}


@contextmanager
def server_stopped(server) -> Iterator[None]:
    server.stop("fast")  # every connection is cut, the workers' and the test's
    try:
        yield
    finally:
        server.start()
        discard_session()  # the test's own connection died with the server


@contextmanager
def cut_off(server, database_url: str) -> Iterator[None]:
    """The app's role (``lms``) can no longer reach the database: its connections are closed
    and new ones refused, while a superuser still gets through."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(server.admin_url, autocommit=True) as admin:
        admin.execute(f'REVOKE CONNECT ON DATABASE "{name}" FROM PUBLIC, lms')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND usename = 'lms'",
            (name,),
        )
    try:
        yield
    finally:
        with psycopg.connect(server.admin_url, autocommit=True) as admin:
            admin.execute(f'GRANT CONNECT ON DATABASE "{name}" TO PUBLIC, lms')
        discard_session()


def container_running(submission_id: int) -> bool:
    """The submission's learner's box is running (its grading is under way)."""
    return bool(boxes.labelled(**{"lms.submission": str(submission_id)}))


@pytest.fixture
def slow_submission(loaded, submit):
    """Factory: a right answer whose grading takes a few seconds; returns its id."""

    def factory() -> int:
        solution = loaded.exercises[EXERCISE].solution()["prix.py"]
        return submit({"prix.py": SLOW_START + solution})

    return factory


@pytest.fixture
def start_grading(app):
    """Factory: run the Celery task's body for a submission in a thread of its own, as a
    worker thread does; returns the thread."""
    threads: list[threading.Thread] = []

    def factory(submission_id: int) -> threading.Thread:
        def work() -> None:
            with app.app_context():
                jobs.grade_submission(submission_id)

        thread = threading.Thread(target=work, name="test-worker", daemon=True)
        thread.start()
        threads.append(thread)
        wait_for(lambda: container_running(submission_id), 60, "the grading container runs")
        return thread

    yield factory
    for thread in threads:
        thread.join(60)


def graded_events(submission_id: int) -> int:
    return db.session.scalar(
        select(db.func.count(AuditEvent.id)).where(
            AuditEvent.kind == "submission.graded",
            AuditEvent.subject == f"submission:{submission_id}",
        )
    )


@pytest.mark.docker
def test_a_result_computed_while_the_database_is_down_is_written_when_it_is_back(
    private_postgres, slow_submission, start_grading
):
    submission_id = slow_submission()
    grading = start_grading(submission_id)
    with server_stopped(private_postgres):
        wait_for(lambda: not container_running(submission_id), 60, "the grading ends")
        time.sleep(1)  # longer than the lease left: it runs out while the database is down
        assert grading.is_alive(), "the worker keeps its result while the database is down"
    grading.join(30)
    assert not grading.is_alive()
    graded = reload(submission_id)
    assert graded.status == SubmissionStatus.GRADED and graded.score == 10
    assert graded.attempts == 0, "the outage used no attempt"
    assert (graded.worker, graded.lease_until) == (None, None)
    assert graded_events(submission_id) == 1


@pytest.mark.docker
def test_a_result_is_dropped_when_another_worker_took_the_submission_meanwhile(
    app, app_config, database_url, private_postgres, slow_submission, start_grading
):
    submission_id = slow_submission()
    grading = start_grading(submission_id)
    with cut_off(private_postgres, database_url):
        # Another host still reaches the database: its reconciler finds the lease run out
        # (the cut-off worker cannot renew it) and another worker claims the submission.
        other_host = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": superuser(database_url)})
        with other_host.app_context():
            wait_for(
                lambda: reconcile(MAX_ATTEMPTS, timedelta(minutes=5)).taken_back,
                30,
                "the other host's reconciler takes the silent worker's submission back",
            )
            assert operations.claim(submission_id, "host-b:2:2", MAX_ATTEMPTS, timedelta(minutes=5))
            db.session.remove()
            db.engine.dispose()
        wait_for(lambda: not container_running(submission_id), 60, "the grading ends")
        assert grading.is_alive(), "the worker keeps its result while it cannot write it"
    grading.join(30)
    assert not grading.is_alive()
    taken = reload(submission_id)
    assert (taken.status, taken.worker) == (SubmissionStatus.RUNNING, "host-b:2:2")
    assert taken.score is None and graded_events(submission_id) == 0


def superuser(database_url: str) -> str:
    scheme, _, rest = database_url.partition("://")
    return f"{scheme}://postgres@{rest.split('@', 1)[1]}"


def test_after_an_outage_the_reconciler_leaves_expired_leases_a_term_to_be_renewed(
    app, private_postgres, redis_url, submit
):
    app.config["LMS_RECONCILE_SECONDS"] = 0  # every round reconciles
    submission_id = submit()
    # A live worker's lease, due to run out while the database is down.
    operations.claim(submission_id, "host-a:1:1", MAX_ATTEMPTS, timedelta(seconds=1))
    housekeeper = Housekeeper(app)
    with server_stopped(private_postgres):
        housekeeper.run_once()  # finds the database unreachable
        time.sleep(1)
    housekeeper.run_once()
    waiting = reload(submission_id)
    assert (waiting.status, waiting.worker) == (SubmissionStatus.RUNNING, "host-a:1:1")
    time.sleep(app.config["LMS_LEASE_SECONDS"])
    housekeeper.run_once()  # a whole term without a beat: the worker is dead after all
    taken_back = reload(submission_id)
    assert taken_back.status == SubmissionStatus.QUEUED and taken_back.attempts == 1


def test_a_write_gives_up_once_the_database_stays_away_past_its_patience(app, private_postgres):
    with server_stopped(private_postgres):
        started = time.monotonic()
        with pytest.raises(OperationalError):
            persist(lambda: db.session.execute(select(1)), "a probe", patience=timedelta(seconds=1))
        assert 0.5 < time.monotonic() - started < 5


def test_the_housekeeper_logs_an_outage_once_instead_of_a_traceback_each_round(
    app, private_postgres, caplog
):
    caplog.set_level(logging.INFO, logger="lms.queue.housekeeping")
    housekeeper = Housekeeper(app)
    with server_stopped(private_postgres):
        for _ in range(4):
            housekeeper.run_once()
    housekeeper.run_once()
    records = [r for r in caplog.records if r.name == "lms.queue.housekeeping"]
    messages = [r.getMessage() for r in records]
    assert sum("database unreachable" in m for m in messages) == 1, messages
    assert sum("database reachable again" in m for m in messages) == 1, messages
    assert not any(r.exc_info for r in records), "no traceback for an outage"
