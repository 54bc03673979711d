"""Deliverable archives: what a team may upload, what is refused and why, and how an accepted
archive is unpacked for the sandbox. Every archive is built here; the hostile ones are built
with zipfile and then patched where a real attacker would lie."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import struct
import tarfile
import zipfile

import pytest

from lms.projects.archives import ArchiveLimits, ArchiveRejected, inspect_archive, safe_extract

MiB = 1024 * 1024

#: Offsets of the fields the tests lie about, in a central directory header.
CD_FLAGS, CD_CRC, CD_COMPRESSED, CD_SIZE, CD_OFFSET = 8, 16, 20, 24, 42
#: The general purpose flags of a local file header.
LOCAL_FLAGS = 6

PROJECT = (
    ("README.md", b"# Parcel tracking\n"),
    ("src/", b""),
    ("src/app.py", b"print('delivered')\n"),
    ("tests/test_app.py", b"def test_delivered():\n    assert True\n"),
)


def build_zip(
    *entries: tuple[str | zipfile.ZipInfo, bytes], method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def unix_entry(name: str, mode: int) -> zipfile.ZipInfo:
    """An entry carrying a Unix file type and permissions, as Info-ZIP writes them."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def central_header(archive: bytes, index: int = 0) -> int:
    offset = -1
    for _ in range(index + 1):
        offset = archive.index(b"PK\x01\x02", offset + 1)
    return offset


def patched(archive: bytes, offset: int, value: int, fmt: str = "<L") -> bytes:
    changed = bytearray(archive)
    struct.pack_into(fmt, changed, offset, value)
    return bytes(changed)


def refusal(archive: bytes, limits: ArchiveLimits | None = None) -> str:
    """The message the uploader would see."""
    with pytest.raises(ArchiveRejected) as caught:
        inspect_archive(io.BytesIO(archive), limits or ArchiveLimits())
    return str(caught.value)


# -- What is accepted ---------------------------------------------------------------------------


def test_a_project_archive_is_accepted_with_its_digest_and_members():
    archive = build_zip(*PROJECT)

    data, info = inspect_archive(io.BytesIO(archive))

    assert data == archive
    assert info.sha256 == hashlib.sha256(archive).hexdigest()
    assert info.size == len(archive)
    assert info.members == 4
    assert info.names == ("README.md", "src/", "src/app.py", "tests/test_app.py")
    assert info.unpacked_bytes == sum(len(content) for _, content in PROJECT)


def test_an_upload_of_exactly_the_size_limit_is_accepted():
    archive = build_zip(*PROJECT)

    _, info = inspect_archive(io.BytesIO(archive), ArchiveLimits(max_bytes=len(archive)))

    assert info.size == len(archive)


def test_file_names_are_read_as_utf8_whether_or_not_the_archiver_flags_them():
    flagged = build_zip(("docs/café.md", b"flagged"))
    # macOS and Info-ZIP write UTF-8 names without setting the flag: write the bytes by hand.
    unflagged = build_zip(("docs/cafXX.md", b"unflagged")).replace(b"cafXX", "café".encode())

    assert inspect_archive(io.BytesIO(flagged))[1].names == ("docs/café.md",)
    assert inspect_archive(io.BytesIO(unflagged))[1].names == ("docs/café.md",)


def test_a_small_file_that_compresses_very_well_is_not_taken_for_a_bomb():
    archive = build_zip(("data/blank.csv", b" " * 50_000))

    _, info = inspect_archive(io.BytesIO(archive))

    assert info.unpacked_bytes == 50_000


# -- Only real .zip archives --------------------------------------------------------------------


