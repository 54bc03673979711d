"""Grader images, built offline: a debootstrap base imported into Docker, then one image per
``graders/<name>/`` folder built FROM it.

Tags carry a hash of the recipe, so an image is rebuilt only when its recipe changes, and the
LMS always grades with the image that matches the recipe it ships.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors

from sandbox.errors import SandboxError

SUITE = "bookworm"
BASE_REPOSITORY = "lms-base"
GRADER_PREFIX = "lms-grader-"
#: Packages every grader needs on top of minbase (none yet; graders add their own).
BASE_INCLUDE: tuple[str, ...] = ()
SOURCE_FILES = ("/etc/apt/sources.list", "/etc/apt/sources.list.d")


def base_tag() -> str:
    recipe = f"{SUITE}|minbase|{','.join(BASE_INCLUDE)}"
    return f"{BASE_REPOSITORY}:{hashlib.sha256(recipe.encode()).hexdigest()[:12]}"


def parents(grader_dir: Path) -> list[str]:
    """Graders this one is built FROM: each ``ARG GRADER_<NAME>`` of its Dockerfile."""
    dockerfile = (grader_dir / "Dockerfile").read_text()
    return [name.lower() for name in re.findall(r"^ARG GRADER_([A-Z0-9_]+)", dockerfile, re.M)]


def grader_tag(grader_dir: Path) -> str:
    """``lms-grader-<name>:<hash of the folder's files, the base tag and the parents' tags>``."""
    digest = hashlib.sha256(base_tag().encode())
    for parent in parents(grader_dir):
        digest.update(grader_tag(grader_dir.parent / parent).encode())
    for path in sorted(p for p in grader_dir.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(grader_dir)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{GRADER_PREFIX}{grader_dir.name}:{digest.hexdigest()[:12]}"


def debian_mirror(roots: tuple[str, ...] = SOURCE_FILES) -> str:
    """The Debian mirror already configured in this machine's apt sources."""
    for root in roots:
        path = Path(root)
        files = sorted(path.glob("*")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file():
                continue
            text = file.read_text(errors="replace")
            for uri in re.findall(r"^\s*URIs:\s*(\S+)", text, flags=re.M) + re.findall(
                r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)", text, flags=re.M
            ):
                if "security" not in uri and uri.rstrip("/").endswith("debian"):
                    return uri
    raise SandboxError("no Debian mirror found in the apt sources of this machine")


def image_exists(engine: docker.DockerClient, tag: str) -> bool:
    try:
        engine.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def build_base(engine: docker.DockerClient, log: Callable[[str], None] = print) -> str:
    """debootstrap a minimal Debian and import it, unless the tag is already there."""
    tag = base_tag()
    if image_exists(engine, tag):
        log(f"{tag}: up to date")
        return tag
    if shutil.which("debootstrap") is None:
        raise SandboxError("debootstrap is not installed (apt-get install debootstrap)")
    mirror = debian_mirror()
    log(f"{tag}: debootstrap {SUITE} from {mirror} ...")
    with tempfile.TemporaryDirectory(prefix="lms-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        command = ["debootstrap", "--variant=minbase"]
        if BASE_INCLUDE:
            command.append("--include=" + ",".join(BASE_INCLUDE))
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [*command, SUITE, str(rootfs), mirror],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        archive = Path(tmp) / "rootfs.tar"
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            ["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(archive), "."],  # noqa: S607
            check=True,
        )
        repository, _, version = tag.partition(":")
        with archive.open("rb") as data:
            engine.api.import_image_from_data(data, repository=repository, tag=version)
    engine.images.get(tag).tag(BASE_REPOSITORY, "latest")
    log(f"{tag}: built")
    return tag


def build_grader(
    engine: docker.DockerClient, grader_dir: Path, log: Callable[[str], None] = print
) -> str:
    """Build ``graders/<name>/`` FROM the base. Apt inside the build uses the host's network,
    since the engine here has no bridge network."""
    tag = grader_tag(grader_dir)
    if image_exists(engine, tag):
        log(f"{tag}: up to date")
        return tag
    buildargs = {"BASE": base_tag()}
    for parent in parents(grader_dir):
        buildargs[f"GRADER_{parent.upper()}"] = build_grader(
            engine, grader_dir.parent / parent, log
        )
    log(f"{tag}: building ...")
    repository, _, version = tag.partition(":")
    try:
        engine.images.build(
            path=str(grader_dir),
            tag=tag,
            buildargs=buildargs,
            network_mode="host",
            rm=True,
            forcerm=True,
            pull=False,
        )
    except docker.errors.BuildError as exc:
        tail = "".join(str(chunk.get("stream", "")) for chunk in list(exc.build_log)[-15:])
        raise SandboxError(f"building {tag} failed: {exc.msg}\n{tail}") from None
    engine.images.get(tag).tag(repository, "latest")
    log(f"{tag}: built")
    return tag


def build_all(
    engine: docker.DockerClient, graders_root: Path, log: Callable[[str], None] = print
) -> list[str]:
    """Build every grader image whose recipe changed, and export each one's file system for
    the boxes (once per tag); remove the exported trees of tags no longer built."""
    from sandbox import rootfs

    build_base(engine, log)
    tags = [
        build_grader(engine, d, log)
        for d in sorted(graders_root.iterdir())
        if (d / "Dockerfile").is_file()
    ]
    for tag in tags:
        if not rootfs.folder(tag).joinpath("image.json").is_file():
            log(f"{tag}: exporting its file system for the boxes ...")
        rootfs.ensure(tag, engine)
    removed = rootfs.remove_stale(set(tags))
    if removed:
        log(f"removed {removed} exported file system(s) of older recipes")
    return tags
