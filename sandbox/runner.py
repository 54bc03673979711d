"""One grading: the judge and the learner's code, each in a box of its own.

The judge's box (uid 1000) holds the hidden tests and runs them; the learner's box (uid 1001)
holds the learner's files and runs them, fresh for this submission. They share nothing but a
socket that carries plain data (``graders/base/lms_grading``) and a small exchange folder for
files the test chooses to share. The judge reports to this process on a control socket that
the learner's box never sees; this process also starts another learner's box when the judge
asks (the last one crashed), tells the judge how a learner's box ended (memory, output, exit),
and removes every box in every case.

This is the cold path: a new judge box per job. :mod:`sandbox.warm` keeps judges prepared per
exercise and learner boxes started ahead; both use the pieces here.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from lms_grading.channel import ChannelError
from lms_grading.control import Control

from sandbox import result as result_json
from sandbox import rootfs
from sandbox.boxes import Box, BoxSpec, Mount, check_runtime, state_dir
from sandbox.errors import SandboxError
from sandbox.job import Job, RunResult

JUDGE_UID = 1000
LEARNER_UID = 1001
#: The judge's own limits: it runs trusted code, but not without bounds.
JUDGE_MEMORY_MB = 1024
JUDGE_PIDS = 256
#: Learner processes the judge may ask for after the first one stopped.
MAX_LEARNERS = 3
EXCHANGE_MB = 1024
_jobs = itertools.count(1)


@dataclass(frozen=True)
class Image:
    """A grader image as boxes see it: its exported file system, environment and roles."""

    tag: str
    id: str
    rootfs: Path
    env: dict[str, str]
    judge: str
    learner: str

    @classmethod
    def load(cls, tag: str, engine=None) -> Image:
        path, meta = rootfs.ensure(tag, engine)
        env = dict(item.split("=", 1) for item in meta.get("env", []) if "=" in item)
        labels = meta.get("labels") or {}
        if "lms.judge" not in labels:
            raise SandboxError(f"{tag} has no lms.judge label: rebuild it (`lms images build`)")
        return cls(
            tag, meta["id"], path, env, labels["lms.judge"], labels.get("lms.learner", "learner")
        )


def client(base_url: str | None = None):
    """A Docker client (images are built and exported through the engine)."""
    import docker
    import docker.errors
    import requests.exceptions

    from sandbox.errors import SandboxUnavailable

    try:
        engine = docker.DockerClient(base_url=base_url) if base_url else docker.from_env()
        engine.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise SandboxUnavailable(f"Docker engine unreachable: {exc}") from exc
    return engine


def exchange_root() -> Path:
    """A tmpfs for the exchange folders: what a learner writes there counts against its own
    memory limit, and never lands on the host's disk."""
    root = state_dir() / "exchange"
    if not os.path.ismount(root):
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - fixed arguments
            [  # noqa: S607
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={EXCHANGE_MB}m,mode=0755,nosuid,nodev",
                "lms-exchange",
                str(root),
            ],
            check=False,
            capture_output=True,
        )
    return root


class Stage:
    """The host folders of one learner's box: its files (read-only for it) and its exchange."""

    def __init__(self) -> None:
        self.name = f"{os.getpid()}-{next(_jobs)}"
        self.folder = state_dir() / "jobs" / self.name
        self.submission = self.folder / "submission"
        self.submission.mkdir(parents=True, mode=0o755)
        self.folder.chmod(0o755)
        self.exchange = exchange_root() / self.name
        self.exchange.mkdir(mode=0o777)
        self.exchange.chmod(0o777)

    def put(self, job: Job) -> None:
        for name, text in job.files.items():
            target = self.submission / name
            if target.parent != self.submission or name.startswith("."):
                raise SandboxError(f"file name {name!r} is not a plain file name")
            target.write_text(text, encoding="utf-8")
        if job.files_dir is not None:
            # symlinks=True copies a link as a link, never what it points to on this host.
            shutil.copytree(job.files_dir, self.submission, symlinks=True, dirs_exist_ok=True)
        for path in [self.submission, *self.submission.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.exchange, ignore_errors=True)