def tarball() -> bytes:
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb") as zipped,
        tarfile.open(fileobj=zipped, mode="w") as tar,
    ):
        content = b"print('delivered')\n"
        member = tarfile.TarInfo("src/app.py")
        member.size = len(content)
        tar.addfile(member, io.BytesIO(content))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(tarball(), id="tar.gz renamed .zip"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(100), id="png image"),
        pytest.param(b"def main():\n    pass\n", id="plain text"),
        pytest.param(b"MZ" + bytes(62) + build_zip(*PROJECT), id="executable with a zip appended"),
        pytest.param(b"", id="empty file"),
    ],
)
def test_anything_but_a_zip_archive_is_refused(upload):
    assert "Only .zip archives are accepted" in refusal(upload)


def test_a_zip_with_the_right_magic_but_no_valid_structure_is_refused():
    assert "Only .zip archives are accepted" in refusal(b"PK\x03\x04" + bytes(200))


def test_a_zip_without_any_file_is_refused_as_empty():
    assert "The archive is empty" in refusal(build_zip())


# -- Size of the upload -------------------------------------------------------------------------


class EndlessUpload(io.RawIOBase):
    """An upload that never ends, counting the bytes it hands out."""

    def __init__(self) -> None:
        self.delivered = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\0" * len(buffer)
        self.delivered += len(buffer)
        return len(buffer)


def test_an_oversized_upload_is_refused_one_byte_past_the_limit_without_reading_the_rest():
    upload = EndlessUpload()

    with pytest.raises(ArchiveRejected, match="larger than 1000 B"):
        inspect_archive(upload, ArchiveLimits(max_bytes=1000))

    assert upload.delivered == 1001


# -- Names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd", "points outside the archive"),
        ("src/../../x", "points outside the archive"),
        ("/etc/cron.d/x", "absolute path"),
        ("C:\\evil", "drive letter"),
        ("a\\..\\b", "backslashes"),
        ("src//app.py", "empty or “.” folder name"),
        ("./app.py", "empty or “.” folder name"),
    ],
)
def test_a_member_path_that_could_escape_the_destination_is_refused_by_name(name, reason):
    message = refusal(build_zip(*PROJECT, (name, b"owned")))

    assert name in message
    assert reason in message


def test_a_name_too_long_for_the_file_system_is_refused():
    assert "longer than 255 bytes" in refusal(build_zip((f"src/{'a' * 256}.py", b"")))


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("clear\x1b[2J.txt", "clear\\x1b[2J.txt"),
        ("invoice\u202etxt.exe", "invoice\\u202etxt.exe"),
        ("notes.txt\0.sh", "notes.txt\\x00.sh"),
    ],
)
def test_a_name_with_control_or_invisible_characters_is_refused_and_shown_escaped(name, shown):
    # zipfile cuts names at NUL when writing, as some extractors do when reading: write the
    # name's bytes by hand so that the archive says one thing and those extractors another.
    placeholder = "?" * len(name.encode())
    archive = build_zip((placeholder, b"")).replace(placeholder.encode(), name.encode())

    message = refusal(archive)

    assert "control or invisible characters" in message
    assert shown in message


def test_a_name_that_is_not_utf8_is_refused():
    archive = build_zip(("cafX.md", b"")).replace(b"cafX", b"caf\xe9")

    assert "“caf\\xe9.md” is not a valid UTF-8 file name" in refusal(archive)


def test_a_name_flagged_utf8_that_is_not_is_refused():
    archive = build_zip(("café.md", b"")).replace("café".encode(), b"caf\xe9\xe9")

    assert "“caf\\xe9\\xe9.md” is not a valid UTF-8 file name" in refusal(archive)


def test_the_same_name_twice_is_refused():
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive = build_zip(("src/app.py", b"one"), ("src/app.py", b"two"))

    assert "“src/app.py” appears more than once" in refusal(archive)


def test_a_name_used_both_as_a_file_and_a_folder_is_refused():
    archive = build_zip(("src", b"a file"), ("src/app.py", b""))

    assert "“src” is both a file and a folder" in refusal(archive)


# -- Kinds of members ---------------------------------------------------------------------------


