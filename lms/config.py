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
    "LMS_NATIONAL_TARGET": ("LMS_NATIONAL_TARGET", int),
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
    return values


def instance_secret_key(instance_path: str) -> str:
    """A secret key kept in the instance folder, made on first start, so sessions survive
    restarts without anyone having to invent a key for the embedded set-up."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
