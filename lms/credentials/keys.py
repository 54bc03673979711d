"""The issuer's Ed25519 signing keys, kept in a directory outside the database.

A database dump or a read-only auditor must never see a private key, so keys live as PEM files
in their own directory (the app uses ``<instance>/keys``): the directory is ``0700``, every file
``0600``, every write atomic (temporary file, ``fsync``, rename). ``index.json`` lists every key
ever used, oldest first, with its creation and retirement times::

    {"keys": [{"id": "key-2026-11-23-1a2b3c", "created_at": "...", "retired_at": null}]}

The current key is the one not retired. Rotating retires it and deletes its private key file:
old certificates keep verifying against the public key, which stays published, and the old key
can never sign again, even if a later bug asked it to. Processes sharing the directory (several
web workers, the CLI) serialise generation and rotation with an exclusive ``flock``; reads take
a shared one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from lms.credentials.multibase import ed25519_multikey

INDEX_NAME = "index.json"
LOCK_NAME = ".lock"


class KeyStoreError(RuntimeError):
    """The key directory is inconsistent (a file missing, unreadable or of the wrong kind)."""


class RetiredKeyError(RuntimeError):
    """Raised when a retired key (kept only to verify) is asked to sign."""


@dataclass(frozen=True)
class IssuerKey:
    """One issuer key; ``private_key`` is ``None`` once the key is retired."""

    #: Stable fragment id, published as ``<issuer>#<id>``, e.g. ``key-2026-11-23-1a2b3c``.
    id: str
    created_at: datetime
    public_key: Ed25519PublicKey
    private_key: Ed25519PrivateKey | None

    @property
    def multibase(self) -> str:
        """The Multikey ``publicKeyMultibase`` (``z6Mk…``) to publish."""
        return ed25519_multikey(self.public_key)

    @property
    def retired(self) -> bool:
        return self.private_key is None

    def sign(self, data: bytes) -> bytes:
        """A 64-byte Ed25519 signature of ``data``."""
        if self.private_key is None:
            raise RetiredKeyError(f"key {self.id} is retired: it verifies but never signs")
        return self.private_key.sign(data)

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            self.public_key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


class KeyStore:
    """The issuer's keys in ``directory``; the first key is generated on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def current(self) -> IssuerKey:
        """The key that signs new credentials, generating the very first one if need be."""
        with self._reading():
            entries = self._read_index()
            if entries:
                return self._load(self._current_entry(entries))
        with self._locked():
            entries = self._read_index()  # another process may have won the race
            if not entries:
                self._refuse_orphaned_keys()
                entries = [self._generate_entry(entries)]
                self._write_index(entries)
            return self._load(self._current_entry(entries))

    def rotate(self) -> IssuerKey:
        """Retire the current key (kept to verify, never to sign) and make a new one current."""
        with self._locked():
            entries = self._read_index()
            if not entries:
                self._refuse_orphaned_keys()
            now = _now()
            for entry in entries:
                if entry["retired_at"] is None:
                    entry["retired_at"] = now.isoformat()
            entries.append(self._generate_entry(entries))
            self._write_index(entries)  # the index first: a crash leaves at worst a stray file
            for entry in entries[:-1]:
                self._private_path(entry["id"]).unlink(missing_ok=True)
            return self._load(entries[-1])

    def all(self) -> list[IssuerKey]:
        """Every key ever used, oldest first, for publishing."""
        with self._reading():
            return [self._load(entry) for entry in self._read_index()]

    def get(self, key_id: str) -> IssuerKey | None:
        with self._reading():
            for entry in self._read_index():
                if entry["id"] == key_id:
                    return self._load(entry)
        return None

    def resolver(self, controller: str) -> Callable[[str], Ed25519PublicKey | None]:
        """Maps a verification method ``<controller>#<key id>`` to that key's public key."""

        def resolve(verification_method: str) -> Ed25519PublicKey | None:
            prefix = controller + "#"
            if not verification_method.startswith(prefix):
                return None
            key = self.get(verification_method.removeprefix(prefix))
            return key.public_key if key else None

        return resolve

    # -- files ---------------------------------------------------------------------------------

    def _generate_entry(self, entries: list[dict]) -> dict:
        private_key = Ed25519PrivateKey.generate()
        public_key = private_key.public_key()
        created_at = _now()
        key_id = _key_id(public_key, created_at, {entry["id"] for entry in entries})
        pem = private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        _atomic_write(self._private_path(key_id), pem)
        public_pem = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        _atomic_write(self._public_path(key_id), public_pem)
        return {"id": key_id, "created_at": created_at.isoformat(), "retired_at": None}

    def _load(self, entry: dict) -> IssuerKey:
        key_id = entry["id"]
        public_key = load_pem_public_key(self._read(self._public_path(key_id)))
        if not isinstance(public_key, Ed25519PublicKey):
            raise KeyStoreError(f"{self._public_path(key_id)} is not an Ed25519 public key")
        private_key = None
        if entry["retired_at"] is None:
            private_key = load_pem_private_key(self._read(self._private_path(key_id)), None)
            if not isinstance(private_key, Ed25519PrivateKey):
                raise KeyStoreError(f"{self._private_path(key_id)} is not an Ed25519 key")
            if _raw(private_key.public_key()) != _raw(public_key):
                raise KeyStoreError(f"the key files of {key_id} do not belong together")
        created_at = datetime.fromisoformat(entry["created_at"])
        return IssuerKey(key_id, created_at, public_key, private_key)

    def _current_entry(self, entries: list[dict]) -> dict:
        current = [entry for entry in entries if entry["retired_at"] is None]
        if len(current) != 1:
            raise KeyStoreError(f"{self._index_path} must have exactly one key not retired")
        return current[0]

    def _read_index(self) -> list[dict]:
        try:
            data = json.loads(self._index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as error:
            raise KeyStoreError(f"cannot read {self._index_path}: {error}") from error
        return data["keys"]

    def _refuse_orphaned_keys(self) -> None:
        """Never silently replace keys that certificates may already depend on."""
        if any(self.directory.glob("*.pem")):
            raise KeyStoreError(
                f"{self._index_path} is missing but key files exist: restore it from a backup "
                "(or remove the key files if they never signed anything)"
            )

    def _write_index(self, entries: list[dict]) -> None:
        text = json.dumps({"keys": entries}, indent=2) + "\n"
        _atomic_write(self._index_path, text.encode("utf-8"))

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise KeyStoreError(f"cannot read {path}: {error}") from error

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Exclusive: for generating and rotating keys."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)  # mkdir's mode is subject to the umask
        with self._flock(fcntl.LOCK_EX):
            yield

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Shared: a rotation cannot delete a private key file between index and key reads."""
        if not self.directory.is_dir():
            yield  # no keys yet, so nothing that a rotation could change under us
            return
        with self._flock(fcntl.LOCK_SH):
            yield

    @contextmanager
    def _flock(self, operation: int) -> Iterator[None]:
        fd = os.open(self.directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, operation)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    @property
    def _index_path(self) -> Path:
        return self.directory / INDEX_NAME

    def _private_path(self, key_id: str) -> Path:
        return self.directory / f"{key_id}.pem"

    def _public_path(self, key_id: str) -> Path:
        return self.directory / f"{key_id}.pub.pem"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _key_id(public_key: Ed25519PublicKey, created_at: datetime, taken: set[str]) -> str:
    """``key-<date>-<6 hex of the key's fingerprint>``, longer in the unlikely case of a clash."""
    fingerprint = hashlib.sha256(_raw(public_key)).hexdigest()
    for length in range(6, len(fingerprint) + 1):
        key_id = f"key-{created_at:%Y-%m-%d}-{fingerprint[:length]}"
        if key_id not in taken:
            return key_id
    raise KeyStoreError("two keys with the same public key")  # a broken random generator


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 0600) so that readers see the old file or the new one."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory_fd)  # make the rename itself durable
    finally:
        os.close(directory_fd)