def test_a_symbolic_link_is_refused():
    archive = build_zip(*PROJECT, (unix_entry("src/config", stat.S_IFLNK | 0o777), b"/etc"))

    assert "“src/config” is a symbolic link" in refusal(archive)


@pytest.mark.parametrize("kind", [stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK])
def test_a_device_pipe_or_socket_is_refused(kind):
    archive = build_zip((unix_entry("dev/sda", kind | 0o600), b""))

    assert "“dev/sda” is a device, pipe or socket" in refusal(archive)


def test_an_encrypted_member_is_refused():
    archive = build_zip(("secret.txt", b"hidden"))
    archive = patched(archive, LOCAL_FLAGS, 0x1, "<H")
    archive = patched(archive, central_header(archive) + CD_FLAGS, 0x1, "<H")

    assert "“secret.txt” is encrypted" in refusal(archive)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_compression_whose_memory_use_zipfile_does_not_bound_is_refused(method):
    archive = build_zip(("src/app.py", b"print()\n"), method=method)

    assert "“src/app.py” uses an unsupported compression method" in refusal(archive)


# -- Counts, sizes and bombs --------------------------------------------------------------------


@pytest.mark.parametrize(("count", "accepted"), [(3, True), (4, False)])
def test_the_number_of_members_is_limited(count, accepted):
    archive = build_zip(*((f"src/module{n}.py", b"") for n in range(count)))
    limits = ArchiveLimits(max_members=3)

    if accepted:
        assert inspect_archive(io.BytesIO(archive), limits)[1].members == count
    else:
        assert "more than 3 files and folders" in refusal(archive, limits)


def test_a_zip_bomb_of_200_mb_of_zeros_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.bin", "w") as member:
            for _ in range(200):
                member.write(bytes(MiB))  # never more than a megabyte in memory

    message = refusal(buffer.getvalue())

    assert "unpacks to more than 100 MB" in message or "zip bomb" in message


def test_a_member_compressed_beyond_the_ratio_is_refused_even_within_the_size_limits():
    archive = build_zip(("data/zeros.bin", bytes(5 * MiB)))

    message = refusal(archive)

    assert "“data/zeros.bin” expands more than 100 times its compressed size" in message


def test_many_small_members_that_together_compress_beyond_the_ratio_are_refused():
    archive = build_zip(*((f"data/part{n}.bin", bytes(90 * 1024)) for n in range(40)))

    assert "The archive expands more than 100 times its size" in refusal(archive)


def test_the_unpacked_size_is_limited_over_all_members():
    archive = build_zip(*((f"data/part{n}.bin", os.urandom(600)) for n in range(3)))

    assert "unpacks to more than 1000 B" in refusal(archive, ArchiveLimits(max_unpacked_bytes=1000))


def test_entries_sharing_the_same_data_are_refused_as_an_overlap_bomb():
    archive = build_zip(("a.txt", b"A" * 1000), ("b.txt", b"B" * 1000), method=zipfile.ZIP_STORED)
    # The second entry of the directory points at the first one's data, as in David Fifield's
    # non-recursive bombs, where every entry reuses one highly compressed kernel.
    archive = patched(archive, central_header(archive, 1) + CD_OFFSET, 0)

    assert "overlaps another file's data" in refusal(archive)


def test_an_entry_whose_data_runs_into_the_next_one_is_refused_as_an_overlap_bomb():
    archive = build_zip(("a.txt", b"A" * 1000), ("b.txt", b"B" * 1000), method=zipfile.ZIP_STORED)
    archive = patched(archive, central_header(archive) + CD_COMPRESSED, 2000)

    assert "“a.txt” overlaps another file's data" in refusal(archive)


# -- Declared sizes that lie --------------------------------------------------------------------


def test_a_member_that_decompresses_past_its_declared_size_and_the_limit_is_refused():
    archive = build_zip(("data/report.txt", b"delivered on time\n" * 1000))
    archive = patched(archive, central_header(archive) + CD_SIZE, 100)

    message = refusal(archive, ArchiveLimits(max_unpacked_bytes=1000))

    assert "“data/report.txt” is damaged" in message


