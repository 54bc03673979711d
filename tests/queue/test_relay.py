"""The relay: unpublished rows go to the broker and are marked; a broker outage loses none."""

from __future__ import annotations

import threading

import pytest

from lms.queue import locks, relay
from lms.queue.celery_app import publish
from tests.queue.conftest import outbox_rows


def _publish(app):
    return lambda kind, target: publish(app, kind, target)


def test_the_relay_publishes_unpublished_rows_and_marks_them(app, redis_url, redis_server, submit):
    ids = [submit() for _ in range(3)]
    assert relay.publish_pending(_publish(app)) == 3
    assert redis_server.queue_length("grading") == 3
    assert all(row.published_at is not None for row in outbox_rows())
    assert relay.publish_pending(_publish(app)) == 0, "a published row is not sent again"
    assert redis_server.queue_length("grading") == len(ids)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a broker matter
def test_while_the_broker_is_down_rows_wait_and_are_published_when_it_is_back(
    app, redis_url, redis_server, submit
):
    redis_server.stop()
    submit()
    assert relay.publish_pending(_publish(app)) == 0
    [row] = outbox_rows()
    assert row.published_at is None and row.publish_attempts == 1
    redis_server.start()  # same port, empty
    assert relay.publish_pending(_publish(app)) == 1
    assert redis_server.queue_length("grading") == 1


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_only_one_process_relays_at_a_time(app, submit):
    submit()
    holding, release = threading.Event(), threading.Event()

    def other_process() -> None:
        with app.app_context(), locks.exclusive(locks.RELAY) as held:
            assert held
            holding.set()
            release.wait(10)

    other = threading.Thread(target=other_process)
    other.start()
    try:
        assert holding.wait(10)
        sent = []
        assert relay.publish_pending(lambda kind, target: sent.append(target)) == 0
        assert sent == []
    finally:
        release.set()
        other.join(10)
    assert relay.publish_pending(lambda kind, target: sent.append(target)) == 1
