"""The queue survives its dependencies restarting under load: Redis (empty again), PostgreSQL
and the Docker engine are each restarted during a burst of submissions graded by two real
`lms worker` processes. Every submission ends graded, none stays queued or running, none is
graded twice, no restart costs a submission an attempt (the workers stayed alive), and the
web (a real gunicorn) answers throughout, with a clear 503 while the database is down.

Each test is bounded in time and stops what it started in every case. PostgreSQL is a private
server of this module; the Docker engine is the machine's own, so that test waits until no
other test run uses it before restarting it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Row
from sqlalchemy.exc import DBAPIError

from lms.errors import discard_session
from lms.extensions import db
from lms.models import AuditEvent, GradingOutbox, OutboxKind, Submission, SubmissionStatus
from tests.conftest import PASSWORD
from tests.queue.conftest import EXERCISE, free_port, wait_for, wait_ready
from tests.test_gunicorn import BIN, ROOT, plain, sign_in, wait_until_up

pytestmark = [
    pytest.mark.docker,
    pytest.mark.postgres,
    pytest.mark.faults,
    pytest.mark.usefixtures("sigterm_interrupts"),
]

BURST = 10
#: Every grading takes a couple of seconds, so that the fault finds some under way.
SLOW_START = "import time\ntime.sleep(2)\n"
#: From the first submission to the last one's outcome, fault included.
SETTLE_SECONDS = 90
FINAL = {SubmissionStatus.GRADED, SubmissionStatus.ERROR}


@pytest.fixture
def database_url(private_postgres) -> str:
    return private_postgres.create_database()


@pytest.fixture
def worker_env(worker_env) -> dict[str, str]:
    # A message Redis lost is sent again 5 s after its publication, not 5 minutes.
    return {**worker_env, "LMS_REPUBLISH_AFTER_SECONDS": "5", "LMS_RECONCILE_SECONDS": "1"}


@pytest.fixture
def burst(app, loaded, submit, start_worker):
    """Two ready workers; calling it submits the burst (half right, half starter code, each
    slow to start) and returns the submission ids."""
    workers = [start_worker("a"), start_worker("b")]
    wait_ready(*workers)
    exercise = loaded.exercises[EXERCISE]
    right = {"prix.py": SLOW_START + exercise.solution()["prix.py"]}
    wrong = {"prix.py": SLOW_START + exercise.starter()["prix.py"]}

    def factory() -> list[int]:
        return [submit(right if n % 2 else wrong) for n in range(BURST)]

    factory.workers = workers
    return factory


# Reading the outcome, whatever the database is doing --------------------------------------


def statuses(ids: list[int]) -> dict[int, Row] | None:
    """A snapshot of the submissions by id (rows, not objects a later query would refresh);
    None while the database cannot be reached."""
    columns = (Submission.id, Submission.status, Submission.attempts, Submission.worker)
    columns += (Submission.status_detail, Submission.score, Submission.max_score)
    try:
        rows = db.session.execute(db.select(*columns).where(Submission.id.in_(ids))).all()
        db.session.rollback()  # no transaction left open: the next snapshot is fresh
        return {row.id: row for row in rows}
    except DBAPIError:
        discard_session()
        return None


def settled(ids: list[int], max_attempts: int) -> bool:
    """Whether every submission reached its end: graded, or error with no attempt left."""
    found = statuses(ids)
    return found is not None and all(
        row.status == SubmissionStatus.GRADED
        or (row.status == SubmissionStatus.ERROR and row.attempts >= max_attempts)
        for row in found.values()
    )


def describe(rows: dict[int, Row]) -> str:
    return "\n".join(
        f"  submission {i}: {row.status.value}, attempts {row.attempts}, "
        f"worker {row.worker}, detail {row.status_detail!r}"
        for i, row in sorted(rows.items())
    )


def wait_settled(
    ids: list[int], app, workers, seen: Counter | None = None, seconds: float = SETTLE_SECONDS
) -> float:
    """Wait until the burst is settled; fail naming the stuck submissions. Returns the wait;
    counts in ``seen`` the submissions that went through each status and detail."""
    started = time.monotonic()
    max_attempts = app.config["LMS_MAX_ATTEMPTS"]
    passed: set[tuple[int, str, str]] = set()
    while time.monotonic() - started < seconds:
        for i, row in (statuses(ids) or {}).items():
            passed.add((i, row.status.value, (row.status_detail or "")[:60]))
        if seen is not None:
            seen.clear()
            seen.update((status, detail) for _, status, detail in passed)
        if settled(ids, max_attempts):
            return time.monotonic() - started
        time.sleep(0.5)
    rows = statuses(ids) or {}
    stuck = {i: row for i, row in rows.items() if row.status not in FINAL}
    logs = "\n".join(f"--- {w.log.name}\n{tail(w.log)}" for w in workers)
    pytest.fail(
        f"not settled within {seconds} s: {len(stuck)} of {len(ids)} stuck, "
        f"{len(ids) - len(rows)} missing\n{describe(stuck or rows)}\n{logs}"
    )


def tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text().splitlines()[-lines:])


def graded_events(ids: list[int]) -> Counter:
    subjects = {f"submission:{i}": i for i in ids}
    rows = db.session.scalars(
        db.select(AuditEvent.subject).where(
            AuditEvent.kind == "submission.graded", AuditEvent.subject.in_(subjects)
        )
    )
    return Counter(subjects[subject] for subject in rows)


def assert_outcome(ids: list[int]) -> Counter:
    """Every submission is there and graded, exactly once, with the right score. Returns the
    count by status."""
    rows = statuses(ids)
    assert rows is not None, "the database is still unreachable"
    assert set(rows) == set(ids), f"lost submissions: {sorted(set(ids) - set(rows))}"
    by_status = Counter(row.status.value for row in rows.values())
    graded = {i for i, row in rows.items() if row.status == SubmissionStatus.GRADED}
    assert graded == set(ids), f"not graded:\n{describe(rows)}"
    events = graded_events(ids)
    assert {i: events[i] for i in graded} == dict.fromkeys(graded, 1), (
        f"graded events per submission: {dict(events)}"
    )
    assert not set(events) - graded, "a submission not graded has a graded event"
    for i in graded:
        right = ids.index(i) % 2 == 1
        assert (rows[i].score == rows[i].max_score) == right, describe({i: rows[i]})
    return by_status


def wait_some_running(ids: list[int]) -> Counter:
    """Until gradings are under way (the fault must hit mid-burst); the count by status."""

    def running() -> Counter | None:
        found = Counter(row.status.value for row in (statuses(ids) or {}).values())
        return found if found[SubmissionStatus.RUNNING.value] else None

    return wait_for(running, 30, "a worker starts grading")


def messages(ids: list[int]) -> int:
    """Outbox rows written for the burst: one each, plus every message sent again."""
    return db.session.scalar(
        db.select(db.func.count(GradingOutbox.id)).where(
            GradingOutbox.kind == OutboxKind.SUBMISSION, GradingOutbox.target_id.in_(ids)
        )
    )


# Redis -------------------------------------------------------------------------------------


def test_a_redis_restart_mid_burst_loses_no_submission(app, burst, redis_server):
    ids = burst()
    started = time.monotonic()
    before = wait_some_running(ids)

    redis_server.stop(signal.SIGKILL)  # no persistence: every message in it is gone
    time.sleep(2)
    redis_server.start()  # the same port, empty
    restarted = time.monotonic()
    assert before[SubmissionStatus.QUEUED.value], f"the restart came too late to lose any: {before}"

    waited = wait_settled(ids, app, burst.workers)
    by_status = assert_outcome(ids)
    assert all(w.poll() is None for w in burst.workers), "a worker died with the broker"
    resent = messages(ids) - len(ids)
    assert resent > 0, "the reconciler sent nothing again: was any message lost?"
    print(
        f"at the restart {dict(before)}; {dict(by_status)}, {resent} message(s) sent again; "
        f"settled {time.monotonic() - restarted:.1f} s after the restart, "
        f"{waited:.1f} s after the first check, {time.monotonic() - started:.1f} s in all"
    )


# PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def gunicorn(app, redis_url, tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn serving this test's database (no grading in the web); stopped after."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(
        LMS_INSTANCE_DIR=app.instance_path,
        LMS_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        LMS_CONTENT_DIR=app.config["LMS_CONTENT_DIR"],
        LMS_GRADING="off",
        LMS_QUEUE="celery",
        LMS_BROKER_URL=redis_url,
        LMS_WEB_BIND=f"127.0.0.1:{port}",
        LMS_WEB_WORKERS="2",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server.log = log
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server, log)
        yield base, server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(opener, url: str, headers: dict | None = None, data: bytes | None = None):
    """(status, headers, body) of a request, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - http://127.0.0.1
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def web_answers(base: str, learner_web, api_headers) -> dict[str, int]:
    return {
        "/health": fetch(plain, base + "/health")[0],
        "/health/ready": fetch(plain, base + "/health/ready")[0],
        "page /": fetch(learner_web, base + "/")[0],
        "API": fetch(plain, base + "/api/v1/exercises", api_headers)[0],
    }


