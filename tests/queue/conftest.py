"""Fixtures of the message queue: the app in LMS_QUEUE=celery mode, a throw-away Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis

from lms.extensions import db
from lms.models import GradingOutbox, Submission
from lms.submissions import operations

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

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
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
