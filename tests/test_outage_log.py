"""The background loops log a database outage once when it begins and once when it ends;
any other error is logged in full every time."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from lms.outages import OutageLog

LOGGER = "tests.outage_log"


def _outage() -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception("connection refused\nIs the server up?"))


def _fail(outage_log: OutageLog, error: BaseException) -> None:
    try:
        raise error
    except BaseException as exc:  # noqa: BLE001 - reported as the loops do
        outage_log.failed(exc)


@pytest.fixture
def outage_log(caplog) -> OutageLog:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    return OutageLog(logging.getLogger(LOGGER), "grading worker")


def test_an_outage_is_one_warning_at_its_start_and_one_at_its_end(outage_log, caplog):
    for _ in range(5):
        _fail(outage_log, _outage())
    assert outage_log.succeeded() is True
    assert outage_log.succeeded() is False  # nothing more once it is over
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("grading worker: database unreachable, retrying quietly:")
    assert "connection refused" in messages[0] and "Is the server up" not in messages[0]
    assert messages[1] == "grading worker: database reachable again after 5 failed attempt(s)"
    assert not any(record.exc_info for record in caplog.records)


def test_a_second_outage_is_reported_again(outage_log, caplog):
    _fail(outage_log, _outage())
    outage_log.succeeded()
    _fail(outage_log, _outage())
    _fail(outage_log, _outage())
    outage_log.succeeded()
    messages = [record.getMessage() for record in caplog.records]
    assert sum("database unreachable" in m for m in messages) == 2
    assert messages[-1].endswith("after 2 failed attempt(s)")


def test_other_errors_keep_their_traceback_every_time(outage_log, caplog):
    _fail(outage_log, ValueError("a bug"))
    _fail(outage_log, ValueError("a bug"))
    assert [r.levelno for r in caplog.records] == [logging.ERROR, logging.ERROR]
    assert all(record.exc_info for record in caplog.records)
    assert outage_log.succeeded() is False  # a bug is not an outage


def test_the_database_is_steady_only_a_while_after_an_outage(outage_log):
    assert outage_log.steady_for(30)  # no outage seen since the start
    _fail(outage_log, _outage())
    assert not outage_log.steady_for(0)
    outage_log.succeeded()
    assert outage_log.steady_for(0) and not outage_log.steady_for(30)
    outage_log.back_at -= 30  # as if the database came back 30 s ago
    assert outage_log.steady_for(30)
