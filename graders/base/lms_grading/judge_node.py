"""The judge for JavaScript exercises: the hidden node:test files run here, in a node process of
the judge's box (judge.js); the learner's modules run in the learner's box (learner.js), and
every value between them crosses as plain data (codec.js, channel.js).

This adapter is the judge box's Python side: it receives the job and the learner's channel from
the host, starts ``node judge.js`` with that channel, answers its questions about the learner's
process (``fate``, asked of the host), collects its per-test reports and builds the result with
:mod:`lms_grading.results`. It also holds the clock: a node judge still running past the job's
deadline is killed, and the verdicts come from the reports it had already sent (the test it was
running fails with the time limit).

A learner's process that stops is not replaced for JavaScript: handing node a new descriptor
would need a relay through this process. Tests after the stop fail "after stop".
"""

from __future__ import annotations

import collections
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

from lms_grading import results
from lms_grading.channel import Channel, ChannelError
from lms_grading.control import Control
from lms_grading.judging import Job, receive, serve_jobs, stop_message
from lms_grading.node_tests import ExpectedTest, discover_tests
from lms_grading.proxies import LearnerStopped

TESTS = Path("/job/tests")
NODE = "/usr/bin/node"
JUDGE_JS = Path(__file__).resolve().with_name("judge.js")
#: What one report of the node judge may weigh (messages are clipped well below).
MAX_REPORT = 8 * 1024 * 1024
#: After the job's deadline, the node judge has this long to send its last reports.
LAST_WORDS = 2.0
#: What is kept of the node judge's own error output, to explain a crash of the judge.
STDERR_TAIL = 4000


class Reports:
    """What the node judge said: each test's verdict, each test file that failed to load, the
    test it was running, the first limit the learner's code hit."""

    def __init__(self) -> None:
        self.tests: dict[tuple[str, str], collections.deque[dict]] = {}
        self.loads: dict[str, dict] = {}
        self.running: tuple[str, str] | None = None
        self.limit: str | None = None
        self.done = False

    def add(self, message: dict) -> None:
        event = message.get("ev")
        key = (str(message.get("file", "")), str(message.get("name", "")))
        if event == "start":
            self.running = key
        elif event == "test":
            self.tests.setdefault(key, collections.deque()).append(message)
            if self.running == key:
                self.running = None
        elif event == "load":
            self.loads.setdefault(key[0], message)
        elif event == "limit" and self.limit is None:
            limit = message.get("limit")
            self.limit = limit if limit in ("timeout", "memory", "output") else None
        elif event == "done":
            self.done = True

    def take(self, expected: ExpectedTest) -> dict | None:
        queue = self.tests.get((expected.file, expected.name))
        return queue.popleft() if queue else None


def stopped(info: object, job: Job) -> str:
    """The message for a test during (or after) which the learner's process stopped."""
    info = info if isinstance(info, dict) else {}
    if info.get("after"):
        return job.text()["after_stop"]
    limit = info.get("limit") if info.get("limit") in ("timeout", "memory", "output") else None
    error = LearnerStopped(limit=limit)
    if limit is None and isinstance(info.get("code"), int):
        error.exit_code = info["code"]
    return stop_message(error, job)


def verdict(expected: ExpectedTest, reports: Reports, job: Job) -> dict:
    """The result entry of one expected test, from what the node judge reported."""
    text = job.text()
    entry = results.test_entry(
        expected.description, expected.points, f"{expected.file}::{expected.description}"
    )
    report = reports.take(expected)
    if report is None:
        load = reports.loads.get(expected.file)
        if load is not None:
            error = stopped(load["stop"], job) if load.get("stop") else load.get("message", "")
            entry.update(outcome="error", message=text["import_error"].format(error=error))
        elif reports.running == (expected.file, expected.name) and not reports.done:
            entry["message"] = stopped({"limit": "timeout"}, job)
        elif reports.limit is not None:
            entry["message"] = text["after_stop"]
        else:
            entry["message"] = text["not_run"]
        return entry
    outcome = report.get("outcome")
    if outcome == "passed":
        entry.update(outcome="passed", points=expected.points)
    elif report.get("stop"):
        entry["message"] = stopped(report["stop"], job)
    elif report.get("skipped"):
        entry["message"] = text["skipped"]
    elif report.get("cancelled"):
        entry["message"] = text["not_run"]
    else:
        entry["outcome"] = "error" if outcome == "error" else "failed"
        entry["message"] = str(report.get("message") or "") or text["assertion"]
    return entry


