"""Deliverable archives: .zip uploads checked without trusting anything they declare, then
unpacked (regular files only) for the sandbox that runs a company's test suite.

Everything is checked in memory before a byte is written: the file type, every member's name
and kind, the sizes and compression ratios the archive declares, the layout of its entries
(overlapping entries are how the smallest zip bombs work) and finally the bytes the members
really decompress to, counted chunk by chunk. Nested archives are never opened, so a quine
(a zip that contains itself) is just a small file. Only Linux is supported: extraction relies
on ``O_NOFOLLOW`` and ``dir_fd``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from lms.errors import DomainError


@dataclass(frozen=True)
class ArchiveLimits:
    #: Size of the uploaded file.
    max_bytes: int = 20 * 1024 * 1024
    #: Sum of the members' sizes, both as declared and as really decompressed.
    max_unpacked_bytes: int = 100 * 1024 * 1024
    #: Files and folders in the archive.
    max_members: int = 2000
    #: Uncompressed size over compressed size, for each member and for the whole archive.
    max_ratio: int = 100


class ArchiveRejected(DomainError, ValueError):
    """The upload is not an acceptable archive; ``message`` is a sentence for the uploader,
    translated where it is shown (``str(exc)`` gives it in the current language)."""

    def __init__(self, message: LazyString | str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ArchiveInfo:
    #: SHA-256 of the uploaded bytes, hex.
    sha256: str
    #: Size of the upload in bytes.
    size: int
    #: Entries in the archive, files and folders.
    members: int
    #: Bytes the files decompress to.
    unpacked_bytes: int
    #: Entry names in archive order, folders ending with "/".
    names: tuple[str, ...]


_CHUNK = 64 * 1024
#: A .zip starts with a local file header, or with the end record when it is empty.
_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: Below this size a member is never called a bomb for its ratio (a 100 KB file of spaces
#: compresses 1000:1); the size limits still bound it. Apache POI uses the same grace size.
_RATIO_GRACE_BYTES = 100 * 1024
#: zipfile decompresses bzip2 and LZMA without bounding the output of each call, so a few
#: kilobytes could become gigabytes in memory before any count; Deflate is bounded.
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_FLAG_ENCRYPTED = 0x01 | 0x40  # traditional and strong encryption
_FLAG_PATCHED = 0x20
_FLAG_UTF8 = 0x800
_LOCAL_HEADER = struct.Struct("<4s22x2H")  # signature, then name and extra field lengths
_END_RECORD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
_MAX_PART_BYTES = 255  # NAME_MAX on Linux
#: Errors zipfile lets through when a header or a compressed stream is malformed.
_READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, struct.error)


@dataclass(frozen=True)
class _Member:
    info: zipfile.ZipInfo
    #: The name as the uploader wrote it, decoded as UTF-8.
    name: str
    parts: tuple[str, ...]

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")

    @property
    def path(self) -> str:
        return "/".join(self.parts)


def inspect_archive(
    stream: BinaryIO, limits: ArchiveLimits = ArchiveLimits()
) -> tuple[bytes, ArchiveInfo]:
    """Read an upload and check it is an acceptable .zip archive; raises ArchiveRejected.

    Never reads more than ``limits.max_bytes + 1`` bytes of the stream. Returns the bytes read
    (to be stored) and what the archive holds.
    """
    data = _read_upload(stream, limits.max_bytes)
    with _open_zip(data, limits) as archive:
        members = _check_members(archive, data, limits)
        unpacked = _check_contents(archive, members, limits)
    return data, ArchiveInfo(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        members=len(members),
        unpacked_bytes=unpacked,
        names=tuple(member.name for member in members),
    )


def safe_extract(
    data: bytes, destination: Path, limits: ArchiveLimits = ArchiveLimits()
) -> list[Path]:
    """Check the archive as inspect_archive does, then write its files under destination
    (created if needed) with mode 0o644, folders 0o755; returns the files written.

    Nothing is written unless every check passes. Links already in destination are never
    followed, and existing files are never overwritten (FileExistsError).
    """
    with _open_zip(data, limits) as archive:
        members = _check_members(archive, data, limits)
        _check_contents(archive, members, limits)
        return _extract(archive, members, destination, limits)


# -- The upload ---------------------------------------------------------------------------------


def _read_upload(stream: BinaryIO, max_bytes: int) -> bytes:
    chunks, total = [], 0
    while total <= max_bytes:
        # One byte past the limit is enough to know the upload is too large.
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise _too_large(max_bytes)
    return b"".join(chunks)


def _open_zip(data: bytes, limits: ArchiveLimits) -> zipfile.ZipFile:
    if len(data) > limits.max_bytes:
        raise _too_large(limits.max_bytes)
    # The magic bytes refuse what zipfile would open anyway: an executable or a script with a
    # zip appended (self-extracting archives, polyglots).
    if not data.startswith(_MAGIC):
        raise _not_a_zip()
    # zipfile turns every directory entry into an object: count them before it does.
    if _directory_entries(data) > limits.max_members:
        raise _too_many(limits.max_members)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except UnicodeDecodeError as exc:
        raise _rejected(_NOT_UTF8, exc.object.decode("utf-8", "backslashreplace")) from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise _not_a_zip() from exc


def _directory_entries(data: bytes) -> int:
    """At least as many central directory entries as zipfile will parse: every entry starts
    with a signature, counted in the region zipfile reads (found as zipfile finds it)."""
    span = _directory_span(data)
    if span is None:
        return 0  # zipfile will not open it either
    start, end = span
    return data.count(b"PK\x01\x02", start, end + 3)


def _directory_span(data: bytes) -> tuple[int, int] | None:
    """Where the central directory starts and ends, from the end record (or its zip64 form)."""
    end = _end_record_offset(data)
    if end < 0:
        return None
    size = _END_RECORD.unpack_from(data, end)[5]
    locator = end - _ZIP64_LOCATOR_SIZE
    record = locator - _ZIP64_END_RECORD.size
    if record >= 0 and data.startswith(b"PK\x06\x07", locator):
        if data.startswith(b"PK\x06\x06", record):
            size, end = _ZIP64_END_RECORD.unpack_from(data, record)[8], record
    return max(0, end - size), end


def _end_record_offset(data: bytes) -> int:
    """As zipfile looks for it: at the very end, else the last one in the comment's reach."""
    last = len(data) - _END_RECORD.size
    if last >= 0 and data.startswith(b"PK\x05\x06", last) and data.endswith(b"\0\0"):
        return last
    found = data.rfind(b"PK\x05\x06", max(0, last - 0xFFFF))
    return found if 0 <= found <= last else -1


