"""Grader images as plain root file systems for boxes: exported once from Docker per image tag.

Tags carry a hash of their recipe (:mod:`sandbox.images`), so an exported tree never goes stale:
a new recipe is a new tag and a new folder. Grading reads the folder only; Docker is needed to
build images and, once per tag, to export them.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import docker
import docker.errors
import requests.exceptions

from sandbox.boxes import state_dir
from sandbox.errors import ImageMissing, SandboxUnavailable


def folder(tag: str) -> Path:
    return state_dir() / "rootfs" / tag.replace(":", "_").replace("/", "_")


def ensure(tag: str, engine: docker.DockerClient | None = None) -> tuple[Path, dict]:
    """The root file system of ``tag`` and the image's labels, exported on first use."""
    target = folder(tag)
    meta = target / "image.json"
    if meta.is_file():
        return target / "rootfs", json.loads(meta.read_text())
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not meta.is_file():
            export(tag, target, engine)
    return target / "rootfs", json.loads(meta.read_text())


def export(tag: str, target: Path, engine: docker.DockerClient | None = None) -> None:
    try:
        engine = engine or docker.from_env()
        image = engine.images.get(tag)
    except docker.errors.ImageNotFound:
        raise ImageMissing(f"grader image {tag} is not built: run `lms images build`") from None
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise SandboxUnavailable(f"Docker engine unreachable to export {tag}: {exc}") from exc
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        container = engine.containers.create(image.id, command=["true"], network_disabled=True)
        try:
            rootfs = work / "rootfs"
            rootfs.mkdir()
            # tar keeps owners and modes (the judge-only data sets of the ml image).
            with subprocess.Popen(  # noqa: S603 - fixed arguments
                ["tar", "--numeric-owner", "-xpf", "-", "-C", str(rootfs)],  # noqa: S607
                stdin=subprocess.PIPE,
            ) as tar:
                for chunk in container.export():
                    tar.stdin.write(chunk)
                tar.stdin.close()
                if tar.wait() != 0:
                    raise SandboxUnavailable(f"could not unpack the file system of {tag}")
        finally:
            container.remove(force=True)
        config = image.attrs.get("Config") or {}
        meta = {
            "id": image.id,
            "tag": tag,
            "labels": image.labels or {},
            "env": config.get("Env") or [],
        }
        (work / "image.json").write_text(json.dumps(meta))
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def remove_stale(keep: set[str]) -> int:
    """Remove exported trees whose tag is not in ``keep`` (after a rebuild)."""
    root = state_dir() / "rootfs"
    removed = 0
    if not root.is_dir():
        return 0
    wanted = {folder(tag).name for tag in keep}
    for path in root.iterdir():
        if path.is_dir() and not path.name.startswith(".") and path.name not in wanted:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
