"""Learning by doing: partner companies' briefs, teams, deliverables and reviews."""

from __future__ import annotations

from flask import Flask, request

#: Endpoints that take uploads larger than ordinary forms.
UPLOAD_ENDPOINTS = {
    "projects.submit_deliverable",
    "projects.attach",
    "projects.new_brief",
    "projects.edit_brief",
}


def init_app(app: Flask) -> None:
    """Register before CSRF protection: it reads the form, and the body's size limit must be
    the upload's one by then (the global limit stays small for every other form)."""

    @app.before_request
    def _upload_limit() -> None:
        if request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = app.config["LMS_MAX_ARCHIVE_BYTES"] + 256 * 1024
