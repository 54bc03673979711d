"""One unit of work per request: committed once when the view ends well, rolled back when it
raises or answers an error; a domain error answered in one place (a flash and a redirect, or
JSON); work deferred to after the commit runs only after a commit."""

from __future__ import annotations

import pytest
from flask import Blueprint, jsonify
from sqlalchemy import select

from lms import create_app, signals, transactions
from lms.admin import operations as ops
from lms.assembly import SUBSCRIPTIONS
from lms.extensions import csrf, db
from lms.models import User
from lms.projects.operations import ProjectError
from lms.submissions.operations import FilesTooLarge
from lms.transactions import refusal

PASSWORD = "correct horse battery"


def _add(name: str) -> None:
    """An operation: it flushes, the boundary commits."""
    ops.create_user(f"{name}@probe.ma", name, "learner", PASSWORD)


@pytest.fixture
def probe(app):
    """Views around one operation, to watch the boundary."""
    bp = Blueprint("probe", __name__)
    csrf.exempt(bp)

    @bp.post("/probe/ok")
    def ok():
        _add("ok")
        return "ok"

    @bp.post("/probe/crash")
    def crash():
        _add("crash")
        raise RuntimeError("a bug")

    @bp.post("/probe/error-answer")
    def error_answer():
        _add("error-answer")
        return "conflict", 409

    @bp.post("/probe/refused")
    def refused():
        with refusal("/back"):
            _add("refused")
            raise ProjectError("not like this")
        return "unreachable"

    @bp.post("/probe/kept")
    def kept():
        with refusal("/back", keep=True):
            _add("kept")
            raise ProjectError("saved, but not submitted")
        return "unreachable"

    @bp.post("/probe/rendered")
    def rendered():
        with refusal(render=lambda message: (f"page: {message}", 422), flash=False):
            _add("rendered")
            raise ProjectError("look at the form")
        return "unreachable"

    @bp.post("/api/probe/too-large")
    def too_large():
        _add("too-large")
        raise FilesTooLarge("the files total 9 bytes; the limit is 1")

    @bp.post("/probe/deferred/<outcome>")
    def deferred(outcome: str):
        transactions.after_commit(lambda: _add("after"))
        _add("deferred")
        return ("fine", 200) if outcome == "fine" else ("no", 400)

    @bp.post("/probe/deferred-fails")
    def deferred_fails():
        transactions.after_commit(lambda: 1 / 0)
        _add("kept-anyway")
        return jsonify(done=True)

    app.register_blueprint(bp)
    return app.test_client()


def names() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(User.name).where(User.email.like("%@probe.ma"))))


def test_a_request_that_ends_well_is_committed(probe):
    assert probe.post("/probe/ok").status_code == 200
    assert names() == {"ok"}


def test_a_request_that_raises_keeps_nothing(probe):
    with pytest.raises(RuntimeError, match="a bug"):  # testing: Flask lets it through
        probe.post("/probe/crash")
    assert names() == set()


def test_an_answer_that_reports_an_error_keeps_nothing(probe):
    assert probe.post("/probe/error-answer").status_code == 409
    assert names() == set()


def test_a_refusal_is_rolled_back_flashed_and_sent_back(probe):
    response = probe.post("/probe/refused")
    assert response.status_code == 302 and response.headers["Location"] == "/back"
    with probe.session_transaction() as session:
        assert session["_flashes"] == [("error", "not like this")]
    assert names() == set()


def test_a_refusal_asked_in_json_is_a_json_error(probe):
    response = probe.post("/probe/refused", json={})
    assert response.status_code == 400 and response.json == {"error": "not like this"}
    assert names() == set()


def test_a_refusal_may_keep_what_the_operation_saved_before_refusing(probe):
    assert probe.post("/probe/kept").status_code == 302
    assert names() == {"kept"}


def test_a_refusal_may_answer_with_the_page_that_shows_it(probe):
    response = probe.post("/probe/rendered")
    assert (response.status_code, response.get_data(as_text=True)) == (
        422,
        "page: look at the form",
    )
    with probe.session_transaction() as session:
        assert "_flashes" not in session
    assert names() == set()


def test_a_domain_error_nobody_caught_is_answered_with_its_status(probe):
    response = probe.post("/api/probe/too-large")
    assert response.status_code == 413
    assert response.json == {"error": "the files total 9 bytes; the limit is 1"}
    assert names() == set()


def test_deferred_work_runs_after_the_commit_and_never_after_a_rollback(probe):
    assert probe.post("/probe/deferred/fine").status_code == 200
    assert names() == {"deferred", "after"}
    db.session.execute(db.delete(User).where(User.email.like("%@probe.ma")))
    db.session.commit()
    assert probe.post("/probe/deferred/refused").status_code == 400
    assert names() == set()


def test_deferred_work_that_fails_undoes_nothing(probe, caplog):
    assert probe.post("/probe/deferred-fails").json == {"done": True}
    assert names() == {"kept-anyway"}
    assert "work deferred to after a commit failed" in caplog.text


def test_a_unit_of_work_commits_or_rolls_back(app):
    with transactions.unit_of_work():
        _add("unit")
    with pytest.raises(ProjectError), transactions.unit_of_work():
        _add("undone")
        raise ProjectError("refused")
    assert names() == {"unit"}


def test_a_commit_made_outside_a_unit_of_work_drops_deferred_work(app):
    transactions.after_commit(lambda: _add("never"))
    _add("direct")
    db.session.commit()  # a test's (or a script's) own commit: nothing follows it
    with transactions.unit_of_work():
        pass
    assert names() == {"direct"}


def test_subscribers_are_connected_once_per_process_whatever_the_number_of_apps(app_config):
    receivers = {signal.name: len(signal.receivers) for signal, _ in SUBSCRIPTIONS}
    create_app(app_config)
    assert {signal.name: len(signal.receivers) for signal, _ in SUBSCRIPTIONS} == receivers
    for signal, receiver in SUBSCRIPTIONS:
        assert receiver in signal.receivers.values(), (signal.name, receiver)
    assert len(signals.submission_graded.receivers) == 2, "certification and the audit chain"
