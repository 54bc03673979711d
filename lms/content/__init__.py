"""Content served by the LMS: loaded once per process from ``LMS_CONTENT_DIR``.

``current()`` returns the loaded release. Loading never raises for bad content; problems are
kept on the release, logged, and shown to trainers and admins.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app

from lms.content.loader import load
from lms.content.model import Content

log = logging.getLogger(__name__)
_lock = threading.Lock()
EXTENSION = "lms.content"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = None


def current() -> Content:
    """The content of this app, loaded (and its release recorded) on first use."""
    app = current_app._get_current_object()
    content = app.extensions.get(EXTENSION)
    if content is None:
        with _lock:
            content = app.extensions.get(EXTENSION)
            if content is None:
                content = reload(app)
    return content


def reload(app: Flask) -> Content:
    content = load(Path(app.config["LMS_CONTENT_DIR"]))
    for problem in content.problems:
        log.warning("content problem: %s", problem)
    app.extensions[EXTENSION] = content
    _record_release(content)
    return content


def _record_release(content: Content) -> None:
    """Remember which commit was loaded. A database that is down must not stop lessons."""
    from lms.extensions import db
    from lms.models import ContentRelease

    try:
        latest = db.session.scalars(
            db.select(ContentRelease).order_by(ContentRelease.id.desc()).limit(1)
        ).first()
        if latest is None or latest.commit != content.commit:
            db.session.add(
                ContentRelease(
                    commit=content.commit,
                    dirty=content.dirty,
                    content_dir=str(content.directory),
                    problems="\n".join(str(p) for p in content.problems),
                )
            )
            db.session.commit()
    except Exception:  # noqa: BLE001 - any database failure is logged, never raised here
        db.session.rollback()
        log.exception("could not record the content release")