# -- What the archive declares ------------------------------------------------------------------


def _check_members(archive: zipfile.ZipFile, data: bytes, limits: ArchiveLimits) -> list[_Member]:
    infos = archive.infolist()
    if not infos:
        raise ArchiveRejected(_l("The archive is empty."))
    if len(infos) > limits.max_members:
        raise _too_many(limits.max_members)
    members = [_check_member(info) for info in infos]
    _check_layout(members)
    _check_declared_sizes(members, len(data), limits)
    _check_no_overlap(members, data)
    return members


def _check_member(info: zipfile.ZipInfo) -> _Member:
    name = _decoded_name(info)
    for problem in (_kind_problem(info), _path_problem(name)):
        if problem is not None:
            raise _rejected(problem, name)
    return _Member(info, name, tuple(name.removesuffix("/").split("/")))


def _decoded_name(info: zipfile.ZipInfo) -> str:
    # Without the UTF-8 flag zipfile decodes names as CP437, which maps every byte: encoding
    # back gives the raw bytes, which many tools (macOS, Info-ZIP) write as UTF-8 regardless.
    raw = info.orig_filename.encode("utf-8" if info.flag_bits & _FLAG_UTF8 else "cp437")
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _rejected(_NOT_UTF8, raw.decode("utf-8", "backslashreplace")) from exc
    # Control and invisible characters (NUL, escapes, right-to-left overrides) disguise names.
    if not name.isprintable():
        raise _rejected(_NOT_PRINTABLE, name)
    return name


def _kind_problem(info: zipfile.ZipInfo) -> LazyString | None:
    mode = info.external_attr >> 16  # Unix mode, zero when the archiver did not record one
    if stat.S_ISLNK(mode):
        return _SYMLINK
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        return _SPECIAL_FILE
    if info.flag_bits & _FLAG_ENCRYPTED:
        return _ENCRYPTED
    if info.compress_type not in _METHODS or info.flag_bits & _FLAG_PATCHED:
        return _UNSUPPORTED_METHOD
    return None


