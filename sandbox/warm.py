"""Pre-warmed single-use containers: the start-up cost of a grading leaves the critical path.

A warm container is created with exactly the limits of a cold one (:func:`runner.container_options`)
and its own empty host folder mounted read-only at ``/job``. Its harness starts, its interpreter
imports the test framework, then it blocks on stdin (``LMS_WAIT_FOR_GO=1``). To grade a job the
pool writes the learner's files and the tests into that folder, sends one "go" line carrying the
job's settings through the attach socket, and from then on everything is as cold: the
wall-clock limit counts from the go, the result is validated, and the container is removed —
never given a second job.

Only images labelled ``lms.warm=1`` (their harness knows the go line) are warmed; any other, and
any job that finds no warm container of its image and limits, runs cold.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors
import requests.exceptions
from docker.models.containers import Container
from docker.models.images import Image

from sandbox import result as result_json
from sandbox import runner
from sandbox.errors import SandboxUnavailable
from sandbox.job import Job, Limits, RunResult

log = logging.getLogger(__name__)

#: Label of images whose harness can wait for a go line (graders/*/Dockerfile).
WARM_IMAGE_LABEL = "lms.warm"
#: Label of warm containers, beside the sweeper's labels (runner.LABEL and the owner).
WARM_LABEL = "lms.sandbox.warm"
#: A warm container older than this is replaced: a long-lived process is a bigger target.
MAX_IDLE_SECONDS = 10 * 60
#: A pool nobody took from for this long is emptied and not refilled.
FORGET_AFTER_SECONDS = 60 * 60
#: How long a job waits for its warm container to finish starting before it runs cold.
START_TIMEOUT_SECONDS = 30
#: Errors of an engine that went away: the job waits, it has not failed.
ENGINE_ERRORS = (docker.errors.APIError, requests.exceptions.ConnectionError)

#: What a warm container must share with its job: the image and the limits fixed at creation.
#: (The timeout, the output cap and the language travel in the go line.)
PoolKey = tuple[str, int, int, float, int]


def pool_key(job: Job) -> PoolKey:
    limits = job.limits
    return (job.image, limits.memory_mb, limits.pids, limits.cpus, limits.tmpfs_mb)


@dataclass(frozen=True)
class WarmContainer:
    """A started container waiting for its one job, and the host folder it mounts."""

    container: Container
    image_id: str
    workdir: Path
    #: time.monotonic() when it was started.
    started: float


def start_warm(
    engine: docker.DockerClient, image_id: str, limits: Limits, jobs_dir: str | None = None
) -> WarmContainer:
    """Create and start a container that waits for a job, with every limit of a cold one."""
    workdir = runner.new_workdir(jobs_dir)
    try:
        container = engine.containers.create(
            image_id,
            stdin_open=True,
            **runner.container_options(
                limits, workdir, {"LMS_WAIT_FOR_GO": "1"}, {WARM_LABEL: "1"}
            ),
        )
        try:
            container.start()
        except BaseException:
            runner.remove(container)
            raise
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return WarmContainer(container, image_id, workdir, time.monotonic())


def attach(engine: docker.DockerClient, container: Container):
    """The harness's stdin and stdout, attached before the go so that no output is missed."""
    sock = engine.api.attach_socket(container.id, params={"stdin": 1, "stdout": 1, "stream": 1})
    return getattr(sock, "_sock", sock)


def send_go(sock, job: Job) -> None:
    """Write the go line to the harness's stdin. Only the runner can: the learner's code never
    sees the harness's stdin, and the harness is not dumpable."""
    line = json.dumps(
        {
            "timeout": job.limits.timeout_seconds,
            "output_limit": job.limits.output_bytes,
            "lang": job.language,
        }
    )
    sock.sendall(line.encode() + b"\n")


def read_result(sock, deadline: float) -> tuple[bytes, bool]:
    """The harness's stdout until it holds a valid result (True), or it ends or the
    ``deadline`` (time.monotonic()) passes (False).

    Reading the result as it is printed, rather than after the container has exited, takes
    the engine's tear-down (50-100 ms) off the critical path.
    """
    frames = bytearray()
    stdout = bytearray()
    while time.monotonic() < deadline and len(stdout) <= result_json.MAX_RESULT_BYTES + 2:
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            chunk = sock.recv(65536)
        except (TimeoutError, OSError):
            break
        if not chunk:
            break
        frames += chunk
        # Attach without a TTY multiplexes: an 8-byte header (stream, 0, 0, 0, size) per frame.
        while len(frames) >= 8 and len(frames) >= 8 + int.from_bytes(frames[4:8], "big"):
            size = int.from_bytes(frames[4:8], "big")
            if frames[0] == 1:
                stdout += frames[8 : 8 + size]
            del frames[: 8 + size]
        if stdout.endswith(b"\n") and _holds_result(bytes(stdout)):
            return bytes(stdout), True
    return bytes(stdout), False


