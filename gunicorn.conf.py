"""Gunicorn settings for the LMS web: ``.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app``.

Every setting can be overridden from the environment (``LMS_WEB_*``) or the command line.
Web processes in production run with ``LMS_GRADING=off``: grading belongs to ``lms worker``
on the worker hosts, and an embedded pool per gunicorn worker would multiply grading threads
by the number of web processes. See docs/deployment.md.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


#: "host:port", or several separated by commas; 127.0.0.1 by default, the reverse proxy in front.
bind = os.environ.get("LMS_WEB_BIND", "127.0.0.1:8000").split(",")

# Requests spend much of their time waiting on PostgreSQL, so threads within a process keep the
# CPU busy; processes (the classic 2 x cores + 1) use every core despite the GIL and isolate a
# crash. Each process opens its own pool of up to ``threads`` busy connections.
workers = _int("LMS_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("LMS_WEB_THREADS", 4)
worker_class = "gthread"
# Idle keep-alive connections are held by the poller, not by a thread, so they are cheap. They
# must outlive the client's own idle timeout (nginx's upstream keepalive_timeout is 60 s):
# otherwise a client may send a request on a connection we are closing, and a POST fails.
keepalive = _int("LMS_WEB_KEEPALIVE", 75)

# A page that takes 30 s is broken; kill the worker rather than queue behind it. Uploads of
# project archives (20 MB) are buffered by the proxy first, so they do not need longer.
timeout = _int("LMS_WEB_TIMEOUT", 30)
graceful_timeout = _int("LMS_WEB_GRACEFUL_TIMEOUT", 30)
# Recycle processes now and then: a slow leak never becomes an outage. The jitter spreads the
# restarts so that the processes of one node do not restart together.
max_requests = _int("LMS_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = _int("LMS_WEB_MAX_REQUESTS_JITTER", 500)

# Off: every worker imports the app and binds its own database engine after the fork, so no
# connection (nor SQLite handle) is ever shared between processes.
preload_app = False

# Trust X-Forwarded-Proto only from the proxy (comma-separated addresses).
forwarded_allow_ips = os.environ.get("LMS_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("LMS_WEB_ACCESS_LOG", "-")
errorlog = os.environ.get("LMS_WEB_ERROR_LOG", "-")
loglevel = os.environ.get("LMS_WEB_LOG_LEVEL", "info")
# Client as the proxy saw it, request, status, bytes, duration in microseconds, user agent.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
proc_name = "lms-web"

# Prometheus multiprocess mode: each worker process writes its counters to a file of this
# directory and the one answering GET /metrics adds them all up (lms/metrics.py). It is set here,
# when the master reads this file, because prometheus_client picks its mode when it is first
# imported: the workers import it after the fork (or the master does, with preload_app) and
# must all see the variable. One directory per gunicorn; the operator's own if given.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    str(
        Path(os.environ.get("LMS_INSTANCE_DIR") or Path(__file__).resolve().parent / "instance")
        / "prometheus"
    ),
)


def post_fork(server, worker) -> None:
    """Drop database engines a preloaded app would have handed down from the master.

    With ``preload_app = False`` there are none. If preloading is switched on, connections
    opened in the master must not be shared by the children: ``dispose(close=False)`` gives
    each child a fresh pool without closing the parent's sockets under it.
    """
    if "lms.extensions" not in sys.modules:
        return
    from lms.extensions import db

    for engines in list(db._app_engines.values()):  # Flask-SQLAlchemy keeps no public list
        for engine in engines.values():
            engine.dispose(close=False)


def on_starting(server) -> None:
    """Empty the metrics directory before the first worker starts.

    Files left by an earlier run hold the counters of processes long gone: kept, they would be
    added to this run's. Only here, once per master: a reload (``SIGHUP``) re-reads this file
    but its new workers join the old ones' counts, as a restart of one worker does.
    """
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):  # prometheus_client's files only
        stale.unlink()


def child_exit(server, worker) -> None:
    """A worker exited (recycled, killed or stopped): drop its live-gauge files (none today;
    the bookkeeping prometheus_client asks of gunicorn, so that one added later is right).

    Its counter files stay on purpose: a counter summed over the processes must not go back
    when a worker is recycled every ``max_requests``.
    """
    # Imported here, never at the top: the master must not pick prometheus_client's mode before
    # PROMETHEUS_MULTIPROC_DIR is set above, or the workers it forks would inherit the wrong one.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
