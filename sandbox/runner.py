"""One fresh container per job, with every limit, removed in every case."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors
import requests.exceptions
from docker.models.images import Image
from docker.types import LogConfig, Ulimit

from sandbox import result as result_json
from sandbox.errors import ImageMissing, SandboxError, SandboxUnavailable
from sandbox.job import Job, Limits, RunResult

LABEL = "lms.sandbox"
OWNER_LABEL = "lms.sandbox.owner"
CREATED_LABEL = "lms.sandbox.created"
#: Containers older than this are orphans whoever made them (longest timeout + grace).
ORPHAN_AGE_SECONDS = 15 * 60
#: The uid:gid every grader image runs as (see graders/*/Dockerfile).
GRADER_USER = "1000:1000"


def client(base_url: str | None = None) -> docker.DockerClient:
    """A Docker client, or SandboxUnavailable naming the engine that did not answer."""
    try:
        engine = docker.DockerClient(base_url=base_url) if base_url else docker.from_env()
        engine.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise SandboxUnavailable(f"Docker engine unreachable: {exc}") from exc
    return engine


def run(
    job: Job, engine: docker.DockerClient | None = None, jobs_dir: str | None = None
) -> RunResult:
    """Grade ``job`` in a new container and return the validated result.

    Raises SandboxUnavailable (engine down, image missing: try later) or SandboxError (the
    grader broke). A learner's code hitting a limit is a result, not an error.
    """
    engine = engine or client()
    image = resolve_image(engine, job.image)
    workdir = new_workdir(jobs_dir)
    try:
        stage(job, workdir)
        return _run_container(engine, image, job, workdir)
    except (docker.errors.APIError, requests.exceptions.ConnectionError) as exc:
        raise SandboxUnavailable(f"Docker engine failed during the run: {exc}") from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def resolve_image(engine: docker.DockerClient, tag: str) -> Image:
    """The image ``tag`` names now, or ImageMissing / SandboxUnavailable."""
    try:
        return engine.images.get(tag)
    except docker.errors.ImageNotFound:
        raise ImageMissing(f"grader image {tag} is not built: run `lms images build`") from None
    except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
        raise SandboxUnavailable(f"Docker engine unreachable: {exc}") from exc


def new_workdir(jobs_dir: str | None = None) -> Path:
    """A private host folder with empty ``submission/`` and ``tests/``, to bind-mount read-only.

    Both exist before any container does, so a warm container can mount them while empty.
    """
    workdir = Path(tempfile.mkdtemp(prefix="lms-job-", dir=jobs_dir))
    workdir.chmod(0o755)
    for name in ("submission", "tests"):
        (workdir / name).mkdir(mode=0o755)
    return workdir


def stage(job: Job, workdir: Path) -> None:
    """Copy the learner's files and the tests where the container can mount them read-only.

    Copying freezes the tests for this run even if the content folder changes meanwhile.
    """
    submission = workdir / "submission"
    for name, text in job.files.items():
        target = submission / name
        if target.parent != submission:
            raise SandboxError(f"file name {name!r} is not a plain file name")
        target.write_text(text, encoding="utf-8")
        target.chmod(0o644)
    if job.files_dir is not None:
        # symlinks=True copies a link as a link, never what it points to on this host.
        shutil.copytree(job.files_dir, submission, symlinks=True, dirs_exist_ok=True)
    shutil.copytree(job.tests_dir, workdir / "tests", dirs_exist_ok=True)
    for path in [
        submission,
        *submission.rglob("*"),
        workdir / "tests",
        *(workdir / "tests").rglob("*"),
    ]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


def container_options(
    limits: Limits, workdir: Path, environment: dict[str, str], labels: dict[str, str]
) -> dict:
    """Every isolation setting and limit of a grading container, cold or warm alike."""
    return {
        "environment": environment,
        "user": GRADER_USER,
        "network_disabled": True,
        "network_mode": "none",
        "read_only": True,
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={limits.tmpfs_mb}m,mode=1777"},  # noqa: S108
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "mem_limit": f"{limits.memory_mb}m",
        "memswap_limit": f"{limits.memory_mb}m",
        "pids_limit": limits.pids,
        "nano_cpus": int(limits.cpus * 1e9),
        # Disk writes are bounded by the tmpfs size (ENOSPC, a clear error in the learner's code).
        "ulimits": [Ulimit(name="nofile", soft=256, hard=256)],
        "volumes": {
            str(workdir / "submission"): {"bind": "/job/submission", "mode": "ro"},
            str(workdir / "tests"): {"bind": "/job/tests", "mode": "ro"},
        },
        "labels": {
            LABEL: "1",
            OWNER_LABEL: _owner(),
            CREATED_LABEL: str(int(time.time())),
            **labels,
        },
        # The harness prints one line; cap what the engine keeps in case it misbehaves.
        "log_config": LogConfig(
            type=LogConfig.types.JSON, config={"max-size": "2m", "max-file": "1"}
        ),
        "detach": True,
    }


def job_settings(job: Job) -> dict[str, str]:
    """What the harness needs to know of the job besides its files (cold: as environment)."""
    return {
        "LMS_TIMEOUT": str(job.limits.timeout_seconds),
        "LMS_LANG": job.language,
        "LMS_OUTPUT_LIMIT": str(job.limits.output_bytes),
    }


def _run_container(engine, image: Image, job: Job, workdir: Path) -> RunResult:
    container = engine.containers.create(
        image.id, **container_options(job.limits, workdir, job_settings(job), job.labels)
    )
    try:
        started = time.monotonic()
        container.start()
        return collect(container, image, job, started)
    finally:
        remove(container)


def collect(
    container, image: Image, job: Job, started: float, wait_seconds: float | None = None
) -> RunResult:
    """Wait for the harness to exit, the engine killing it past the time limit, then read and
    check its result. ``started`` is when the job began (start, or go); ``wait_seconds``
    defaults to the timeout plus the grace. The caller removes the container."""
    limits = job.limits
    if wait_seconds is None:
        wait_seconds = limits.timeout_seconds + limits.grace_seconds
    exit_code: int | None = None
    limit_hit = None
    try:
        exit_code = container.wait(timeout=wait_seconds)["StatusCode"]
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        # The harness did not stop the code in time (it escaped the process group, or the
        # harness itself hung): the engine kills the whole container.
        container.kill()
        limit_hit = "timeout"
    duration = time.monotonic() - started
    container.reload()
    if container.attrs["State"].get("OOMKilled"):
        limit_hit = limit_hit or "memory"
    return verdict(
        container.logs(stdout=True, stderr=False),
        image,
        job,
        duration,
        exit_code,
        limit_hit,
        stderr=lambda: container.logs(stdout=False, stderr=True),
    )


def verdict(
    stdout: bytes,
    image: Image,
    job: Job,
    duration: float,
    exit_code: int | None,
    limit_hit: str | None,
    stderr: Callable[[], bytes],
) -> RunResult:
    """The checked result of a run from the harness's stdout and what the engine saw."""
    try:
        data = result_json.parse(stdout)
    except result_json.InvalidResult as exc:
        if limit_hit:
            # The engine stopped the harness before it could report: the limit is the verdict.
            return _limit_result(job, image, limit_hit, duration, exit_code)
        tail = stderr()[-2000:].decode("utf-8", "replace")
        raise SandboxError(f"{exc} (exit status {exit_code}); stderr: {tail}") from None
    if limit_hit and not data.get("limit_hit"):
        return _limit_result(job, image, limit_hit, duration, exit_code)
    if job.max_score is not None and data["max_score"] != job.max_score:
        raise SandboxError(
            f"the grader scored out of {data['max_score']}, the content says {job.max_score}"
        )
    return RunResult(
        score=data["score"],
        max_score=data["max_score"],
        tests=result_json.tests_of(data),
        feedback=data["feedback"],
        truncated=bool(data.get("truncated")),
        limit_hit=data.get("limit_hit"),
        tampered=bool(data.get("tampered")),
        image_digest=image.id,
        duration=duration,
        exit_code=exit_code,
    )