def _holds_result(stdout: bytes) -> bool:
    try:
        result_json.parse(stdout)
    except result_json.InvalidResult:
        return False
    return True


def run_in(engine: docker.DockerClient, warm: WarmContainer, image: Image, job: Job) -> RunResult:
    """Stage ``job`` in ``warm``, send the go and return the checked result. Raises
    :class:`NotStarted` when the job could not start (nothing of it ran). The caller removes
    ``warm`` afterwards, whatever happens."""
    runner.stage(job, warm.workdir)
    try:
        # The engine lets one attach to a dead container, and then says nothing.
        warm.container.reload()
        if not warm.container.attrs["State"].get("Running"):
            raise NotStarted(f"container {warm.container.short_id} stopped while waiting")
        sock = attach(engine, warm.container)
    except ENGINE_ERRORS as exc:
        raise NotStarted(str(exc)) from exc
    try:
        try:
            send_go(sock, job)
        except OSError as exc:
            raise NotStarted(str(exc)) from exc
        started = time.monotonic()
        limits = job.limits
        deadline = started + limits.timeout_seconds + limits.grace_seconds
        stdout, complete = read_result(sock, deadline)
    finally:
        sock.close()
    if complete:
        # The harness reported, its own checks included (limits, tampering); exit status is
        # not waited for. Same validation as a cold run.
        duration = time.monotonic() - started
        return runner.verdict(stdout, image, job, duration, None, None, stderr=lambda: b"")
    # No result (the harness was killed, or hung): what a cold run does from here.
    return runner.collect(
        warm.container, image, job, started, max(deadline - time.monotonic(), 0.1)
    )


class NotStarted(Exception):
    """The warm container could not take its job (it died while waiting): grade it cold."""


def destroy(warm: WarmContainer) -> None:
    runner.remove(warm.container)
    shutil.rmtree(warm.workdir, ignore_errors=True)


@dataclass
class _Slot:
    """One warm container of a pool, possibly still being started."""

    image_id: str
    future: Future[WarmContainer]


