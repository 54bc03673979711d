"""Error pages for the web, JSON errors for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from lms.extensions import db


def wants_json() -> bool:
    return (
        request.path.startswith("/api/")
        or request.is_json
        or (request.accept_mimetypes.best == "application/json")
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, RequestEntityTooLarge):
            error.description = "the request is larger than the server accepts"
        if wants_json():
            return jsonify(error=error.description or error.name), error.code
        return render_template("error.html", error=error), error.code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if wants_json():
            return jsonify(error=f"CSRF check failed: {error.description}"), 400
        return render_template("error.html", error=error), 400

    @app.errorhandler(OperationalError)
    def database_down(error: OperationalError):
        # A database outage is the platform's fault: say so, and say it will pass.
        db.session.rollback()
        app.logger.error("database error: %s", error)
        if wants_json():
            return jsonify(error="the database is unavailable, try again shortly"), 503
        return render_template("error.html", error=None, unavailable=True), 503