def _path_problem(name: str) -> LazyString | None:
    parts = name.removesuffix("/").split("/")
    if name.startswith("/"):
        return _ABSOLUTE
    if re.match(r"[A-Za-z]:", name):
        return _DRIVE_LETTER
    if "\\" in name:
        return _BACKSLASH
    if ".." in parts:
        return _TRAVERSAL
    if any(part in ("", ".") for part in parts):
        return _ODD_PATH
    if any(len(part.encode()) > _MAX_PART_BYTES for part in parts):
        return _LONG_NAME
    return None


def _check_layout(members: Sequence[_Member]) -> None:
    seen: set[str] = set()
    for member in members:
        if member.path in seen:
            raise _rejected(_DUPLICATE, member.name)
        seen.add(member.path)
    folders = {"/".join(m.parts[:depth]) for m in members for depth in range(1, len(m.parts))}
    for member in members:
        if not member.is_dir and member.path in folders:
            raise _rejected(_FILE_AND_FOLDER, member.name)


def _check_declared_sizes(members: Sequence[_Member], size: int, limits: ArchiveLimits) -> None:
    total = 0
    for member in members:
        total += member.info.file_size
        if total > limits.max_unpacked_bytes:
            raise _unpacks_too_large(limits.max_unpacked_bytes)
        if _ratio_exceeded(member.info.file_size, member.info.compress_size, limits.max_ratio):
            raise _bomb(member.name, limits.max_ratio)
    if _ratio_exceeded(total, size, limits.max_ratio):
        raise ArchiveRejected(
            _l(
                "The archive expands more than %(ratio)s times its size; it looks like a zip bomb.",
                ratio=limits.max_ratio,
            )
        )


def _ratio_exceeded(unpacked: int, packed: int, max_ratio: int) -> bool:
    return unpacked > _RATIO_GRACE_BYTES and unpacked > packed * max_ratio


def _check_no_overlap(members: Sequence[_Member], data: bytes) -> None:
    """Each member's compressed data must end before the next member's header: entries that
    share bytes let a small archive declare (and truthfully decompress to) huge sizes."""
    ordered = sorted(members, key=lambda member: member.info.header_offset)
    span = _directory_span(data)
    bounds = [m.info.header_offset for m in ordered[1:]] + [span[0] if span else len(data)]
    for member, bound in zip(ordered, bounds, strict=True):
        if _data_end(member, data) > bound:
            raise _rejected(_OVERLAP, member.name)


def _data_end(member: _Member, data: bytes) -> int:
    offset = member.info.header_offset
    if not 0 <= offset <= len(data) - _LOCAL_HEADER.size:
        raise _rejected(_DAMAGED, member.name)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, offset)
    if signature != b"PK\x03\x04":
        raise _rejected(_DAMAGED, member.name)
    return offset + _LOCAL_HEADER.size + name_length + extra_length + member.info.compress_size


# -- What the archive really holds --------------------------------------------------------------


def _check_contents(
    archive: zipfile.ZipFile, members: Sequence[_Member], limits: ArchiveLimits
) -> int:
    total = 0
    for member in members:
        for chunk in _unpack(archive, member, limits, limits.max_unpacked_bytes - total):
            total += len(chunk)
    return total


def _unpack(
    archive: zipfile.ZipFile, member: _Member, limits: ArchiveLimits, budget: int
) -> Iterator[bytes]:
    """The member's bytes as really decompressed, in bounded chunks, counted against the
    budget left and the ratio as they come: declared sizes can lie."""
    read = 0
    try:
        with archive.open(member.info) as source:
            while chunk := source.read(_CHUNK):
                read += len(chunk)
                if read > budget:
                    raise _unpacks_too_large(limits.max_unpacked_bytes)
                if _ratio_exceeded(read, member.info.compress_size, limits.max_ratio):
                    raise _bomb(member.name, limits.max_ratio)
                yield chunk
    except ArchiveRejected:
        raise  # a ValueError too, but already the right answer
    except _READ_ERRORS as exc:
        raise _rejected(_DAMAGED, member.name) from exc
    if read != member.info.file_size:
        raise _rejected(_DAMAGED, member.name)


# -- Extraction ---------------------------------------------------------------------------------


def _extract(
    archive: zipfile.ZipFile, members: Sequence[_Member], destination: Path, limits: ArchiveLimits
) -> list[Path]:
    destination.mkdir(mode=0o755, parents=True, exist_ok=True)
    root = os.open(destination, os.O_RDONLY | os.O_DIRECTORY)
    written, budget = [], limits.max_unpacked_bytes
    try:
        for member in members:
            folder = _open_folder(root, member.parts if member.is_dir else member.parts[:-1])
            try:
                if not member.is_dir:
                    chunks = _unpack(archive, member, limits, budget)
                    budget -= _write_file(folder, member.parts[-1], chunks)
                    written.append(destination.joinpath(*member.parts))
            finally:
                os.close(folder)
    finally:
        os.close(root)
    return written


