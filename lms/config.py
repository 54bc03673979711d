"""Configuration: safe defaults for the embedded set-up, then ``LMS_*`` environment variables.

The embedded default is one machine: SQLite in the instance folder, in-process grading
workers, the local Docker engine, and the content folders of this repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def flag(value: str) -> bool:
    """An on/off environment variable: "1", "true", "yes" (any case) mean on."""
    return value.strip().lower() in {"1", "true", "yes"}


#: Environment variables read at start-up, with the config key each one sets and its type.
ENVIRONMENT = {
    "LMS_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "LMS_SECRET_KEY": ("SECRET_KEY", str),
    "LMS_CONTENT_DIR": ("LMS_CONTENT_DIR", str),
    "LMS_WORKERS": ("LMS_WORKERS", int),
    "LMS_GRADING": ("LMS_GRADING", str),
    "LMS_DOCKER_URL": ("LMS_DOCKER_URL", str),
    "LMS_MAX_SUBMISSION_BYTES": ("LMS_MAX_SUBMISSION_BYTES", int),
    "LMS_JOBS_DIR": ("LMS_JOBS_DIR", str),
    "LMS_WEBHOOK_SECRET": ("LMS_WEBHOOK_SECRET", str),
    "LMS_MAX_ARCHIVE_BYTES": ("LMS_MAX_ARCHIVE_BYTES", int),
    "LMS_FILES_DIR": ("LMS_FILES_DIR", str),
    "LMS_KEYS_DIR": ("LMS_KEYS_DIR", str),
    "LMS_CHECKPOINT_SECONDS": ("LMS_CHECKPOINT_SECONDS", int),
    "LMS_BASE_URL": ("LMS_BASE_URL", str),
    "LMS_SMTP_HOST": ("LMS_SMTP_HOST", str),
    "LMS_SMTP_PORT": ("LMS_SMTP_PORT", int),
    "LMS_SMTP_FROM": ("LMS_SMTP_FROM", str),
    "LMS_SMTP_USER": ("LMS_SMTP_USER", str),
    "LMS_SMTP_PASSWORD": ("LMS_SMTP_PASSWORD", str),
    "LMS_SMTP_STARTTLS": ("LMS_SMTP_STARTTLS", flag),
    "LMS_SMTP_TIMEOUT": ("LMS_SMTP_TIMEOUT", float),
    "LMS_MINIMUM_WAGE_MAD": ("LMS_MINIMUM_WAGE_MAD", int),
    "LMS_WARM_CONTAINERS": ("LMS_WARM_CONTAINERS", int),
    "LMS_METRICS_TOKEN": ("LMS_METRICS_TOKEN", str),
    "LMS_NATIONAL_TARGET": ("LMS_NATIONAL_TARGET", int),
    "LMS_QUEUE": ("LMS_QUEUE", str),
    "LMS_BROKER_URL": ("LMS_BROKER_URL", str),
    "LMS_WORKER_CONCURRENCY": ("LMS_WORKER_CONCURRENCY", int),
    "LMS_MAX_ATTEMPTS": ("LMS_MAX_ATTEMPTS", int),
    "LMS_MAX_WAITING_PER_LEARNER": ("LMS_MAX_WAITING_PER_LEARNER", int),
    "LMS_GRADING_ORDER": ("LMS_GRADING_ORDER", str),
    "LMS_LEASE_SECONDS": ("LMS_LEASE_SECONDS", float),
    "LMS_LEASE_MARGIN_SECONDS": ("LMS_LEASE_MARGIN_SECONDS", int),
    "LMS_WRITE_PATIENCE_SECONDS": ("LMS_WRITE_PATIENCE_SECONDS", float),
    "LMS_REPUBLISH_AFTER_SECONDS": ("LMS_REPUBLISH_AFTER_SECONDS", int),
    "LMS_RECONCILE_SECONDS": ("LMS_RECONCILE_SECONDS", float),
    "LMS_DB_POOL_SIZE": ("LMS_DB_POOL_SIZE", int),
    "LMS_DB_MAX_OVERFLOW": ("LMS_DB_MAX_OVERFLOW", int),
    "LMS_MAX_JSON_BYTES": ("LMS_MAX_JSON_BYTES", int),
    "LMS_MAX_JSON_DEPTH": ("LMS_MAX_JSON_DEPTH", int),
    "LMS_API_TOKEN_DAYS": ("LMS_API_TOKEN_DAYS", int),
    "LMS_API_TOKEN_MAX_DAYS": ("LMS_API_TOKEN_MAX_DAYS", int),
    "LMS_WEBHOOK_TOLERANCE_SECONDS": ("LMS_WEBHOOK_TOLERANCE_SECONDS", int),
}

#: Where grading happens. "inprocess": threads of the web process poll the submissions table
#: (one machine). "celery": the web process never grades; it writes an outbox row with each
#: submission, and `lms worker` processes on the Docker hosts publish and grade them.
QUEUE_MODES = ("inprocess", "celery")
#: The order in which grading workers take waiting submissions (lms.submissions.fairness):
#: "fair" shares them between cohorts, then learners; "fifo", oldest first, is the order before.
GRADING_ORDERS = ("fair", "fifo")


def default_config(instance_path: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'lms.sqlite3'}",
        "LMS_CONTENT_DIR": str(REPO_ROOT),
        # "inprocess" starts a worker pool inside the web process; "off" leaves grading to
        # another process (tests, or a separate worker).
        "LMS_GRADING": "inprocess",
        "LMS_WORKERS": 2,
        # LMS_GRADING only matters with LMS_QUEUE=inprocess: with "celery" no web process
        # grades, whatever LMS_GRADING says (see QUEUE_MODES).
        "LMS_QUEUE": "inprocess",
        # Celery broker: Redis, or RabbitMQ with an amqp:// URL.
        "LMS_BROKER_URL": "redis://127.0.0.1:6379/0",
        # Gradings at once per `lms worker`: a container per core keeps the host responsive.
        "LMS_WORKER_CONCURRENCY": os.cpu_count() or 1,
        # A grading worker's heartbeat keeps its lease this far ahead (a beat every fifth of
        # it): a dead worker's submission is taken back this long after its last beat. Longer
        # database outages cost nothing either (the reconciler waits a term after them).
        "LMS_LEASE_SECONDS": 30.0,
        # Over an exercise's time limit, the longest a worker may hold its submission: one
        # alive but stuck (its heartbeat stops there) is taken back then.
        "LMS_LEASE_MARGIN_SECONDS": 60,
        # How long a worker keeps a result it cannot write (the database is unreachable),
        # trying again, before it gives up and the work is graded again as a failed attempt.
        "LMS_WRITE_PATIENCE_SECONDS": 600.0,
        # A queued submission whose message was published this long ago without a worker
        # starting it is published again (the broker lost it, e.g. Redis restarted empty).
        "LMS_REPUBLISH_AFTER_SECONDS": 300,
        # How often `lms worker` looks for expired leases, lost messages and due retries.
        "LMS_RECONCILE_SECONDS": 15.0,
        # PostgreSQL connections per process: at least the worker concurrency plus two.
        "LMS_DB_POOL_SIZE": 10,
        "LMS_DB_MAX_OVERFLOW": 10,
        "LMS_DOCKER_URL": None,
        # Learner files are source code: 256 KiB in all is far above any honest answer.
        "LMS_MAX_SUBMISSION_BYTES": 256 * 1024,
        "LMS_MAX_ATTEMPTS": 3,
        # Submissions a learner may have waiting to be graded (queued or running) at once: one
        # more is refused until one is graded, so that nobody floods the grading workers. Three
        # lets a learner fix a typo while a grading runs.
        "LMS_MAX_WAITING_PER_LEARNER": 3,
        "LMS_GRADING_ORDER": "fair",
        "LMS_JOBS_DIR": None,
        # Shared secret of the content webhook (HMAC-SHA256 of its timestamp, delivery id and
        # body, docs/security.md); unset disables it.
        "LMS_WEBHOOK_SECRET": None,
        # A signed delivery is accepted this long after (or before) its timestamp, and its id
        # is remembered as long, so that a captured request cannot be played again.
        "LMS_WEBHOOK_TOLERANCE_SECONDS": 300,
        # Any JSON body (lms/json_limits.py): 256 KiB of files, each character escaped as
        # \uXXXX by a cautious client, stays below 1 MiB; no honest body nests 32 deep.
        "LMS_MAX_JSON_BYTES": 1024 * 1024,
        "LMS_MAX_JSON_DEPTH": 32,
        # API tokens expire: after this many days unless the request asks for less, and never
        # later than the maximum.
        "LMS_API_TOKEN_DAYS": 90,
        "LMS_API_TOKEN_MAX_DAYS": 365,
        # Project deliverables: a .zip of source and documents, not of datasets or videos.
        "LMS_MAX_ARCHIVE_BYTES": 20 * 1024 * 1024,
        # Uploaded files, stored by SHA-256 (default: "files" in the instance folder).
        "LMS_FILES_DIR": None,
        # The issuer's signing keys, never in the database (default: "keys" in the instance).
        "LMS_KEYS_DIR": None,
        # How often the grading workers sign a checkpoint of the audit chain (when it moved).
        "LMS_CHECKPOINT_SECONDS": 3600,
        # Public address of the site, to make links in e-mails absolute.
        "LMS_BASE_URL": "http://127.0.0.1:5000",
        # Outgoing mail; no host means notifications stay in the app only.
        "LMS_SMTP_HOST": None,
        "LMS_SMTP_PORT": 25,
        "LMS_SMTP_FROM": "lms@localhost",
        "LMS_SMTP_USER": None,
        "LMS_SMTP_PASSWORD": None,
        "LMS_SMTP_STARTTLS": False,
        "LMS_SMTP_TIMEOUT": 10.0,
        # The monthly minimum wage (SMIG, 191 hours) a job must pay to count as "decent".
        # 17.10 MAD an hour from January 2025; the April 2024 social agreement adds 5 % in
        # January 2026, about 3,430 a month. Check it against the decree in force.
        "LMS_MINIMUM_WAGE_MAD": 3430,
        # Learners the programme is to train; the progress chart measures against it.
        "LMS_NATIONAL_TARGET": 15000,
        # Containers kept started per grader image, waiting for one job each (0: always cold).
        "LMS_WARM_CONTAINERS": 2,
        # Bearer token for /metrics from other hosts; unset: loopback only.
        "LMS_METRICS_TOKEN": None,
        # True sends e-mail right after the commit instead of in a thread (tests).
        "LMS_MAIL_SYNC": False,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "LANGUAGES": ["fr", "en"],
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
    }


def from_environment(environ: os._Environ | dict) -> dict:
    """Config values set through ``LMS_*`` environment variables."""
    values = {}
    for name, (key, kind) in ENVIRONMENT.items():
        if environ.get(name):
            values[key] = kind(environ[name])
    if values.get("LMS_QUEUE", "inprocess") not in QUEUE_MODES:
        raise ValueError(f"LMS_QUEUE must be one of {QUEUE_MODES}, not {values['LMS_QUEUE']!r}")
    if values.get("LMS_GRADING_ORDER", "fair") not in GRADING_ORDERS:
        order = values["LMS_GRADING_ORDER"]
        raise ValueError(f"LMS_GRADING_ORDER must be one of {GRADING_ORDERS}, not {order!r}")
    if values.get("LMS_MAX_WAITING_PER_LEARNER", 1) < 1:
        raise ValueError("LMS_MAX_WAITING_PER_LEARNER must be at least 1")
    uri = values.get("SQLALCHEMY_DATABASE_URI", "sqlite")
    if not uri.startswith("sqlite"):
        values["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
            values.get("LMS_DB_POOL_SIZE", 10), values.get("LMS_DB_MAX_OVERFLOW", 10)
        )
    return values


def engine_options(pool_size: int, max_overflow: int) -> dict:
    """Connection pool of a server database (PostgreSQL); SQLite keeps SQLAlchemy's own."""
    # pre_ping: a connection the server or a proxy closed while idle is replaced, not used.
    return {"pool_size": pool_size, "max_overflow": max_overflow, "pool_pre_ping": True}


def grades_in_web_process(config: dict) -> bool:
    """Whether the web process runs the embedded grading pool."""
    return config["LMS_QUEUE"] == "inprocess" and config["LMS_GRADING"] == "inprocess"


def instance_secret_key(instance_path: str) -> str:
    """A secret key kept in the instance folder, made on first start, so sessions survive
    restarts without anyone having to invent a key for the embedded set-up."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