def build(reports: Reports, job: Job) -> dict:
    tests = [verdict(expected, reports, job) for expected in discover_tests(TESTS)]
    limit = reports.limit
    if limit is None and reports.running is not None and not reports.done:
        limit = "timeout"
    note = stop_message(LearnerStopped(limit=limit), job) if limit else None
    result = results.build(tests, job.lang, limit, note)
    return results.fit(results.scrub(result, results.hidden_lines(TESTS), job.lang))


def fate(control: Control, job: Job, closed: bool = False) -> dict:
    """How the learner's process ended, asked of the host (which stops it if need be;
    ``closed``: it is ending by itself, its channel closed)."""
    try:
        control.send({"op": "fate", "closed": closed}, deadline=job.deadline + 2)
        answer, fds = control.recv(job.deadline + 2)
    except ChannelError:
        return {}
    for fd in fds:
        os.close(fd)
    return answer


class Tail(threading.Thread):
    """Drains the node judge's error output, keeping its end (the judge's own diagnostics)."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.kept = b""

    def run(self) -> None:
        while chunk := self.stream.read(4096):
            self.kept = (self.kept + chunk)[-STDERR_TAIL:]


def start_node(learner_fd: int, host_end: socket.socket) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed program and arguments
        [
            NODE,
            "--disallow-code-generation-from-strings",
            f"--test-reporter={JUDGE_JS}",
            "--test-reporter-destination=stdout",
            str(JUDGE_JS),
        ],
        pass_fds=(learner_fd, host_end.fileno()),
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": "/tmp",
            "LANG": "C.UTF-8",
            "LMS_LEARNER_FD": str(learner_fd),
            "LMS_HOST_FD": str(host_end.fileno()),
            **({"LMS_JUDGE_DEBUG": "1"} if os.environ.get("LMS_JUDGE_DEBUG") else {}),
        },
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd="/tmp",  # noqa: S108 - the judge box's own tmpfs
    )


def converse(channel: Channel, control: Control, job: Job, reports: Reports) -> None:
    """Serve the node judge until it is done, or the job's time (and a last moment) is up."""
    channel.send(
        {
            "op": "job",
            "remaining": max(job.deadline - time.monotonic(), 0.0),
            "output_limit": job.output_limit,
            "files": job.files,
            "lang": job.lang,
        },
        job.deadline + LAST_WORDS,
    )
    while not reports.done:
        message = channel.recv(job.deadline + LAST_WORDS)
        if message.get("op") == "fate":
            closed = message.get("closed") is True
            channel.send(fate(control, job, closed), job.deadline + LAST_WORDS)
        else:
            reports.add(message)


class JudgeCrashed(RuntimeError):
    """The node judge ended on its own, early and without its last report: a broken grader,
    never a verdict on the learner (the host reports the job as failed)."""


def run_node(control: Control, job: Job, learner_fd: int) -> Reports:
    reports = Reports()
    ours, theirs = socket.socketpair()
    try:
        process = start_node(learner_fd, theirs)
    finally:
        os.close(learner_fd)
        theirs.close()
    tail = Tail(process.stderr)
    tail.start()
    killed = False
    try:
        converse(Channel(ours, MAX_REPORT), control, job, reports)
    except ChannelError:
        pass  # the judge ended, or ran out of time: the reports so far are the verdicts
    finally:
        ours.close()
        if process.poll() is None:
            killed = True
            process.kill()
        process.wait()
        tail.join(timeout=1)
    if not reports.done and not killed and time.monotonic() < job.deadline:
        raise JudgeCrashed(tail.kept.decode("utf-8", "replace")[-STDERR_TAIL:])
    return reports


def grade(control: Control, job: Job, fds: list[int]) -> dict:
    if not fds:
        # No learner's process at all: every test file says so.
        reports = Reports()
        reports.loads = {e.file: {"stop": {"limit": None}} for e in discover_tests(TESTS)}
        return build(reports, job)
    return build(run_node(control, job, fds[0]), job)


def cold(control: Control) -> None:
    job, fds = receive(control)
    control.send({"op": "result", "result": grade(control, job, fds)})


def zygote(listener: socket.socket) -> None:
    # node cannot be forked: each job starts its own, from a child of this prepared process.
    serve_jobs(listener, lambda conn: cold(Control(conn)))