def _open_folder(root: int, parts: Sequence[str]) -> int:
    """A descriptor of the folder root/parts, created as needed. Each step is opened relative
    to the previous one with O_NOFOLLOW: a link planted on the way is an error, not a way out."""
    folder = os.dup(root)
    for part in parts:
        try:
            os.mkdir(part, 0o755, dir_fd=folder)
            created = True
        except FileExistsError:
            created = False
        try:
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
        finally:
            os.close(folder)
        folder = child
        if created:
            os.fchmod(folder, 0o755)  # the umask may have removed bits
    return folder


def _write_file(folder: int, name: str, chunks: Iterator[bytes]) -> int:
    # O_EXCL: never overwrite, nor write through a link, whatever is already there.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    written = 0
    with os.fdopen(os.open(name, flags, 0o644, dir_fd=folder), "wb") as out:
        os.fchmod(out.fileno(), 0o644)  # the umask may have removed bits; never executable
        for chunk in chunks:
            out.write(chunk)
            written += len(chunk)
    return written


# -- Messages -----------------------------------------------------------------------------------

#: Why one member is refused; "%(name)s" is its name.
_NOT_UTF8 = _l("“%(name)s” is not a valid UTF-8 file name.")
_NOT_PRINTABLE = _l("“%(name)s” contains control or invisible characters.")
_SYMLINK = _l("“%(name)s” is a symbolic link; only files and folders are accepted.")
_SPECIAL_FILE = _l("“%(name)s” is a device, pipe or socket; only files and folders are accepted.")
_ENCRYPTED = _l("“%(name)s” is encrypted; upload an archive without a password.")
_UNSUPPORTED_METHOD = _l(
    "“%(name)s” uses an unsupported compression method; use standard ZIP (Deflate)."
)
_ABSOLUTE = _l("“%(name)s” is an absolute path; only relative paths are accepted.")
_DRIVE_LETTER = _l("“%(name)s” starts with a drive letter; only relative paths are accepted.")
_BACKSLASH = _l("“%(name)s” contains backslashes; folders in a .zip are separated by “/”.")
_TRAVERSAL = _l("“%(name)s” points outside the archive with “..”.")
_ODD_PATH = _l("“%(name)s” has an empty or “.” folder name in its path.")
_LONG_NAME = _l("“%(name)s” has a file or folder name longer than 255 bytes.")
_DUPLICATE = _l("“%(name)s” appears more than once in the archive.")
_FILE_AND_FOLDER = _l("“%(name)s” is both a file and a folder in the archive.")
_OVERLAP = _l("“%(name)s” overlaps another file's data; the archive looks like a zip bomb.")
_DAMAGED = _l("“%(name)s” is damaged: its content does not match its declared size or checksum.")


def _rejected(message: LazyString, name: str) -> ArchiveRejected:
    """The message about one member, translated only when shown, like the others."""
    shown = _shown(name)
    return ArchiveRejected(LazyString(lambda: str(message) % {"name": shown}))


def _shown(name: str) -> str:
    """A member's name fit for a message: control characters escaped, cut short."""
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in name)
    return shown if len(shown) <= 120 else shown[:119] + "…"


def _bomb(name: str, ratio: int) -> ArchiveRejected:
    return ArchiveRejected(
        _l(
            "“%(name)s” expands more than %(ratio)s times its compressed size; the archive looks "
            "like a zip bomb.",
            name=_shown(name),
            ratio=ratio,
        )
    )


def _not_a_zip() -> ArchiveRejected:
    return ArchiveRejected(_l("Only .zip archives are accepted."))


def _too_large(limit: int) -> ArchiveRejected:
    return ArchiveRejected(_l("The archive is larger than %(limit)s.", limit=_size(limit)))


def _unpacks_too_large(limit: int) -> ArchiveRejected:
    return ArchiveRejected(_l("The archive unpacks to more than %(limit)s.", limit=_size(limit)))


def _too_many(limit: int) -> ArchiveRejected:
    return ArchiveRejected(
        _l("The archive holds more than %(limit)s files and folders.", limit=limit)
    )


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.3g} MB"
    if count >= 1024:
        return f"{count / 1024:.3g} KB"
    return f"{count} B"