class WarmPool:
    """Keeps ``size`` warm containers for each image and limits in use, for one process's jobs.

    Thread-safe: the grading threads of a worker share one pool. The first job of an image and
    limits runs cold and starts warming; a take is replaced at once, in the background; a job
    that arrives while its container is still starting waits for it rather than start another.
    """

    def __init__(
        self,
        size: int = 2,
        engine: docker.DockerClient | None = None,
        docker_url: str | None = None,
        jobs_dir: str | None = None,
        max_idle_seconds: float = MAX_IDLE_SECONDS,
        forget_after_seconds: float = FORGET_AFTER_SECONDS,
    ) -> None:
        self.size = size
        self.jobs_dir = jobs_dir
        self.max_idle_seconds = max_idle_seconds
        self.forget_after_seconds = forget_after_seconds
        self._engine = engine
        self._docker_url = docker_url
        self._lock = threading.Lock()
        self._slots: dict[PoolKey, deque[_Slot]] = {}
        self._limits: dict[PoolKey, Limits] = {}
        self._last_taken: dict[PoolKey, float] = {}
        self._closed = False
        self._starters = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lms-warm-start")
        self._removers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-warm-remove")
        self._stop = threading.Event()
        self._janitor = threading.Thread(target=self._janitor_loop, name="lms-warm", daemon=True)
        self._janitor.start()

    def engine(self) -> docker.DockerClient:
        if self._engine is None:
            self._engine = runner.client(self._docker_url)
        return self._engine

    def run(self, job: Job) -> RunResult:
        """Grade ``job`` as :func:`runner.run` does, in a warm container when one is ready."""
        engine = self.engine()
        image = runner.resolve_image(engine, job.image)
        warm = self._take(job, image) if self.size > 0 else None
        if warm is None:
            return runner.run(job, engine, self.jobs_dir)
        try:
            return run_in(engine, warm, image, job)
        except NotStarted as exc:
            log.warning("warm container unusable, grading cold: %s", exc)
            return runner.run(job, engine, self.jobs_dir)
        except ENGINE_ERRORS as exc:
            raise SandboxUnavailable(f"Docker engine failed during the run: {exc}") from exc
        finally:
            # Never a second job; removed off the critical path while the result goes out.
            self._destroy_later(warm)

    def warm_up(self, job: Job) -> None:
        """Start warming for ``job``'s image and limits now, before any such job arrives."""
        image = runner.resolve_image(self.engine(), job.image)
        with self._lock:
            self._last_taken[pool_key(job)] = time.monotonic()
            self._fill(pool_key(job), image, job.limits)

    def ready(self) -> int:
        """How many warm containers have started (for tests and metrics)."""
        with self._lock:
            slots = [slot for queue in self._slots.values() for slot in queue]
        return sum(slot.future.done() and slot.future.exception() is None for slot in slots)

    def close(self) -> None:
        """Remove every warm container, waiting for those still starting. Idempotent."""
        with self._lock:
            self._closed = True
            slots = [slot for queue in self._slots.values() for slot in queue]
            self._slots.clear()
        self._stop.set()
        for slot in slots:
            self._discard(slot)
        self._starters.shutdown(wait=True)
        self._removers.shutdown(wait=True)
        self._janitor.join(timeout=5)

    def _take(self, job: Job, image: Image) -> WarmContainer | None:
        if not image.labels.get(WARM_IMAGE_LABEL):
            return None
        key = pool_key(job)
        with self._lock:
            if self._closed:
                return None
            self._last_taken[key] = time.monotonic()
            self._drop_stale(key, image.id)
            queue = self._slots.setdefault(key, deque())
            slot = queue.popleft() if queue else None
            self._fill(key, image, job.limits)
        if slot is None:
            return None
        try:
            warm = slot.future.result(timeout=START_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - the job still runs, cold
            log.warning("could not start a warm container, grading cold: %s", exc)
            self._discard(slot)
            return None
        if not self._fresh(warm):
            self._destroy_later(warm)
            return None
        return warm

    def _fill(self, key: PoolKey, image: Image, limits: Limits) -> None:
        """Top ``key``'s queue up to ``size`` (lock held)."""
        self._limits[key] = limits
        queue = self._slots.setdefault(key, deque())
        while len(queue) < self.size and not self._closed:
            future = self._starters.submit(
                start_warm, self.engine(), image.id, limits, self.jobs_dir
            )
            queue.append(_Slot(image.id, future))

    def _drop_stale(self, key: PoolKey, image_id: str) -> None:
        """Discard the warm containers a rebuild made stale (lock held): same grader, another
        tag (the recipe changed) or the same tag on another image."""
        repository = key[0].rpartition(":")[0]
        for other, queue in list(self._slots.items()):
            if other[0].rpartition(":")[0] != repository:
                continue
            keep = deque(s for s in queue if other[0] == key[0] and s.image_id == image_id)
            for slot in queue:
                if slot not in keep:
                    self._discard(slot)
            self._slots[other] = keep

    def _fresh(self, warm: WarmContainer) -> bool:
        return time.monotonic() - warm.started < self.max_idle_seconds

    def _janitor_loop(self) -> None:
        period = max(min(self.max_idle_seconds / 4, 30.0), 0.05)
        while not self._stop.wait(period):
            try:
                self._expire()
            except Exception:  # noqa: BLE001 - the janitor must outlive a bad engine moment
                log.exception("warm pool janitor")

    def _expire(self) -> None:
        """Replace warm containers that waited too long or failed to start; forget the pools
        nobody took from for a long time."""
        with self._lock:
            to_refill = []
            for key, queue in list(self._slots.items()):
                for slot in [s for s in queue if s.future.done() and not self._usable(s)]:
                    queue.remove(slot)
                    self._discard(slot)
                if time.monotonic() - self._last_taken.get(key, 0.0) > self.forget_after_seconds:
                    for slot in self._slots.pop(key):
                        self._discard(slot)
                elif len(queue) < self.size:
                    to_refill.append(key)
        for key in to_refill:
            # The tag may point to a rebuilt image by now; ask outside the lock.
            image = runner.resolve_image(self.engine(), key[0])
            with self._lock:
                if key in self._slots and not self._closed:
                    self._drop_stale(key, image.id)
                    self._fill(key, image, self._limits[key])

    def _usable(self, slot: _Slot) -> bool:
        return slot.future.exception() is None and self._fresh(slot.future.result())

    def _discard(self, slot: _Slot) -> None:
        """Remove ``slot``'s container once it has started (or now, if it has)."""
        if slot.future.cancel():
            return

        def removal(future: Future[WarmContainer]) -> None:
            if future.exception() is None:
                self._destroy_later(future.result())

        slot.future.add_done_callback(removal)

    def _destroy_later(self, warm: WarmContainer) -> None:
        try:
            self._removers.submit(destroy, warm)
        except RuntimeError:  # the pool is closed: remove it here and now
            destroy(warm)
