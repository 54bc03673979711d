"""Uploaded files (brief attachments, deliverable archives), stored by their SHA-256 in the
instance folder: written once, never overwritten, so a stored hash always names the bytes."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import current_app

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def root() -> Path:
    configured = current_app.config.get("LMS_FILES_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "files"


def path_for(sha256: str) -> Path:
    if not SHA256.match(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return root() / sha256[:2] / sha256


def save(data: bytes) -> str:
    """Store ``data``; returns its SHA-256. Written to a temporary file and renamed, so a
    crash never leaves a half-written file under a hash."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    Path(handle.name).chmod(0o640)
    os.replace(handle.name, target)
    return digest


def read(sha256: str) -> bytes:
    return path_for(sha256).read_bytes()
