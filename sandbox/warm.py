"""Judges prepared per exercise, learners' boxes started ahead: the fixed costs of a grading leave
its critical path.

- A **zygote** is a judge box for one exercise (image, hidden tests, learner module names): it
  imported pytest and collected the tests once; for each job it forks a child that takes the
  job. The judge never runs learner code, so it may serve many submissions; its children are
  the judge's own processes, never the learner's.
- A **learner's box ahead** is started with every limit of a cold one and waits for its
  judge's hello; it takes one job and is removed. A box never serves a second submission.

The first job of an exercise runs cold and starts its zygote; a job that finds no box ahead of
its image and limits starts one then. Both come back on their own (a taken box is replaced at
once, in the background). Zygotes unused for a while, and boxes that waited too long, are
removed; so is everything at close().
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lms_grading.control import Control

from sandbox import runner
from sandbox.boxes import Box, check_runtime, state_dir
from sandbox.job import Job, RunResult

log = logging.getLogger(__name__)

#: A box ahead older than this is replaced: a long-lived process is a bigger target.
MAX_IDLE_SECONDS = 10 * 60
#: A pool (or zygote) nobody took from for this long is emptied and not refilled.
FORGET_AFTER_SECONDS = 60 * 60
#: How long a job waits for its box ahead to finish starting before it starts its own.
START_TIMEOUT_SECONDS = 30
#: Zygotes kept per process (each holds the grader's libraries in memory).
MAX_ZYGOTES = 16

#: What a box ahead must share with its job: the image and the limits fixed at its start.
LearnerKey = tuple[str, int, int, float, int, int]


def learner_key(job: Job) -> LearnerKey:
    limits = job.limits
    return (
        job.image,
        limits.memory_mb,
        limits.pids,
        limits.cpus,
        limits.tmpfs_mb,
        limits.output_bytes,
    )


def tests_digest(tests_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in tests_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(tests_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass
class Zygote:
    """A judge box prepared for one exercise, taking jobs on a Unix socket."""

    key: tuple
    box: Box
    address: Path
    folder: Path
    listener: socket.socket
    last_used: float

    def connect(self) -> Control:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(str(self.address))
        return Control(sock)

    def alive(self) -> bool:
        return self.box.wait(0) is None

    def remove(self) -> None:
        self.listener.close()
        self.box.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_zygote(image: runner.Image, job: Job, key: tuple) -> Zygote:
    folder = state_dir() / "zygotes" / f"{os.getpid()}-{key[1]}-{time.monotonic_ns()}"
    folder.mkdir(parents=True)
    try:
        tests = runner.copy_tests(job.tests_dir, folder / "tests")
        address = folder / "judge.sock"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(address))
        listener.listen(64)
        modules = runner.learner_modules(job)
        spec = runner.judge_spec(image, job, tests, runner.exchange_root(), "zygote", modules)
        box = Box(spec, listener)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Zygote(key, box, address, folder, listener, time.monotonic())


class WarmPool:
    """Zygotes per exercise and ``size`` learners' boxes ahead per image and limits, for one
    process's jobs. Thread-safe: the grading threads of a worker share one pool."""

    def __init__(
        self,
        size: int = 2,
        engine=None,
        docker_url: str | None = None,
        jobs_dir: str | None = None,
        max_idle_seconds: float = MAX_IDLE_SECONDS,
        forget_after_seconds: float = FORGET_AFTER_SECONDS,
    ) -> None:
        self.size = size
        self.max_idle_seconds = max_idle_seconds
        self.forget_after_seconds = forget_after_seconds
        self._engine = engine
        self._docker_url = docker_url
        self._lock = threading.Lock()
        self._ahead: dict[LearnerKey, deque[Future[runner.Ahead]]] = {}
        self._jobs: dict[LearnerKey, Job] = {}
        self._last_taken: dict[LearnerKey, float] = {}
        self._zygotes: OrderedDict[tuple, Future[Zygote]] = OrderedDict()
        self._closed = False
        self._starters = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lms-warm-start")
        self._removers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-warm-remove")
        self._stop = threading.Event()
        self._janitor = threading.Thread(target=self._janitor_loop, name="lms-warm", daemon=True)
        self._janitor.start()

    def engine(self):
        if self._engine is None:
            self._engine = runner.client(self._docker_url)
        return self._engine

    def image(self, tag: str) -> runner.Image:
        return runner.Image.load(tag, self._engine or _LazyEngine(self))

    def run(self, job: Job) -> RunResult:
        """Grade ``job`` as :func:`runner.run` does, with its exercise's zygote and a learner's
        box started ahead when they are ready."""
        check_runtime()
        image = self.image(job.image)
        ahead = self._take(job, image) if self.size > 0 else None
        zygote = self._zygote(job, image) if self.size > 0 else None
        if zygote is None:
            return runner.run(job, ahead=ahead)
        try:
            return self._run_in(zygote, image, job, ahead)
        except _ZygoteGone as exc:
            log.warning("zygote unusable, grading cold: %s", exc)
            self._forget_zygote(zygote)
            return runner.run(job)

    def _run_in(
        self, zygote: Zygote, image: runner.Image, job: Job, ahead: runner.Ahead | None
    ) -> RunResult:
        started = time.monotonic()
        try:
            control = zygote.connect()
        except OSError as exc:
            if ahead is not None:
                self._discard_later(ahead)
            raise _ZygoteGone(str(exc)) from exc
        if ahead is None:
            ahead = runner.start_ahead(image, job)
        learners = runner.LearnerBoxes(image, job, ahead.stage, (ahead.box, ahead.judge_end))
        modules = runner.learner_modules(job)
        try:
            ahead.stage.put(job)
            deadline = started + job.limits.timeout_seconds + job.limits.grace_seconds
            exchange = f"/job/exchange-root/{ahead.stage.name}"
            data = runner.talk(control, job, learners, exchange, modules, deadline, None)
            return runner.checked(data, image, job, time.monotonic() - started)
        except runner.SandboxError:
            if not zygote.alive():
                raise _ZygoteGone("the zygote stopped") from None
            raise
        finally:
            zygote.last_used = time.monotonic()
            self._removers.submit(_close_learners, learners, ahead.stage)

    def warm_up(self, job: Job) -> None:
        """Start warming for ``job``'s image, limits and exercise now, before any such job."""
        image = self.image(job.image)
        with self._lock:
            self._last_taken[learner_key(job)] = time.monotonic()
            self._fill(learner_key(job), image, job)
        self._zygote(job, image, wait=False)

    def prepare(self, job: Job, timeout: float = START_TIMEOUT_SECONDS * 2) -> bool:
        """Warm up for ``job`` and wait until its zygote and a box ahead are ready (for checks
        that must grade on the warm path); False if they did not start in time."""
        self.warm_up(job)
        key = learner_key(job)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                zygote = self._zygotes.get(self._zygote_key(job))
                ahead = list(self._ahead.get(key, ()))
            if zygote is not None and zygote.done() and any(f.done() for f in ahead):
                return zygote.exception() is None
            time.sleep(0.05)
        return False

    def ready(self) -> int:
        """How many learners' boxes ahead have started (for tests and metrics)."""
        with self._lock:
            futures = [f for queue in self._ahead.values() for f in queue]
        return sum(f.done() and f.exception() is None for f in futures)

    def zygotes(self) -> int:
        with self._lock:
            futures = list(self._zygotes.values())
        return sum(f.done() and f.exception() is None for f in futures)

    def close(self) -> None:
        """Remove every box ahead and every zygote, waiting for those still starting."""
        with self._lock:
            self._closed = True
            aheads = [f for queue in self._ahead.values() for f in queue]
            zygotes = list(self._zygotes.values())
            self._ahead.clear()
            self._zygotes.clear()
        self._stop.set()
        for future in aheads:
            self._discard(future)
        for future in zygotes:
            self._discard(future)
        self._starters.shutdown(wait=True)
        self._removers.shutdown(wait=True)
        self._janitor.join(timeout=5)

    # --- learners' boxes ahead ----------------------------------------------------------

    def _take(self, job: Job, image: runner.Image) -> runner.Ahead | None:
        key = learner_key(job)
        with self._lock:
            if self._closed:
                return None
            self._last_taken[key] = time.monotonic()
            self._drop_stale(key)
            queue = self._ahead.setdefault(key, deque())
            future = queue.popleft() if queue else None
            self._fill(key, image, job)
        if future is None:
            return None
        try:
            ahead = future.result(timeout=START_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - the job still runs, with a box of its own
            log.warning("could not start a learner's box ahead: %s", exc)
            return None
        if not self._fresh(ahead):
            self._discard_later(ahead)
            return None
        return ahead

    def _fill(self, key: LearnerKey, image: runner.Image, job: Job) -> None:
        """Top ``key``'s queue up to ``size`` (lock held)."""
        self._jobs[key] = job
        queue = self._ahead.setdefault(key, deque())
        while len(queue) < self.size and not self._closed:
            queue.append(self._starters.submit(runner.start_ahead, image, job))

    def _drop_stale(self, key: LearnerKey) -> None:
        """Discard the boxes a rebuild made stale: same grader, another tag (lock held)."""
        repository = key[0].rpartition(":")[0]
        for other in list(self._ahead):
            if other != key and other[0] != key[0] and other[0].rpartition(":")[0] == repository:
                for future in self._ahead.pop(other):
                    self._discard(future)

    def _fresh(self, ahead: runner.Ahead) -> bool:
        return (
            time.monotonic() - ahead.started < self.max_idle_seconds and ahead.box.wait(0) is None
        )

    # --- zygotes ------------------------------------------------------------------------------

    def _zygote(self, job: Job, image: runner.Image, wait: bool = False) -> Zygote | None:
        """The exercise's zygote if it is ready; otherwise start it and return None (this job
        runs cold)."""
        key = self._zygote_key(job)
        with self._lock:
            if self._closed:
                return None
            future = self._zygotes.get(key)
            if future is None:
                self._zygotes[key] = self._starters.submit(start_zygote, image, job, key)
                self._evict()
                return None
            self._zygotes.move_to_end(key)
        if not future.done():
            return None
        try:
            zygote = future.result()
        except Exception as exc:  # noqa: BLE001 - cold it is; try again next time
            log.warning("could not start a zygote: %s", exc)
            with self._lock:
                if self._zygotes.get(key) is future:
                    del self._zygotes[key]
            return None
        if not zygote.alive():
            self._forget_zygote(zygote)
            return None
        return zygote

    @staticmethod
    def _zygote_key(job: Job) -> tuple:
        modules = tuple(runner.learner_modules(job))
        return (job.image, tests_digest(job.tests_dir), modules, job.limits.memory_mb)

    def _evict(self) -> None:
        """Keep MAX_ZYGOTES, the least recently used go (lock held)."""
        while len(self._zygotes) > MAX_ZYGOTES:
            _, future = self._zygotes.popitem(last=False)
            self._discard(future)

    def _forget_zygote(self, zygote: Zygote) -> None:
        with self._lock:
            future = self._zygotes.get(zygote.key)
            if (
                future is not None
                and future.done()
                and future.exception() is None
                and future.result() is zygote
            ):
                del self._zygotes[zygote.key]
        self._removers.submit(zygote.remove)

    # --- housekeeping ----------------------------------------------------------------------

    def _janitor_loop(self) -> None:
        period = max(min(self.max_idle_seconds / 4, 30.0), 0.05)
        while not self._stop.wait(period):
            try:
                self._expire()
            except Exception:  # noqa: BLE001 - the janitor must outlive a bad moment
                log.exception("warm pool janitor")

    def _expire(self) -> None:
        now = time.monotonic()
        with self._lock:
            for key, queue in list(self._ahead.items()):
                for future in [f for f in queue if f.done() and not self._usable(f)]:
                    queue.remove(future)
                    self._discard(future)
                if now - self._last_taken.get(key, 0.0) > self.forget_after_seconds:
                    for future in self._ahead.pop(key):
                        self._discard(future)
                elif len(queue) < self.size and key in self._jobs:
                    job = self._jobs[key]
                    self._starters.submit(self._refill, key, job)
            for key, future in list(self._zygotes.items()):
                if future.done() and (
                    future.exception() is not None
                    or now - future.result().last_used > self.forget_after_seconds
                    or not future.result().alive()
                ):
                    del self._zygotes[key]
                    self._discard(future)

    def _refill(self, key: LearnerKey, job: Job) -> None:
        image = self.image(job.image)
        with self._lock:
            if key in self._ahead and not self._closed:
                self._fill(key, image, job)

    def _usable(self, future: Future) -> bool:
        return future.exception() is None and self._fresh(future.result())

    def _discard(self, future: Future) -> None:
        """Remove what ``future`` starts, once it has started (or now, if it has)."""
        if future.cancel():
            return

        def removal(done: Future) -> None:
            if done.exception() is None:
                thing = done.result()
                try:
                    self._removers.submit(_remove, thing)
                except RuntimeError:  # the pool is closed: remove it here and now
                    _remove(thing)

        future.add_done_callback(removal)

    def _discard_later(self, ahead: runner.Ahead) -> None:
        try:
            self._removers.submit(ahead.discard)
        except RuntimeError:
            ahead.discard()


class _ZygoteGone(Exception):
    pass


class _LazyEngine:
    """Docker is asked only when an image's file system has never been exported here."""

    def __init__(self, pool: WarmPool) -> None:
        self._pool = pool

    def __getattr__(self, name: str):
        return getattr(self._pool.engine(), name)


def _remove(thing) -> None:
    if isinstance(thing, Zygote):
        thing.remove()
    else:
        thing.discard()


def _close_learners(learners: runner.LearnerBoxes, stage: runner.Stage) -> None:
    learners.close()
    stage.remove()
