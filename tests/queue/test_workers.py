"""The proof of the distributed queue: real `lms worker` processes, PostgreSQL, Redis and
Docker, started by the test. A worker killed with SIGKILL mid-grading loses nothing: its
heartbeat stops, the other worker takes its submission back within a lease term and grades
it, and exactly one result is recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lms.extensions import db
from lms.models import AuditEvent, Submission, SubmissionStatus
from sandbox import runner
from tests.queue.conftest import EXERCISE, reload, wait_for, wait_ready

pytestmark = [pytest.mark.docker, pytest.mark.postgres]

LMS = str(Path(sys.executable).parent / "lms")
#: Long enough to kill the worker while its container runs, well within the 10 s limit.
SLOW_START = "import time\ntime.sleep(5)\n"
#: The workers' lease term: their heartbeat renews it every second.
LEASE_SECONDS = 5
#: From the kill to the takeover: the term, a reconciler round (1 s), and slack for a busy
#: machine. Without the heartbeat it was the exercise's limit and grace (15 s) plus the margin.
TAKEOVER_WITHIN = LEASE_SECONDS + 5


@pytest.fixture
def database_url(postgres_url) -> str:
    return postgres_url  # several processes share it: PostgreSQL only


@pytest.fixture
def start_worker(app, redis_url, tmp_path):
    """Start an `lms worker` process; every one is stopped (and its containers swept) after."""
    started: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "LMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "LMS_QUEUE": "celery",
        "LMS_BROKER_URL": redis_url,
        "LMS_INSTANCE_DIR": app.instance_path,
        "LMS_CONTENT_DIR": app.config["LMS_CONTENT_DIR"],
        "LMS_WORKER_CONCURRENCY": "2",
        # Short deadlines, so that a dead worker's submission is taken back in seconds: a
        # beat every second, and a stuck grading let go 2 s after its time limit.
        "LMS_LEASE_SECONDS": str(LEASE_SECONDS),
        "LMS_LEASE_MARGIN_SECONDS": "2",
        "LMS_RECONCILE_SECONDS": "1",
    }

    def factory(name: str) -> subprocess.Popen:
        log = tmp_path / f"worker-{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [LMS, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        process.log = log
        started.append(process)
        return process

    yield factory
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    runner.sweep_orphans()  # the killed worker's container, if it still runs


def graded_events(submission_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count(AuditEvent.id)).where(
            AuditEvent.kind == "submission.graded",
            AuditEvent.subject == f"submission:{submission_id}",
        )
    )


def held_by(submission_id: int, pid: int) -> bool:
    """Whether the worker process ``pid`` holds the submission (worker = "host:pid:thread")."""
    submission = reload(submission_id)
    running = submission.status == SubmissionStatus.RUNNING
    return running and submission.worker.split(":")[1] == str(pid)


def grading_log(worker: subprocess.Popen, submission_id: int) -> bool:
    return f"grading submission {submission_id} as" in worker.log.read_text()


def test_a_worker_killed_mid_grading_leaves_its_submission_to_the_other(
    loaded, submit, start_worker
):
    started = time.monotonic()
    workers = {w.pid: w for w in (start_worker("a"), start_worker("b"))}
    wait_ready(*workers.values())
    solution = loaded.exercises[EXERCISE].solution()["prix.py"]
    submission_id = submit({"prix.py": SLOW_START + solution})

    def running() -> Submission | None:
        submission = reload(submission_id)
        return submission if submission.status == SubmissionStatus.RUNNING else None

    holder = int(wait_for(running, 30, "a worker takes the submission").worker.split(":")[1])
    victim = workers.pop(holder)
    survivor = workers.popitem()[1]
    time.sleep(1.5)  # its container is running
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    killed_at = time.monotonic()

    wait_for(
        lambda: not held_by(submission_id, holder),
        TAKEOVER_WITHIN,
        "the dead worker's submission is taken back",
    )
    taken_back = time.monotonic() - killed_at
    graded = wait_for(
        lambda: reload(submission_id).status == SubmissionStatus.GRADED and reload(submission_id),
        60,
        "the surviving worker grades the submission",
    )
    assert graded.score == graded.max_score == 10
    assert graded.attempts == 1, "the lost lease counted as one attempt"
    assert grading_log(survivor, submission_id), survivor.log.read_text()
    assert graded_events(submission_id) == 1
    print(
        f"taken back {taken_back:.1f} s after the kill, graded "
        f"{time.monotonic() - killed_at:.1f} s after it; {time.monotonic() - started:.1f} s in all"
    )


def test_a_burst_of_submissions_is_all_graded_by_two_workers(loaded, submit, start_worker):
    workers = [start_worker("a"), start_worker("b")]
    wait_ready(*workers)
    started = time.monotonic()
    starter = loaded.exercises[EXERCISE].starter()
    ids = [submit(None if n % 2 else starter) for n in range(10)]

    def all_graded() -> bool:
        db.session.expire_all()
        statuses = db.session.scalars(db.select(Submission.status).where(Submission.id.in_(ids)))
        return set(statuses) == {SubmissionStatus.GRADED}

    wait_for(all_graded, 120, "every submission of the burst is graded")
    scores = [reload(i).score for i in ids]
    assert scores[1::2] == [10] * 5 and all(score < 10 for score in scores[0::2])
    assert [graded_events(i) for i in ids] == [1] * 10
    shares = [sum(grading_log(w, i) for i in ids) for w in workers]
    print(f"10 graded in {time.monotonic() - started:.1f} s; shares {shares}")
    assert sum(shares) == 10