def assert_web_unavailable(base: str, learner_web, api_headers) -> None:
    assert fetch(plain, base + "/health")[0] == 200
    ready = fetch(plain, base + "/health/ready")
    assert ready[0] == 503 and json.loads(ready[2])["database"] == "unreachable", ready
    status, headers, body = fetch(learner_web, base + "/")
    assert status == 503 and headers["Retry-After"].isdigit(), (status, body[:500])
    assert headers.get_content_type() == "text/html" and "try again in a minute" in body
    status, headers, body = fetch(plain, base + "/api/v1/exercises", api_headers)
    assert status == 503 and headers["Retry-After"].isdigit(), (status, body[:500])
    assert "try again in a minute" in json.loads(body)["error"]


def test_a_postgres_restart_mid_burst_loses_no_submission_and_the_web_says_503(
    app, learner, burst, private_postgres, gunicorn
):
    base, server = gunicorn
    learner_web = sign_in(base, learner.email, PASSWORD)
    token = json.loads(
        fetch(
            plain,
            base + "/api/v1/tokens",
            {"Content-Type": "application/json"},
            json.dumps({"email": learner.email, "password": PASSWORD}).encode(),
        )[2]
    )["token"]
    api_headers = {"Authorization": f"Bearer {token}"}
    expected_up = {"/health": 200, "/health/ready": 200, "page /": 200, "API": 200}
    assert web_answers(base, learner_web, api_headers) == expected_up
    web_processes = children(server.pid)

    ids = burst()
    started = time.monotonic()
    before = wait_some_running(ids)

    private_postgres.stop("fast")  # cuts every connection: workers', web's and ours
    try:
        assert_web_unavailable(base, learner_web, api_headers)
        time.sleep(4)  # long enough for the workers to trip over it too
        assert_web_unavailable(base, learner_web, api_headers)
    finally:
        private_postgres.start()
    restarted = time.monotonic()

    # The same gunicorn processes recover by themselves: nothing restarted them.
    wait_for(
        lambda: web_answers(base, learner_web, api_headers) == expected_up,
        30,
        f"the web answers again: {web_answers(base, learner_web, api_headers)}",
    )
    assert server.poll() is None and children(server.pid) == web_processes, tail(server.log)

    waited = wait_settled(ids, app, burst.workers)
    by_status = assert_outcome(ids)  # every one graded: the outage failed none
    # The workers lived through the outage: it must not have cost any submission an attempt
    # (their heartbeats resumed, and results computed meanwhile were kept and written).
    rows = statuses(ids)
    charged = {i: row for i, row in rows.items() if row.attempts}
    assert not charged, f"the outage cost attempts:\n{describe(charged)}"
    through = lived_through_outage(burst.workers, ids)
    assert through["missed a heartbeat"], "no grading was under way during the outage"
    print(
        f"at the restart {dict(before)}; {dict(by_status)}, no attempt used; "
        f"{len(through['missed a heartbeat'])} grading(s) under way during the outage, "
        f"{len(through['result kept'])} result(s) kept and written after it; settled "
        f"{time.monotonic() - restarted:.1f} s after the restart, {waited:.1f} s after the "
        f"first check, {time.monotonic() - started:.1f} s in all"
    )


