"""Content served by the LMS.

``current()`` returns the content every request sees. When a release has been published
(``lms content sync`` or the webhook), it is that release's snapshot, the same in every
process: each process looks at most every few seconds for a newer live release and swaps it
in whole, so nobody ever sees half of one. Otherwise it is ``LMS_CONTENT_DIR`` as it is on disk
(the embedded default, and what an author edits). Loading never raises for bad content.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import Row, select

from lms.content.loader import load
from lms.content.model import Content
from lms.models import ContentRelease
from lms.transactions import separate_unit

log = logging.getLogger(__name__)
_lock = threading.Lock()
EXTENSION = "lms.content"
#: How often a process asks the database whether another release went live.
RECHECK_SECONDS = 5.0


@dataclass
class _Served:
    content: Content | None = None
    #: Id of the live release served, None for the working tree.
    release_id: int | None = None
    checked_at: float = 0.0


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = _Served()


def current() -> Content:
    """The content of this app, loaded on first use and swapped when a release goes live."""
    app = current_app._get_current_object()
    served = app.extensions[EXTENSION]
    if served.content is None or time.monotonic() - served.checked_at > RECHECK_SECONDS:
        with _lock:
            if served.content is None or time.monotonic() - served.checked_at > RECHECK_SECONDS:
                _refresh(app, served, force=False)
    return served.content


def reload(app: Flask) -> Content:
    """Load again now (after ``LMS_CONTENT_DIR`` changed, or a release was published)."""
    with _lock:
        _refresh(app, app.extensions[EXTENSION], force=True)
    return app.extensions[EXTENSION].content


def _refresh(app: Flask, served: _Served, force: bool) -> None:
    live = _live_release()
    live_id = live.id if live is not None else None
    if force or served.content is None or live_id != served.release_id:
        if live is not None:
            content = load(Path(live.content_dir), commit=live.commit)
        else:
            content = load(Path(app.config["LMS_CONTENT_DIR"]))
            _record_working_tree(content)
        for problem in content.problems:
            log.warning("content problem: %s", problem)
        served.content, served.release_id = content, live_id
    served.checked_at = time.monotonic()


# Both read and write on a session of their own (lms.transactions.separate_unit): content is
# loaded in the middle of whatever asked for it (a request, a grading), whose transaction must
# neither carry this record nor be rolled back when the database fails here.


def _live_release() -> Row | None:
    """The published release (id, folder, commit), if any. A database that is down must not
    stop lessons."""
    try:
        with separate_unit() as session:
            return session.execute(
                select(ContentRelease.id, ContentRelease.content_dir, ContentRelease.commit)
                .where(ContentRelease.status == "live")
                .limit(1)
            ).first()
    except Exception:  # noqa: BLE001 - logged; the content already loaded stays served
        log.exception("could not read the live content release")
        return None


def _record_working_tree(content: Content) -> None:
    """Remember which commit of the working tree was loaded."""
    try:
        with separate_unit() as session:
            latest = session.scalar(
                select(ContentRelease.commit).order_by(ContentRelease.id.desc()).limit(1)
            )
            if latest != content.commit:
                session.add(
                    ContentRelease(
                        commit=content.commit,
                        dirty=content.dirty,
                        content_dir=str(content.directory),
                        problems="\n".join(str(p) for p in content.problems),
                        status="working-tree",
                    )
                )
    except Exception:  # noqa: BLE001 - any database failure is logged, never raised here
        log.exception("could not record the content release")
