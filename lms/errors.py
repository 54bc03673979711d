"""Error pages for the web, JSON errors for the API.

A database outage is answered with 503 and ``Retry-After``, never a 500 traceback: the page for
it is rendered without touching the database (no signed-in user, no locale from the profile),
since the error handler runs while the database is still down. Recovery needs nothing here:
PostgreSQL engines ping connections before use (``lms.database``) and SQLAlchemy invalidates the
whole pool when it sees a disconnect, so the first request after the outage gets a fresh one.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from lms.extensions import db

#: Seconds a client (or the reverse proxy) should wait before trying again.
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "the service is briefly unavailable, try again in a minute"


class DomainError(Exception):
    """A request the domain refuses, with a message for whoever made it.

    Every feature's own errors derive from it (``SubmissionError``, ``ProjectError``,
    ``CertificationError``...). Operations raise them; the request boundary
    (:mod:`lms.transactions`) rolls the unit of work back and answers in one place: a JSON
    ``{"error": message}`` with :attr:`status_code` for the API and scripts, a flash message
    (or the page the view names) for the browser.
    """

    #: HTTP status of the answer. 404 answers "not found" to the browser too: what the user
    #: may not see does not exist for them.
    status_code = 400

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers of a JSON answer (``Retry-After`` for a refusal that passes)."""
        return {}


def wants_json() -> bool:
    return (
        request.path.startswith("/api/")
        or request.is_json
        or (request.accept_mimetypes.best == "application/json")
    )


def is_database_unreachable(error: BaseException) -> bool:
    """True for errors that mean "the database cannot be reached or is overloaded", as opposed
    to a query the code got wrong (an integrity or programming error stays a 500)."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def first_line(error: BaseException) -> str:
    """An error in one line for a log: database drivers add hints on the lines after."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def database_unavailable() -> Response:
    """The 503 answer: JSON for the API, a short page that needs no database for the web."""
    if wants_json():
        response = jsonify(error=UNAVAILABLE_MESSAGE)
    else:
        # Straight from the Jinja environment: render_template would run the context
        # processors, and the locale one asks the database who is signed in.
        page = current_app.jinja_env.get_template("unavailable.html")
        response = Response(page.render(retry_after=RETRY_AFTER_SECONDS), mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def discard_session() -> None:
    # The session's connection may be dead: rolling back can fail too, and must not turn
    # the 503 into a 500. The pool replaces the connection on the next checkout.
    try:
        db.session.rollback()
    except DBAPIError:
        db.session().invalidate()  # closes the connections, does not return them to the pool


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, RequestEntityTooLarge) and (
            error.description == RequestEntityTooLarge.description  # werkzeug's, not ours
        ):
            error.description = "the request is larger than the server accepts"
        if wants_json():
            return jsonify(error=error.description or error.name), error.code
        return render_template("error.html", error=error), error.code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if wants_json():
            return jsonify(error=f"CSRF check failed: {error.description}"), 400
        return render_template("error.html", error=error), 400

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_error(error: Exception):
        if not is_database_unreachable(error):
            raise error  # a bug, not an outage: the ordinary 500 path logs the traceback
        # An outage is the platform's fault: say so, and say it will pass.
        discard_session()
        app.logger.error("database unreachable on %s %s: %s", request.method, request.path, error)
        return database_unavailable()
