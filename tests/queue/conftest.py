"""Fixtures of the message queue: the app in LMS_QUEUE=celery mode, a throw-away Redis."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
import redis

from lms.extensions import db
from lms.models import GradingOutbox, Submission
from lms.submissions import operations
from sandbox import SandboxUnavailable, runner

EXERCISE = "python-backend/prix-ttc"


@pytest.fixture
def app_config(app_config) -> dict:
    # No broker by default: tests that publish ask for `redis_url`.
    return {**app_config, "LMS_QUEUE": "celery", "LMS_BROKER_URL": "redis://127.0.0.1:9/0"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of this test only, without persistence (a restart loses every message,
    as a badly configured production broker would)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if self.process is not None:
            self.process.send_signal(sig)
            self.process.wait(10)
            self.process = None

    def queue_length(self, queue: str) -> int:
        client = redis.Redis(port=self.port)
        try:
            return client.llen(queue)
        finally:
            client.close()


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(app, redis_server) -> str:
    app.config["LMS_BROKER_URL"] = redis_server.url
    return redis_server.url


@pytest.fixture
def submit(learner, loaded):
    """Submit and commit, as the web view does; returns the submission id."""

    def factory(files: dict[str, str] | None = None, exercise: str = EXERCISE) -> int:
        found = loaded.exercises[exercise]
        submission = operations.submit(
            learner, found, files or found.solution(), loaded.commit, 100_000
        )
        db.session.commit()
        return submission.id

    return factory


def outbox_rows(submission_id: int | None = None) -> list[GradingOutbox]:
    db.session.expire_all()
    query = db.select(GradingOutbox).order_by(GradingOutbox.id)
    if submission_id is not None:
        query = query.where(GradingOutbox.target_id == submission_id)
    return list(db.session.scalars(query))


def reload(submission_id: int) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


# Processes of the fault tests (tests/queue/test_faults.py) --------------------------------

LMS = str(Path(sys.executable).parent / "lms")
PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PostgresServer:
    """A PostgreSQL server of these tests only, in a folder of its own, on a free port of
    127.0.0.1: it can be stopped and started mid-test without touching the machine's shared
    cluster. Run as the ``postgres`` user when the tests run as root (initdb refuses root)."""

    def __init__(self) -> None:
        self.port = free_port()
        # Not under pytest's tmp_path: its parents are private to root.
        self.root = Path(tempfile.mkdtemp(prefix="lms-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, *argv], check=True, capture_output=True, timeout=timeout, cwd=self.root
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        settings = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.root}'",
            # A throw-away server: durability only costs time here.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        self.start()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute("CREATE ROLE lms LOGIN CREATEDB PASSWORD 'lms'")

    def start(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self) -> str:
        """A new empty database owned by ``lms``; its SQLAlchemy URL."""
        name = f"lms_faults_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER lms')
        return f"postgresql+psycopg://lms:lms@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        if self.data.exists() and self.running():
            try:
                self.stop("immediate")
            except subprocess.SubprocessError:
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def sigterm_interrupts():
    """A SIGTERM (`timeout`, a CI runner giving up) interrupts the run as Ctrl-C does, so that
    the finalizers still stop the servers the tests started and restart what they stopped."""

    def interrupt(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    yield
    signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="module")
def private_postgres(sigterm_interrupts):
    """A private PostgreSQL server for one test module; stopped and deleted in every case."""
    server = PostgresServer()
    try:
        server.init()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def worker_env() -> dict[str, str]:
    """Settings of the `lms worker` processes of a test, over the app's own (override it)."""
    return {
        "LMS_WORKER_CONCURRENCY": "2",
        # Short deadlines, so that a dead worker's submission is taken back in seconds: a
        # beat every second, and a stuck grading let go 2 s after its time limit.
        "LMS_LEASE_SECONDS": "5",
        "LMS_LEASE_MARGIN_SECONDS": "2",
        "LMS_RECONCILE_SECONDS": "1",
    }


@pytest.fixture
def start_worker(app, redis_url, tmp_path, worker_env):
    """Start an `lms worker` process; every one is stopped (and its containers swept) after."""
    started: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "LMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "LMS_QUEUE": "celery",
        "LMS_BROKER_URL": redis_url,
        "LMS_INSTANCE_DIR": app.instance_path,
        "LMS_CONTENT_DIR": app.config["LMS_CONTENT_DIR"],
        **worker_env,
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
    stop_processes(started)
    try:
        runner.sweep_orphans()  # a killed worker's container, if it still runs
    except SandboxUnavailable:
        pass  # the engine is down: the next worker start sweeps


def stop_processes(processes: list[subprocess.Popen], seconds: float = 15) -> None:
    """SIGTERM, then SIGKILL what has not exited within ``seconds``."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def wait_for(condition: Callable[[], object], seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"not within {seconds} s: {what}")


def wait_ready(*workers: subprocess.Popen) -> None:
    for worker in workers:
        wait_for(lambda w=worker: " ready." in w.log.read_text() or w.poll(), 30, "worker ready")
        assert worker.poll() is None, worker.log.read_text()