def copy_tests(tests_dir: Path, target: Path) -> Path:
    """A frozen copy of the hidden tests: the content folder may change during the run."""
    shutil.copytree(tests_dir, target, dirs_exist_ok=True)
    for path in [target, *target.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def base_env(image: Image) -> dict[str, str]:
    return {
        **image.env,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def learner_spec(image: Image, job: Job, stage: Stage) -> BoxSpec:
    limits = job.limits
    return BoxSpec(
        rootfs=image.rootfs,
        args=["python3", "-I", "/grader/lms_grading/box.py", image.learner],
        uid=LEARNER_UID,
        memory_mb=limits.memory_mb,
        pids=limits.pids,
        cpus=limits.cpus,
        tmpfs_mb=limits.tmpfs_mb,
        env=base_env(image),
        mounts=(
            Mount(stage.submission, "/job/submission"),
            Mount(stage.exchange, "/job/exchange", writable=True),
        ),
        role="learner",
        labels=dict(job.labels),
    )


def judge_spec(
    image: Image, job: Job, tests: Path, exchange: Path, mode: str, modules: list[str]
) -> BoxSpec:
    target = "/job/exchange" if mode == "cold" else "/job/exchange-root"
    return BoxSpec(
        rootfs=image.rootfs,
        args=["python3", "-I", "/grader/lms_grading/judge.py"],
        uid=JUDGE_UID,
        memory_mb=max(JUDGE_MEMORY_MB, 2 * job.limits.memory_mb),
        pids=JUDGE_PIDS,
        cpus=float(os.cpu_count() or 1),
        tmpfs_mb=64,
        env={
            **base_env(image),
            "LMS_JUDGE": image.judge,
            "LMS_JUDGE_MODE": mode,
            "LMS_LEARNER_MODULES": ",".join(modules),
        },
        # The judge never follows a link the learner's code left in the exchange folder.
        mounts=(
            Mount(tests, "/job/tests"),
            Mount(exchange, target, writable=True, options=("nosymfollow",)),
        ),
        role="judge",
        nofile=1024,
    )


def learner_modules(job: Job) -> list[str]:
    """The names a test may import from the learner's files: modules and packages."""
    names = [Path(n).stem for n in sorted(job.files) if n.endswith(".py")]
    if job.files_dir is not None:
        for path in sorted(job.files_dir.iterdir()):
            if path.suffix == ".py" and path.is_file():
                names.append(path.stem)
            elif path.is_dir() and not path.name.startswith("."):
                names.append(path.name)
    return [n for n in dict.fromkeys(names) if n.isidentifier()]


def settings(job: Job, exchange: str, modules: list[str]) -> dict:
    files = sorted(job.files) + (
        sorted(str(p.relative_to(job.files_dir)) for p in job.files_dir.rglob("*") if p.is_file())
        if job.files_dir is not None
        else []
    )
    return {
        "timeout": job.limits.timeout_seconds,
        "lang": job.language,
        "output_limit": job.limits.output_bytes,
        "modules": modules,
        "files": files,
        "exchange": exchange,
        "seed": job.seed,
        "examples": list(job.examples),
        # Plain data the judge may read (capture-the-flag answers); never imported.
        "submitted": dict(job.files),
    }


class LearnerBoxes:
    """The learner's boxes of one job, all on the job's stage: the first (perhaps started
    ahead), and new ones when the judge asks because the last one stopped."""

    def __init__(
        self, image: Image, job: Job, stage: Stage, first: tuple[Box, socket.socket] | None = None
    ) -> None:
        self.image, self.job, self.stage = image, job, stage
        self._first = first
        self.boxes: list[Box] = []

    def new(self) -> socket.socket:
        """A learner's box; returns the judge's end of its channel."""
        if self._first is not None:
            box, judge_end = self._first
            self._first = None
        else:
            judge_end, learner_end = socket.socketpair()
            try:
                box = Box(
                    learner_spec(self.image, self.job, self.stage),
                    learner_end,
                    self.job.limits.output_bytes,
                )
            finally:
                learner_end.close()
        self.boxes.append(box)
        return judge_end

    def fate(self, closed: bool = False) -> dict:
        """How the last learner's box ended. ``closed``: the judge saw its channel close, so
        the box is ending on its own (its first process reaps, then runc): give it a moment
        to say how. Otherwise the judge gave up on it (it hung): stop it now."""
        box = self.boxes[-1]
        if closed:
            box.wait(2)
        if box.wait(0) is None:
            box.kill("stopped")
        box.wait(2)
        return box.fate()

    def close(self) -> None:
        if self._first is not None:
            self._first[0].kill()
            self.boxes.append(self._first[0])
            self._first[1].close()
        for box in self.boxes:
            box.close()


def converse(
    control: Control,
    job: Job,
    learners: LearnerBoxes,
    exchange: str,
    modules: list[str],
    deadline: float,
) -> dict:
    """Hand the job to the judge and serve it until it reports; returns its result."""
    judge_end = learners.new()
    try:
        message = {"op": "job", "settings": settings(job, exchange, modules)}
        control.send(message, [judge_end.fileno()], deadline)
    finally:
        judge_end.close()
    while True:
        request, fds = control.recv(deadline)
        for fd in fds:
            os.close(fd)
        op = request.get("op")
        if op == "result" and isinstance(request.get("result"), dict):
            return request["result"]
        if op == "fate":
            control.send(learners.fate(closed=request.get("closed") is True), deadline=deadline)
        elif op == "learner" and len(learners.boxes) < MAX_LEARNERS:
            learners.boxes[-1].kill("stopped")
            judge_end = learners.new()
            try:
                control.send({"op": "learner", "ok": True}, [judge_end.fileno()], deadline)
            finally:
                judge_end.close()
        else:
            control.send({"op": "learner", "ok": False}, deadline=deadline)


@dataclass
class Ahead:
    """A learner's box started before its job: waiting for the judge's hello on its channel."""

    box: Box
    judge_end: socket.socket
    stage: Stage
    #: time.monotonic() when it was started.
    started: float

    def discard(self) -> None:
        self.judge_end.close()
        self.box.close()
        self.stage.remove()


def start_ahead(image: Image, job: Job) -> Ahead:
    """A learner's box for a job like ``job`` (same image and limits), before the job exists."""
    stage = Stage()
    try:
        judge_end, learner_end = socket.socketpair()
        try:
            box = Box(learner_spec(image, job, stage), learner_end, job.limits.output_bytes)
        finally:
            learner_end.close()
    except BaseException:
        stage.remove()
        raise
    return Ahead(box, judge_end, stage, time.monotonic())


def run(
    job: Job, engine=None, jobs_dir: str | None = None, ahead: Ahead | None = None
) -> RunResult:
    """Grade ``job`` with a fresh judge box and a fresh learner's box (or ``ahead``, started
    before the job); return the checked result. Raises SandboxUnavailable (runc or the image
    missing: try later) or SandboxError (the grader broke). The learner's code hitting a limit
    is a result, not an error."""
    check_runtime()
    image = Image.load(job.image, engine)
    started = time.monotonic()
    modules = learner_modules(job)
    stage = ahead.stage if ahead is not None else Stage()
    first = (ahead.box, ahead.judge_end) if ahead is not None else None
    learners = LearnerBoxes(image, job, stage, first)
    judge: Box | None = None
    try:
        stage.put(job)
        tests = copy_tests(job.tests_dir, stage.folder / "tests")
        host_end, judge_end = socket.socketpair()
        try:
            judge = Box(judge_spec(image, job, tests, stage.exchange, "cold", modules), judge_end)
        finally:
            judge_end.close()
        deadline = started + job.limits.timeout_seconds + job.limits.grace_seconds
        data = talk(Control(host_end), job, learners, "/job/exchange", modules, deadline, judge)
        return checked(data, image, job, time.monotonic() - started)
    finally:
        if judge is not None:
            judge.close()
        learners.close()
        stage.remove()


def talk(
    control: Control,
    job: Job,
    learners: LearnerBoxes,
    exchange: str,
    modules: list[str],
    deadline: float,
    judge: Box | None,
) -> dict:
    """converse(), with what the judge's silence means: past the deadline, the time limit (the
    learner's code held it up, e.g. with a file that never ends in the exchange folder); before
    it, a broken grader."""
    try:
        return converse(control, job, learners, exchange, modules, deadline)
    except ChannelError as exc:
        if time.monotonic() >= deadline - 0.05:
            return limit_result(job, "timeout")
        status = judge.wait(2) if judge is not None else None
        tail = (
            bytes(judge.output.tail[-3000:]).decode("utf-8", "replace") if judge is not None else ""
        )
        raise SandboxError(
            f"the judge stopped without a result ({exc}; status {status}): {tail}"
        ) from None
    finally:
        control.close()


def checked(data: dict, image: Image, job: Job, duration: float) -> RunResult:
    """The judge's result, validated, as a RunResult."""
    result_json.validate(data)
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
        tampered=False,
        image_digest=image.id,
        duration=duration,
        exit_code=None,
    )


LIMIT_MESSAGES = {
    "fr": {
        "timeout": "Temps limite dépassé ({timeout:g} s).",
        "memory": "Mémoire épuisée (limite : {memory} Mo).",
    },
    "en": {
        "timeout": "Time limit exceeded ({timeout:g} s).",
        "memory": "Out of memory (limit: {memory} MB).",
    },
}


def limit_result(job: Job, limit: str) -> dict:
    """The result when the judge could not finish within the time limit."""
    messages = LIMIT_MESSAGES.get(job.language, LIMIT_MESSAGES["fr"])
    feedback = messages[limit].format(
        timeout=job.limits.timeout_seconds, memory=job.limits.memory_mb
    )
    return {
        "score": 0,
        "max_score": job.max_score or 0,
        "tests": [],
        "feedback": feedback,
        "truncated": True,
        "limit_hit": limit,
    }


def sweep_orphans(engine=None) -> int:
    """Remove boxes and staged folders left by a process that died mid-grading."""
    from sandbox import boxes

    removed = boxes.sweep_orphans()
    for root in (state_dir() / "jobs", state_dir() / "exchange"):
        if not root.is_dir():
            continue
        for path in root.iterdir():
            owner = path.name.removeprefix("judge-").split("-")[0]
            if owner.isdigit() and not boxes._alive(int(owner)):
                shutil.rmtree(path, ignore_errors=True)
    return removed
