"""The queue on RabbitMQ: the same `lms worker` processes, with LMS_BROKER_URL=amqp://..., grade
a burst exactly once, and lose nothing when the broker crashes mid-burst or a worker is
killed mid-grading. The node is a private one of each test (tests/queue/rabbitmq.py)."""

from __future__ import annotations

import signal
import time

import pytest

from lms.models import SubmissionStatus
from tests.queue import rabbitmq
from tests.queue import test_faults as faults
from tests.queue.conftest import reload, wait_for
from tests.queue.test_faults import assert_outcome, messages, wait_settled, wait_some_running

pytestmark = [
    pytest.mark.docker,
    pytest.mark.postgres,
    pytest.mark.faults,
    pytest.mark.usefixtures("sigterm_interrupts"),
    pytest.mark.skipif(not rabbitmq.installed(), reason="rabbitmq-server is not installed"),
]


# The burst of the Redis and PostgreSQL scenarios, and their workers' settings.
burst = faults.burst
worker_env = faults.worker_env


@pytest.fixture
def database_url(postgres_url) -> str:
    return postgres_url  # several processes share it: PostgreSQL only


@pytest.fixture
def rabbitmq_server():
    server = rabbitmq.RabbitMQServer()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def redis_url(app, rabbitmq_server) -> str:
    """The broker of this module's workers and relay: RabbitMQ, in the place of Redis."""
    app.config["LMS_BROKER_URL"] = rabbitmq_server.url
    return rabbitmq_server.url


def test_a_burst_is_graded_exactly_once_through_rabbitmq(app, burst):
    ids = burst()
    waited = wait_settled(ids, app, burst.workers)
    assert assert_outcome(ids) == {SubmissionStatus.GRADED.value: len(ids)}
    shares = [
        sum(f"grading submission {i} as" in w.log.read_text() for i in ids) for w in burst.workers
    ]
    assert sum(shares) == len(ids) and all(shares), f"the workers' shares: {shares}"
    # Messages sent again (a submission queued longer than LMS_REPUBLISH_AFTER_SECONDS) are
    # harmless: each submission was graded once.
    print(
        f"{len(ids)} graded in {waited:.1f} s through RabbitMQ; shares {shares}; "
        f"{messages(ids) - len(ids)} message(s) sent again"
    )


def test_a_rabbitmq_crash_mid_burst_loses_no_submission(app, burst, rabbitmq_server):
    ids = burst()
    before = wait_some_running(ids)

    rabbitmq_server.stop(signal.SIGKILL)
    time.sleep(2)
    rabbitmq_server.start()  # the same port and data folder
    restarted = time.monotonic()

    try:
        waited = wait_settled(ids, app, burst.workers)
    except pytest.fail.Exception:
        print(rabbitmq_server.report())  # shown with the failure: what the node held
        raise
    by_status = assert_outcome(ids)
    assert all(w.poll() is None for w in burst.workers), "a worker died with the broker"
    print(
        f"at the crash {dict(before)}; {dict(by_status)}, {messages(ids) - len(ids)} message(s) "
        f"sent again; settled {time.monotonic() - restarted:.1f} s after the restart "
        f"({waited:.1f} s of waiting)"
    )


def test_a_worker_killed_mid_grading_leaves_its_jobs_to_the_other_through_rabbitmq(app, burst):
    ids = burst()
    running = wait_for(
        lambda: (s := reload(ids[0])).status == SubmissionStatus.RUNNING and s,
        30,
        "a worker takes the first submission",
    )
    victim = next(w for w in burst.workers if w.pid == int(running.worker.split(":")[1]))
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    killed = time.monotonic()

    wait_settled(ids, app, burst.workers)
    assert assert_outcome(ids) == {SubmissionStatus.GRADED.value: len(ids)}
    assert reload(ids[0]).attempts == 1, "the dead worker's lease counted as one attempt"
    print(f"all graded {time.monotonic() - killed:.1f} s after the kill")
