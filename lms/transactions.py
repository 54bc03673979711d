"""Units of work: where a transaction begins and ends, in one place.

Operations change the session and flush; they never commit. Whoever runs them owns the
transaction, and ends it here:

- **a request** (:class:`TransactionalFlask`, the application class :func:`lms.create_app`
  builds): committed once, after the view returned an answer below 400; rolled back when the
  view raises or answers an error. A domain error (:class:`lms.errors.DomainError`) is answered
  here too, after the rollback: a JSON ``{"error": ...}`` for the API and scripts, a flash
  message and a redirect (or the page the view names, :func:`refusal`) for the browser;
- **a CLI command** (``lms.cli``, every command that writes): the same, a domain error printed;
- **a background job**: each step that must be kept on its own is a :func:`unit_of_work` (or a
  :func:`transactional` function) with a comment saying why. A grading worker commits its claim
  before the box runs for seconds, writes its result in a unit of its own with patient retries
  (:mod:`lms.leases`), and so on; nothing there calls ``commit()`` by hand.

Work that must follow a commit, and only a commit (evaluating a learner's certification once
their graded submission is committed), is deferred with :func:`after_commit`: it runs after the
unit that deferred it commits, in a unit of its own, and is dropped if that unit rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, current_app, flash, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.exceptions import BadRequest, HTTPException, default_exceptions

from lms.errors import DomainError, discard_session, wants_json
from lms.extensions import db

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

#: ``session.info`` key: work deferred to after the current unit of work commits.
_AFTER_COMMIT = "lms.after_commit"


# Units of work -------------------------------------------------------------------------------


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did, or roll it back if it raises (and re-raise).

    On the app's scoped session: a unit inside a request commits what the request did so far,
    so a view never opens one; background jobs and commands do, where a step must be kept on
    its own."""
    try:
        yield
    except BaseException:
        discard_session()
        raise
    try:
        commit()
    except BaseException:
        discard_session()
        raise


def transactional(function: Callable[P, T]) -> Callable[P, T]:
    """Run ``function`` as a unit of work of its own (see :func:`unit_of_work`)."""

    @wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapped


def commit() -> None:
    """End the unit of work: commit it, then run the work it deferred (:func:`after_commit`).

    Called by the boundaries of this module only; anything else that commits (a test, a
    script) commits without running deferred work, which is dropped."""
    session = db.session()
    session.flush()  # flush hooks may defer work too (the grading pool's wake-up)
    deferred = session.info.pop(_AFTER_COMMIT, {})
    session.commit()
    for callback in deferred.values():
        _run_deferred(callback)


def _run_deferred(callback: Callable[[], object]) -> None:
    try:
        with unit_of_work():
            callback()
    except Exception:  # noqa: BLE001 - what deferred it is committed; its follow-up must not undo that
        log.exception("work deferred to after a commit failed: %r", callback)


def after_commit(
    callback: Callable[[], object], key: Hashable | None = None, session: Session | None = None
) -> Callable:
    """Run ``callback`` once the current unit of work commits, in a unit of its own (logged,
    never raised, if it fails); never if the unit rolls back. With ``key``, one piece of work
    gathers what several changes of the unit defer: the callback already deferred under that
    key is returned, and ``callback`` is dropped. ``session``: the one a flush hook is given
    (the app's session otherwise)."""
    info = session.info if session is not None else db.session.info
    deferred = info.setdefault(_AFTER_COMMIT, {})
    return deferred.setdefault(key if key is not None else object(), callback)


def _drop_deferred(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        # Rolled back, or committed by something else than commit(): nothing to follow it.
        session.info.pop(_AFTER_COMMIT, None)


@contextmanager
def separate_unit() -> Iterator[Session]:
    """A unit of work on a session and a connection of its own, committed or rolled back by
    itself whatever the caller's transaction does: for what must be kept even when the
    caller's work is not (the record of a content release loaded mid-request, an e-mail's
    outcome), or must not wait for it."""
    with Session(db.engine) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def pause() -> None:
    """End a unit that only read, before a long wait (a grading box running for seconds), so
    that no connection and no SQLite lock is held meanwhile."""
    db.session.rollback()


# The request boundary ------------------------------------------------------------------------


class TransactionalFlask(Flask):
    """A Flask application whose every request is one unit of work (see the module)."""

    def dispatch_request(self) -> ResponseReturnValue:
        try:
            response = self.make_response(super().dispatch_request())
        except Refusal as refused:
            _end_request(keep=refused.keep)
            raise
        except BaseException:
            discard_session()
            raise
        # An answer that reports an error (400 and above) keeps nothing.
        _end_request(keep=response.status_code < 400)
        return response


def _end_request(keep: bool) -> None:
    if not keep:
        discard_session()
        return
    try:
        commit()
    except BaseException:
        discard_session()
        raise


class Refusal(Exception):
    """A domain error on its way to the boundary, with the answer the view chose for it
    (:func:`refusal`)."""

    def __init__(
        self,
        error: DomainError,
        back_to: str | None,
        render: Callable[[str], ResponseReturnValue] | None,
        flash: bool | Callable[[str], str],
        code: int,
        keep: bool,
    ) -> None:
        super().__init__(str(error))
        self.error, self.back_to, self.render = error, back_to, render
        self.flash, self.code, self.keep = flash, code, keep


@contextmanager
def refusal(
    back_to: str | None = None,
    *,
    render: Callable[[str], ResponseReturnValue] | None = None,
    flash: bool | Callable[[str], str] = True,
    code: int = 302,
    keep: bool = False,
) -> Iterator[None]:
    """How the browser is answered when an operation in the block refuses (a domain error).

    The boundary rolls the request's unit of work back (``keep``: commits what was flushed
    before the refusal instead, for an operation that saves the user's input before it
    refuses it), flashes the message (worded by ``flash``, or none when False), then redirects
    to ``back_to`` (with ``code``) or answers ``render(message)``: the page that shows the
    refusal with what was typed. JSON requests get ``{"error": message}`` whatever the view
    chose, and a refusal that says "not found" (status 404) is the 404 page."""
    try:
        yield
    except DomainError as error:
        raise Refusal(error, back_to, render, flash, code, keep) from error


def _answer(error: DomainError, refused: Refusal | None = None) -> ResponseReturnValue:
    if wants_json():
        if request.path.startswith("/api/"):
            with force_locale("en"):  # API errors are English, whoever asks
                return jsonify(error=str(error)), error.status_code, error.headers
        return jsonify(error=str(error)), error.status_code, error.headers
    message = str(error)
    if refused is None or error.status_code == 404:
        http_error = default_exceptions.get(error.status_code, BadRequest)(description=message)
        return current_app.handle_http_exception(http_error)
    if refused.flash:
        flash(refused.flash(message) if callable(refused.flash) else message, "error")
    if refused.render is None:
        return redirect(refused.back_to or request.path, code=refused.code)
    try:
        return refused.render(message)
    except HTTPException as http_error:  # the page is gone meanwhile (abort(404))
        return current_app.handle_http_exception(http_error)
    except DomainError as error_again:  # e.g. not found any more
        return _answer(error_again)


def init_app(app: Flask) -> None:
    """Answer domain errors at the request boundary, and drop deferred work with the unit of
    work that deferred it (once per process: the listener serves every app)."""
    app.register_error_handler(Refusal, lambda refused: _answer(refused.error, refused))
    app.register_error_handler(DomainError, _answer)
    if not event.contains(db.session, "after_transaction_end", _drop_deferred):
        event.listen(db.session, "after_transaction_end", _drop_deferred)
