"""Configuration: safe defaults for the embedded set-up, then ``LMS_*`` environment variables.

The embedded default is one machine: SQLite in the instance folder, in-process grading
workers, the local Docker engine, and the content folders of this repository.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

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
}


def default_config(instance_path: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'lms.sqlite3'}",
        "LMS_CONTENT_DIR": str(REPO_ROOT),
        # "inprocess" starts a worker pool inside the web process; "off" leaves grading to
        # another process (tests, or a separate worker).
        "LMS_GRADING": "inprocess",
        "LMS_WORKERS": 2,
        "LMS_DOCKER_URL": None,
        # Learner files are source code: 256 KiB in all is far above any honest answer.
        "LMS_MAX_SUBMISSION_BYTES": 256 * 1024,
        "LMS_MAX_ATTEMPTS": 3,
        "LMS_JOBS_DIR": None,
        # Shared secret of the content webhook (HMAC-SHA256 of the body); unset disables it.
        "LMS_WEBHOOK_SECRET": None,
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
    return values


def instance_secret_key(instance_path: str) -> str:
    """A secret key kept in the instance folder, made on first start, so sessions survive
    restarts without anyone having to invent a key for the embedded set-up."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
