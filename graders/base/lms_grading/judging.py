"""What every judge adapter shares: the job's settings, the learner's connection, the loop of a
zygote, and the words for a learner's process that stopped."""

from __future__ import annotations

import gc
import os
import signal
import socket
import time
import traceback
from collections.abc import Callable

from lms_grading import results
from lms_grading.control import Control
from lms_grading.proxies import Learner, LearnerStopped

#: Grace the judge's own alarm gives over the job's time limit (the host kills earlier).
ALARM_GRACE = 10


class Job:
    """What one submission's run needs to know, from the host's job message."""

    def __init__(self, message: dict) -> None:
        settings = message.get("settings") or {}
        self.timeout = float(settings.get("timeout", 10))
        self.lang = str(settings.get("lang", "fr"))
        self.output_limit = int(settings.get("output_limit", 1_000_000))
        self.modules = [m for m in settings.get("modules", []) if isinstance(m, str)]
        self.files = [f for f in settings.get("files", []) if isinstance(f, str)]
        self.exchange = (
            settings.get("exchange") if isinstance(settings.get("exchange"), str) else None
        )
        self.seed = settings.get("seed") if isinstance(settings.get("seed"), int) else None
        self.examples = {e for e in settings.get("examples", []) if isinstance(e, str)}
        submitted = settings.get("submitted") or {}
        self.submitted = {
            k: v for k, v in submitted.items() if isinstance(k, str) and isinstance(v, str)
        }
        self.started = time.monotonic()
        self.deadline = self.started + self.timeout

    def text(self) -> dict[str, str]:
        return results.texts(self.lang)


def receive(control: Control) -> tuple[Job, list[int]]:
    """The job (and the first learner's channel). The judge's own alarm ends it if the host
    ever stops listening."""
    message, fds = control.recv(time.monotonic() + 30)
    job = Job(message)
    signal.alarm(int(job.timeout) + ALARM_GRACE)
    return job, fds


def learner_for(control: Control | None, job: Job | None, **options) -> Learner:
    return Learner(
        control,
        deadline=job.deadline if job else float("inf"),
        output_limit=job.output_limit if job else 1_000_000,
        exchange=job.exchange if job else None,
        **options,
    )


def adopt(learner: Learner, control: Control, job: Job) -> None:
    """A learner object prepared ahead (zygote) takes this job's settings."""
    learner.control = control
    learner.deadline = job.deadline
    learner.output_limit = job.output_limit
    learner.paths.mine = job.exchange or None


def connect_first(learner: Learner, fds: list[int]) -> None:
    """Greet the first learner's process; if it is already gone, ``learner.stopped`` says so."""
    if not fds:
        learner.stopped = LearnerStopped("no learner process")
        return
    try:
        learner.connect(fds[0])
    except LearnerStopped:
        pass


def stop_message(error: LearnerStopped, job: Job) -> str:
    text = job.text()
    if error.limit == "timeout":
        return text["timeout"].format(limit=f"{job.timeout:g}")
    if error.limit == "output":
        return text["output"].format(limit=job.output_limit)
    if error.limit == "memory":
        return text["memory"]
    code = getattr(error, "exit_code", None)
    if code is not None:
        return text["exited"].format(code=code)
    return text["stopped"]


def serve_jobs(listener: socket.socket, run: Callable[[socket.socket], None]) -> None:
    """A zygote's loop: accept jobs forever, each in a forked child that exits when done."""
    listener.settimeout(1.0)
    # What the zygote prepared stays shared with its children: the collector must not touch
    # (and so copy) every object in each child, which it would do for one job's few cycles.
    gc.freeze()
    while True:
        _reap()
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        pid = os.fork()
        if pid == 0:
            gc.disable()
            try:
                listener.close()
                run(conn)
            except BaseException:  # noqa: BLE001 - the host sees the job fail
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        conn.close()


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