def lived_through_outage(workers, ids: list[int]) -> dict[str, set[int]]:
    """The submissions whose grading went on through a database outage, read from the
    workers' logs: those whose heartbeat missed a beat, and those whose result was kept
    until it could be written."""
    logs = "\n".join(w.log.read_text() for w in workers)
    signs = {"missed a heartbeat": "heartbeat missed", "result kept": "written after"}
    return {
        sign: {i for i in ids if f"submission {i}: {phrase}" in logs}
        for sign, phrase in signs.items()
    }


# Docker ------------------------------------------------------------------------------------

DOCKER_SOCKET = Path("/var/run/docker.sock")
DOCKERD_LOG = Path(os.environ.get("LMS_LOG_DIR", "/var/log/lms")) / "dockerd.log"


def docker_up() -> bool:
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


def dockerd_pids() -> list[int]:
    found = subprocess.run(["pgrep", "-x", "dockerd"], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def start_dockerd() -> None:
    """As scripts/lib.sh starts it: no bridge network, in the background, logging apart."""
    if not docker_up():
        # A second daemon would find the first one's pid file and exit: let that one end.
        wait_for(lambda: not dockerd_pids(), 60, "the stopping dockerd exits")
        DOCKERD_LOG.parent.mkdir(parents=True, exist_ok=True)
        with DOCKERD_LOG.open("ab") as out:
            subprocess.Popen(
                ["nohup", "dockerd", "--bridge=none", "--iptables=false"],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # outlives this test, as the original did
            )
    wait_for(docker_up, 60, f"dockerd answers again (see {DOCKERD_LOG})")


def stop_dockerd() -> None:
    pids = dockerd_pids()
    assert len(pids) == 1, f"expected one dockerd, found {pids}"
    os.kill(pids[0], signal.SIGTERM)
    wait_for(lambda: not DOCKER_SOCKET.exists() and not dockerd_pids(), 60, "dockerd stops")


@contextmanager
def docker_engine_down() -> Iterator[None]:
    """Stop the machine's Docker engine for the block; it is started again in every case."""
    try:
        stop_dockerd()
        yield
    finally:
        start_dockerd()


@pytest.fixture
def docker_to_ourselves() -> None:
    """The engine is restarted: its other containers die too. The suite runs its tests one at
    a time, so nothing else of this run grades meanwhile; do not run this test beside another
    test run on the same engine."""
    if not docker_up():
        pytest.fail("the Docker engine is not running")


def test_a_docker_restart_mid_burst_neither_stops_nor_loses_a_grading(
    app, docker_to_ourselves, burst
):
    # Grading boxes are started by runc from exported image file systems: the Docker engine
    # builds and exports images, it is not on a grading's path any more.
    ids = burst()
    started = time.monotonic()
    before = wait_some_running(ids)
    graded_before = sum(r.status == SubmissionStatus.GRADED for r in statuses(ids).values())

    with docker_engine_down():
        wait_for(
            lambda: (
                sum(r.status == SubmissionStatus.GRADED for r in statuses(ids).values())
                > graded_before
            ),
            60,
            "a submission graded while the engine is down",
        )
        down = statuses(ids)
    restarted = time.monotonic()
    waiting = {i: row for i, row in down.items() if row.status == SubmissionStatus.QUEUED}
    assert not any(
        (row.status_detail or "").startswith("grading unavailable") for row in waiting.values()
    ), f"a submission waited for the engine:\n{describe(down)}"

    seen = Counter()
    waited = wait_settled(ids, app, burst.workers, seen)
    by_status = assert_outcome(ids)
    rows = statuses(ids)
    charged = {i: row for i, row in rows.items() if row.attempts}
    assert not charged, f"the engine's restart cost attempts: {describe(charged)}\n{seen}"
    print(
        f"at the restart {dict(before)}; while down {len(waiting)} queued, of which "
        f"{sum(bool(r.status_detail) for r in waiting.values())} waiting for the engine; "
        f"{dict(by_status)}; settled {time.monotonic() - restarted:.1f} s after the restart, "
        f"{waited:.1f} s after the first check, {time.monotonic() - started:.1f} s in all; "
        f"statuses seen {dict(seen)}"
    )
