"""The load test of the national setup: 200 simulated learners read lessons and submit for three
minutes against gunicorn on 127.0.0.1, with PostgreSQL, a private Redis and two `lms worker`
processes grading in Docker (pre-warmed containers, as configured by default).

bench/load.py starts and stops all of it; this module runs it once as a subprocess and reads
its figures from its last line. Each learner signs in through the login form, then reads
lessons and exercise pages every 2-6 s and submits about every 70 s (the bench's default with
grading on: what two workers sharing these 2 cores keep up with), a right or a wrong answer,
following it until it is graded. No request fails; every submission the server accepted ends
graded, or in error with its reason, none lost or left queued; each graded one has exactly one
`submission.graded` event in an audit chain that verifies; right answers get full marks. The
latency percentiles (whole run and steady state, submit→graded) are printed (`pytest -s`) and
quoted in every failure message.

About five minutes: the set-up, three minutes of load, at most DRAIN_SECONDS for the queue to
drain, the shut-down. Past TIME_LIMIT the bench gets SIGTERM (it then stops everything it
started and drops its database), then SIGKILL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sandbox import runner

pytestmark = [
    pytest.mark.docker,
    pytest.mark.postgres,
    pytest.mark.load,
    pytest.mark.usefixtures("sigterm_interrupts"),
]

ROOT = Path(__file__).resolve().parents[2]
USERS = 200
RUN_TIME = "3m"
DRAIN_SECONDS = 90
TIME_LIMIT = 6 * 60


@pytest.fixture(scope="module")
def docker_engine() -> None:
    runner.client()  # fails loudly, never skips, when the engine does not answer


@pytest.fixture(scope="module")
def load_run(postgres_server, docker_engine) -> dict:
    """bench/load.py's figures for 200 learners on the national setup, printed as it did."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        "--postgres",
        "--queue", "celery",
        "--users", str(USERS),
        "--run-time", RUN_TIME,
        "--drain-timeout", str(DRAIN_SECONDS),
    ]  # fmt: skip
    env = {**os.environ, "LMS_TEST_POSTGRES": postgres_server}
    started = time.monotonic()
    returncode, out, err = run_bounded(command, env)
    print(f"\n{out}\nbench/load.py: exit {returncode} after {time.monotonic() - started:.0f} s")
    lines = out.strip().splitlines()
    if not lines or not lines[-1].startswith("{"):
        pytest.fail(f"bench/load.py gave no figures (exit {returncode}):\n{err[-3000:]}")
    return json.loads(lines[-1])


def run_bounded(command: list[str], env: dict) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``command``, stopped past TIME_LIMIT (or when the test
    run is interrupted) with SIGTERM, which the bench turns into a clean shut-down."""
    bench = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = bench.communicate(timeout=TIME_LIMIT)
    except BaseException as exc:
        bench.terminate()
        try:
            out, err = bench.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            bench.kill()
            out, err = bench.communicate()
        if isinstance(exc, subprocess.TimeoutExpired):
            pytest.fail(f"bench/load.py ran over {TIME_LIMIT} s:\n{out[-3000:]}\n{err[-3000:]}")
        raise
    return bench.returncode, out, err


def latencies(figures: dict) -> str:
    """The percentiles, for the failure messages."""

    def line(title: str, stats: dict | None) -> str:
        total = (stats or {}).get("Aggregated")
        if not total:
            return f"{title}: no request"
        return (
            f"{title}: {total['requests']} requests, p50/p95/p99 {total['p50_ms']}/"
            f"{total['p95_ms']}/{total['p99_ms']} ms"
        )

    graded = figures["submissions"]["submit_to_graded_ms"]
    return "; ".join(
        [
            line("whole run", figures["whole_run"]),
            line(f"steady state (after {figures['ramp_up_s']} s)", figures["steady_state"]),
            f"submit→graded p50/p95 {graded['p50']}/{graded['p95']} ms",
            f"drain {figures['drain']['drain_s']} s",
            f"load average {figures['load_average']}",
        ]
    )


def test_no_request_fails_from_the_first_sign_in_to_the_last_submission(load_run):
    whole = load_run["whole_run"]
    assert whole["sign in"]["requests"] == USERS, latencies(load_run)
    assert load_run["error_rate"] == 0, f"{load_run['failure_kinds']}\n{latencies(load_run)}"
    assert load_run["steady_state"]["Aggregated"]["failures"] == 0, latencies(load_run)


def test_every_submission_sent_ends_graded_or_in_error_with_its_reason(load_run):
    s = load_run["submissions"]
    assert s["sent"] > USERS / 2, f"too few submissions to prove anything: {latencies(load_run)}"
    assert load_run["drain"]["drained"], f"{load_run['drain']}; {latencies(load_run)}"
    assert s["lost"] == [], latencies(load_run)
    assert s["unfinished"] == 0, f"still queued or running; {latencies(load_run)}"
    assert s["graded"] + s["error"] == s["sent"], latencies(load_run)
    assert s["errors_without_reason"] == [], latencies(load_run)
    assert s["unannounced"] == [], "rows no accepted request created"


def test_right_answers_are_graded_with_full_marks(load_run):
    s = load_run["submissions"]
    assert s["right_sent"] > 0
    assert s["right_not_full_marks"] == [], latencies(load_run)
    assert s["right_graded_full_marks"] == s["right_sent"], (
        f"right answers in error: {s['error_reasons']}; {latencies(load_run)}"
    )


def test_each_graded_submission_has_one_graded_event_in_a_chain_that_verifies(load_run):
    s = load_run["submissions"]
    assert s["not_graded_once"] == [], latencies(load_run)
    assert s["events_for_ungraded"] == [], latencies(load_run)
    assert s["graded_once"] == s["graded"]
    assert load_run["audit_chain"].startswith("audit chain OK"), load_run["audit_chain"]


def test_both_workers_grade_and_serve_to_the_end(load_run):
    assert load_run["workers_alive"], load_run["worker_logs"]
    assert all(load_run["worker_shares"]), f"gradings per worker: {load_run['worker_shares']}"
    assert load_run["ok"], load_run["problems"]
