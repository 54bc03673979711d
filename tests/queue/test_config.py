"""How the queue settings combine, and what `lms worker` refuses."""

from __future__ import annotations

import pytest

from lms import config


def test_a_server_database_gets_a_connection_pool_that_checks_connections():
    values = config.from_environment(
        {"LMS_DATABASE_URL": "postgresql+psycopg://lms@db/lms", "LMS_DB_POOL_SIZE": "20"}
    )
    assert values["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_size": 20,
        "max_overflow": 10,
        "pool_pre_ping": True,
    }


def test_sqlite_keeps_its_own_engine_options():
    values = config.from_environment({"LMS_DATABASE_URL": "sqlite:////tmp/lms.sqlite3"})
    assert "SQLALCHEMY_ENGINE_OPTIONS" not in values


def test_an_unknown_queue_mode_is_refused_at_start():
    with pytest.raises(ValueError, match="LMS_QUEUE"):
        config.from_environment({"LMS_QUEUE": "rabbit"})


@pytest.mark.parametrize(
    ("queue", "grading", "web_grades"),
    [
        ("inprocess", "inprocess", True),
        ("inprocess", "off", False),
        ("celery", "inprocess", False),
        ("celery", "off", False),
    ],
)
def test_with_the_message_queue_the_web_process_never_grades(queue, grading, web_grades):
    assert config.grades_in_web_process({"LMS_QUEUE": queue, "LMS_GRADING": grading}) is web_grades


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_lms_worker_refuses_to_start_without_the_message_queue(app, runner):
    app.config["LMS_QUEUE"] = "inprocess"
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 1
    assert "set LMS_QUEUE=celery" in result.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_lms_worker_refuses_an_unknown_queue(runner):
    result = runner.invoke(args=["worker", "--queues", "grading,videos"])
    assert result.exit_code == 1
    assert "unknown queues ['videos']" in result.output