def _limit_result(
    job: Job, image: Image, limit_hit: str, duration: float, exit_code: int | None
) -> RunResult:
    """Result when the engine, not the harness, had to stop the container."""
    messages = {
        "timeout": f"Temps limite dépassé ({job.limits.timeout_seconds:g} s).",
        "memory": f"Mémoire épuisée (limite : {job.limits.memory_mb} Mo).",
    }
    if job.language == "en":
        messages = {
            "timeout": f"Time limit exceeded ({job.limits.timeout_seconds:g} s).",
            "memory": f"Out of memory (limit: {job.limits.memory_mb} MB).",
        }
    return RunResult(
        0,
        job.max_score or 0,
        (),
        messages[limit_hit],
        False,
        limit_hit,
        False,
        image.id,
        duration,
        exit_code,
    )


def remove(container) -> None:
    """Force-remove ``container``; one the engine cannot remove now is left to the sweep."""
    try:
        container.remove(force=True)
    except docker.errors.NotFound:
        pass
    except (docker.errors.APIError, requests.exceptions.RequestException):
        # Left for sweep_orphans; its label says who made it and when.
        pass


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def sweep_orphans(engine: docker.DockerClient | None = None) -> int:
    """Remove sandbox containers whose maker is gone or that outlived any job. Returns count."""
    engine = engine or client()
    removed = 0
    now = time.time()
    host = socket.gethostname()
    for container in engine.containers.list(all=True, filters={"label": LABEL}):
        labels = container.labels
        owner_host, _, owner_pid = labels.get(OWNER_LABEL, ":").partition(":")
        age = now - int(labels.get(CREATED_LABEL, "0") or 0)
        if age > ORPHAN_AGE_SECONDS or (owner_host == host and not _alive(owner_pid)):
            remove(container)
            removed += 1
    return removed


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