def test_a_member_shorter_than_its_declared_size_is_refused_as_damaged():
    content = b"delivered on time\n" * 100
    archive = build_zip(("data/report.txt", content))
    archive = patched(archive, central_header(archive) + CD_SIZE, len(content) + 500)

    assert "“data/report.txt” is damaged" in refusal(archive)


def test_a_member_whose_checksum_does_not_match_is_refused_as_damaged():
    archive = build_zip(("data/report.txt", b"delivered on time\n"))
    archive = patched(archive, central_header(archive) + CD_CRC, 0xDEADBEEF)

    assert "“data/report.txt” is damaged" in refusal(archive)


# -- Extraction ---------------------------------------------------------------------------------


def test_safe_extract_writes_regular_files_under_the_destination_with_safe_modes(tmp_path):
    script = (unix_entry("bin/run.sh", stat.S_IFREG | 0o4777), b"#!/bin/sh\n")
    destination = tmp_path / "work" / "deliverable"

    written = safe_extract(build_zip(*PROJECT, script), destination)

    assert written == [
        destination / "README.md",
        destination / "src" / "app.py",
        destination / "tests" / "test_app.py",
        destination / "bin" / "run.sh",
    ]
    assert (destination / "src" / "app.py").read_bytes() == b"print('delivered')\n"
    assert {stat.S_IMODE(path.stat().st_mode) for path in written} == {0o644}
    folders = [destination, destination / "src", destination / "tests", destination / "bin"]
    assert {stat.S_IMODE(path.stat().st_mode) for path in folders} == {0o755}
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == sorted(written)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        pytest.param(("../escaped.txt", b"owned"), "points outside", id="traversal"),
        pytest.param(("{tmp}/escaped.txt", b"owned"), "absolute path", id="absolute"),
        pytest.param(
            (unix_entry("escaped.txt", stat.S_IFLNK | 0o777), b"../escaped.txt"),
            "symbolic link",
            id="symlink",
        ),
    ],
)
def test_safe_extract_refuses_the_same_attacks_and_writes_nothing(tmp_path, entry, reason):
    name, content = entry
    if isinstance(name, str):
        name = name.format(tmp=tmp_path)
    destination = tmp_path / "work" / "deliverable"

    with pytest.raises(ArchiveRejected, match=reason):
        safe_extract(build_zip(*PROJECT, (name, content)), destination)

    assert list(tmp_path.iterdir()) == []


def test_safe_extract_refuses_a_bomb_before_writing(tmp_path):
    archive = build_zip(("data/zeros.bin", bytes(5 * MiB)))

    with pytest.raises(ArchiveRejected, match="zip bomb"):
        safe_extract(archive, tmp_path / "work")

    assert not (tmp_path / "work").exists()


def test_safe_extract_refuses_data_larger_than_the_upload_limit(tmp_path):
    archive = build_zip(*PROJECT)

    with pytest.raises(ArchiveRejected, match="larger than"):
        safe_extract(archive, tmp_path / "work", ArchiveLimits(max_bytes=len(archive) - 1))


def test_safe_extract_never_follows_a_folder_link_already_in_the_destination(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    destination = tmp_path / "work"
    destination.mkdir()
    (destination / "src").symlink_to(outside, target_is_directory=True)

    with pytest.raises(OSError):
        safe_extract(build_zip(("src/app.py", b"owned")), destination)

    assert list(outside.iterdir()) == []


def test_safe_extract_never_writes_through_a_file_link_or_over_a_file(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"untouched")
    destination = tmp_path / "work"
    destination.mkdir()
    (destination / "app.py").symlink_to(outside)

    with pytest.raises(FileExistsError):
        safe_extract(build_zip(("app.py", b"owned")), destination)

    assert outside.read_bytes() == b"untouched"
