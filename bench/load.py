"""Load test: a cohort of simulated learners reading lessons and submitting, under gunicorn.

    .venv/bin/python bench/load.py [--users 200] [--spawn-rate 20] [--run-time 3m]
                                   [--wait 2,6] [--submit-weight W] [--postgres]
                                   [--queue inprocess|celery] [--grading off|inprocess]
                                   [--lms-workers 2] [--worker-concurrency N]
                                   [--drain-timeout 120] [--follow 60] [--keep DIR]

Makes a fresh instance (`lms init --demo`; SQLite, or with --postgres a throw-away database on
the local server, $LMS_TEST_POSTGRES), adds --users learner accounts to the demo cohort with an
API token each, starts `gunicorn -c gunicorn.conf.py wsgi:app` on a free port of 127.0.0.1, and
runs bench/locustfile.py headless against it in a subprocess (`locust --headless -u U -r R
--run-time T`). Each learner signs in once through the login form, then reads lessons, opens
exercises and submits (the reference solution or the starter code, at random) through the API.

Grading, three ways:

- ``--queue inprocess --grading off`` (the default): submissions are only queued, as on a
  production web node whose workers run elsewhere;
- ``--queue inprocess --grading inprocess``: the embedded pool of every gunicorn process grades;
- ``--queue celery`` (needs --postgres): the national setup. The script also starts a private
  redis-server (no persistence) on a free port of 127.0.0.1 as the broker and --lms-workers
  `lms worker` processes grading on the local Docker engine, which split the cores between them
  (--worker-concurrency, default cores / workers: one container per core, as one worker on a
  host of its own has) with pre-warmed containers (LMS_WARM_CONTAINERS, 2 by default).

With grading on, each learner follows her submission until it is graded (as the exercise page
does; at most --follow s) and, once Locust stops, the script waits (at most --drain-timeout s)
until no submission is queued, running or waiting for a retry, then checks every submission
the server accepted in the database: graded, or in error with its reason; the right answers
graded with full marks; one `submission.graded` event in the audit chain each, and the chain
verified (`lms audit verify`). Everything listens on 127.0.0.1 only, every process is stopped
in every case (SIGTERM included), and the run is bounded by --run-time plus --drain-timeout.

Prints, per request type, the count, failures, requests/s and the p50/p95/p99/max latency, twice:
over the whole run, and in the steady state (requests started after the last learner signed in:
the ramp-up's scrypt sign-ins are left out); then the error rate (must be 0), the submissions'
outcome, submit→graded latency from the database timestamps and the drain time, and one JSON
object on the last line. Exits 1 when a request failed or a submission is lost, unfinished,
graded twice or wrongly. Locust, the server, the workers and the graders share this machine's
cores: the latencies include the load generator's own contention.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

from web import (
    BIN,
    DEMO_PASSWORD,
    HOST,
    ROOT,
    TRACK,
    Target,
    free_port,
    gunicorn,
    hammer,
    init_demo,
    instance_env,
    lms,
    percentile,
    request,
    sign_in,
    throwaway_postgres,
)

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
QUANTILES = {"p50_ms": "50%", "p95_ms": "95%", "p99_ms": "99%", "max_ms": "100%"}
#: Submission statuses, as lms.models.SubmissionStatus spells them.
GRADED, ERROR = "graded", "error"


# The instance ------------------------------------------------------------------------------


def prepare(env: dict, count: int) -> tuple[list[dict], dict]:
    """``count`` learners in the demo cohort, each with an API token, and the answers of the
    track's exercises, made in a child process that has the instance's environment (create_app
    reads it)."""
    code = (
        "import json, sys\n"
        "from lms import create_app\n"
        "from bench_accounts import answers, create\n"
        "with create_app().app_context():\n"
        "    accounts = create(int(sys.argv[1]), sys.argv[2])\n"
        "    json.dump([accounts, answers(sys.argv[3])], sys.stdout)\n"
    )
    env = {**env, "PYTHONPATH": str(Path(__file__).parent)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(count), DEMO_PASSWORD, TRACK],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        raise SystemExit(f"creating learners failed:\n{done.stderr}")
    accounts, answers = json.loads(done.stdout)
    return accounts, answers


@contextmanager
def private_redis(folder: Path) -> Iterator[str]:
    """A redis-server of this run only, on a free port of 127.0.0.1; its broker URL."""
    import redis

    port = free_port()
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    command = [binary, "--port", str(port), "--bind", HOST, "--dir", str(folder)]
    with (folder / "redis.log").open("wb") as log:
        server = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        client = redis.Redis(host=HOST, port=port)
        deadline = time.monotonic() + 15
        while not _pings(client):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"redis-server did not start:\n{tail(folder / 'redis.log')}")
            time.sleep(0.1)
        client.close()
        yield f"redis://{HOST}:{port}/0"
    finally:
        stop([server])


def _pings(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@contextmanager
def lms_workers(env: dict, folder: Path, count: int) -> Iterator[list[subprocess.Popen]]:
    """``count`` `lms worker` processes, each ready (Celery said so) before this yields; all
    stopped afterwards (SIGTERM lets the gradings under way finish)."""
    workers: list[subprocess.Popen] = []
    try:
        for n in range(1, count + 1):
            log = folder / f"worker-{n}.log"
            with log.open("wb") as out:
                worker = subprocess.Popen(
                    [str(BIN / "lms"), "worker"],
                    env=env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            worker.log = log
            workers.append(worker)
        for worker in workers:
            wait_ready(worker)
        yield workers
    finally:
        stop(workers, 30)


def worker_concurrency(workers: int) -> int:
    """The host's cores split between its workers: each one's default (all the cores, one
    container per core) is meant for a host of its own."""
    return max(1, (os.cpu_count() or 1) // workers)


def wait_ready(worker: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while " ready." not in worker.log.read_text(errors="replace"):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"lms worker did not start:\n{tail(worker.log)}")
        time.sleep(0.2)


def stop(processes: list[subprocess.Popen], seconds: float = 15) -> None:
    """SIGTERM every process, then SIGKILL what has not exited within ``seconds``."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


# The learners ------------------------------------------------------------------------------


def plan(base: str, accounts: list[dict], answers: dict) -> dict:
    """What the simulated learners do, found through the site itself as the demo learner."""
    cookie = sign_in(base)
    status, track, _ = request(base, "GET", f"/learn/{TRACK}", headers={"Cookie": cookie})
    lessons = sorted(set(re.findall(rf'href="(/learn/{TRACK}/[^/"]+/[^/"]+)"', track.decode())))
    status, answer, _ = request(
        base,
        "GET",
        "/api/v1/exercises",
        headers={"Authorization": f"Bearer {accounts[0]['token']}"},
    )
    exercises = [e for e in json.loads(answer) if e["id"] in answers]
    if not lessons or not exercises:
        raise SystemExit(f"nothing to read or submit in {TRACK}")
    return {
        "password": DEMO_PASSWORD,
        "accounts": accounts,
        "lessons": lessons,
        "exercises": [f"/exercises/{e['id']}" for e in exercises],
        "submittable": [
            {
                "id": e["id"],
                "path": f"/api/v1/exercises/{e['id']}/submissions",
                **answers[e["id"]],
            }
            for e in exercises
        ],
    }


def warm_up(base: str, the_plan: dict) -> None:
    """A few seconds of lesson reading before the learners arrive, so that every gunicorn
    process has loaded the content (as on a server that has been up for a while)."""
    cookie = sign_in(base)
    lesson = Target("warm-up", "GET", the_plan["lessons"][0], 200, {"Cookie": cookie})
    hammer(base, lesson, 5.0, 16)


def run_locust(base: str, plan_file: Path, args: argparse.Namespace, out: Path) -> dict:
    """Run Locust; its record (bench/locustfile.py), with Locust's own whole-run summary."""
    prefix = out / "locust"
    env = {
        **os.environ,
        "LMS_LOAD_PLAN": str(plan_file),
        "LMS_LOAD_WAIT": args.wait,
        "LMS_LOAD_SUBMIT_WEIGHT": str(args.submit_weight),
        "LMS_LOAD_FOLLOW": str(args.follow if grading_on(args) else 0),
        "LMS_LOAD_RECORD": str(out / "locust_record.json"),
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "--run-time",
        args.run_time,
        "--stop-timeout",
        "10",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with (out / "locust.log").open("wb") as log:
        subprocess.run(
            command,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=seconds(args.run_time) + 120,
        )
    record = json.loads((out / "locust_record.json").read_text())
    record["locust_summary"] = read_stats(out / "locust_stats.csv").get("Aggregated")
    record["failure_kinds"] = read_failures(out / "locust_failures.csv")
    return record


def seconds(run_time: str) -> int:
    """Locust's --run-time ("90s", "3m", "1h30m") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([hms])", run_time)
    if not parts or "".join(n + u for n, u in parts) != run_time:
        raise SystemExit(f"--run-time {run_time!r}: expected e.g. 30s, 3m, 1h30m")
    return sum(int(n) * units[u] for n, u in parts)


def read_stats(stats_csv: Path) -> dict[str, dict]:
    figures = {}
    with stats_csv.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            figures[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                **{key: _number(row[column]) for key, column in QUANTILES.items()},
            }
    return figures


def read_failures(failures_csv: Path) -> list[dict]:
    """Why requests failed, as Locust grouped them."""
    if not failures_csv.exists():
        return []
    with failures_csv.open(encoding="utf-8") as rows:
        return [
            {"name": r["Name"], "error": r["Error"][:300], "occurrences": int(r["Occurrences"])}
            for r in csv.DictReader(rows)
        ]


def _number(value: str) -> float | None:
    return None if value in {"", "N/A"} else float(value)


# The figures -------------------------------------------------------------------------------


def request_figures(record: dict, since: float | None) -> dict[str, dict]:
    """Per request type and "Aggregated": count, failures, requests/s and latency quantiles of
    the requests started at ``since`` or later (None: the whole run)."""
    rows = [r for r in record["requests"] if since is None or r[1] >= since]
    if not rows:
        return {}
    began = since if since is not None else record["started"]
    window = max(r[1] + r[2] / 1000 for r in rows) - began
    by_name: dict[str, list] = {}
    for row in rows:
        by_name.setdefault(row[0], []).append(row)
    by_name["Aggregated"] = rows
    return {name: _summary(mine, window) for name, mine in by_name.items()}


def _summary(rows: list, window: float) -> dict:
    latencies = sorted(r[2] for r in rows)
    return {
        "requests": len(rows),
        "failures": sum(r[3] for r in rows),
        "rps": round(len(rows) / window, 1) if window > 0 else None,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": latencies[-1],
    }


def grading_on(args: argparse.Namespace) -> bool:
    return args.queue == "celery" or args.grading == "inprocess"


def unfinished(database_url: str) -> int:
    """Submissions queued, running, or in error with attempts left (a retry is due)."""
    from sqlalchemy import create_engine, func, or_, select

    from lms.models import Submission, SubmissionStatus

    waiting = or_(
        Submission.status.in_([SubmissionStatus.QUEUED, SubmissionStatus.RUNNING]),
        (Submission.status == SubmissionStatus.ERROR) & Submission.finished_at.is_(None),
    )
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count(Submission.id)).where(waiting))
    finally:
        engine.dispose()


def drain(database_url: str, timeout: float) -> dict:
    """Wait until no submission is left to grade, at most ``timeout`` seconds."""
    began = time.monotonic()
    left = unfinished(database_url)
    while left and time.monotonic() - began < timeout:
        time.sleep(1)
        left = unfinished(database_url)
    return {"drained": left == 0, "drain_s": round(time.monotonic() - began, 1), "left": left}


def read_outcome(database_url: str) -> tuple[dict[int, dict], Counter]:
    """Every submission row, and the `submission.graded` audit events per subject."""
    from sqlalchemy import create_engine, func, select

    from lms.models import AuditEvent, Submission

    columns = (Submission.id, Submission.status, Submission.status_detail, Submission.score)
    columns += (Submission.max_score, Submission.queued_at, Submission.started_at)
    columns += (Submission.finished_at, Submission.exercise_id, Submission.limit_hit)
    columns += (Submission.duration,)
    graded_events = (
        select(AuditEvent.subject, func.count(AuditEvent.id))
        .where(AuditEvent.kind == "submission.graded")
        .group_by(AuditEvent.subject)
    )
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = {row.id: row._asdict() for row in conn.execute(select(*columns))}
            events = Counter(dict(conn.execute(graded_events).all()))
    finally:
        engine.dispose()
    return rows, events


def submission_figures(sent: list[list], rows: dict[int, dict], events: Counter) -> dict:
    """What became of the submissions the server accepted (``sent``: [id, exercise, right])."""
    accepted = {s[0]: s for s in sent}
    found = {i: rows[i] for i in accepted if i in rows}
    # Statuses are StrEnum members: equal to their values.
    graded = {i for i, row in found.items() if row["status"] == GRADED}
    errors = {i for i, row in found.items() if row["status"] == ERROR}
    right = {i for i in graded if accepted[i][2]}
    full = {i for i in graded if found[i]["score"] == found[i]["max_score"]}
    once = {i for i in graded if events[f"submission:{i}"] == 1}
    return {
        "sent": len(accepted),
        "graded": len(graded),
        "error": len(errors),
        "unfinished": len(found) - len(graded) - len(errors),
        "lost": sorted(set(accepted) - set(rows)),
        # Rows no 202 announced (a request that failed after its commit): none expected.
        "unannounced": sorted(set(rows) - set(accepted)),
        "graded_once": len(once),
        "not_graded_once": sorted(graded - once),
        "events_for_ungraded": sorted(
            i for i in set(accepted) - graded if events[f"submission:{i}"]
        ),
        "right_sent": sum(1 for s in sent if s[2]),
        "right_graded_full_marks": len(right & full),
        "right_not_full_marks": sorted(right - full),
        "right_not_full_marks_detail": [_detail(found[i]) for i in sorted(right - full)[:20]],
        "wrong_graded_full_marks": len((graded - right) & full),
        "errors_without_reason": sorted(i for i in errors if not found[i]["status_detail"]),
        "error_reasons": dict(Counter((found[i]["status_detail"] or "")[:80] for i in errors)),
        "submit_to_graded_ms": _phase(found, graded, "queued_at", "finished_at"),
        "queued_to_started_ms": _phase(found, graded, "queued_at", "started_at"),
        "started_to_graded_ms": _phase(found, graded, "started_at", "finished_at"),
    }


def _detail(row: dict) -> dict:
    keys = ("id", "exercise_id", "score", "max_score", "limit_hit", "duration", "status_detail")
    return {key: row[key] for key in keys}


def _phase(rows: dict[int, dict], ids: set[int], start: str, end: str) -> dict:
    """p50/p95/max of ``end - start`` over ``ids``, in ms, from the database's timestamps."""
    spans = sorted(_ms(rows[i][start], rows[i][end]) for i in ids if rows[i][start])
    return {
        "p50": percentile(spans, 0.50),
        "p95": percentile(spans, 0.95),
        "max": spans[-1] if spans else None,
    }


def _ms(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() * 1000, 1)


def verify_audit(env: dict) -> str:
    """`lms audit verify` on the instance: its last line ("audit chain OK: ...") or error."""
    done = lms(env, "audit", "verify")
    lines = (done.stdout + done.stderr).strip().splitlines() or ["(no output)"]
    return lines[-1] if done.returncode == 0 else f"FAILED ({done.returncode}): {lines[-1]}"


# The run -----------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    # A SIGTERM (a test's time limit, a CI runner giving up) unwinds like Ctrl-C: every server
    # and worker this script started is stopped, the throw-away database dropped.
    signal.signal(signal.SIGTERM, _interrupt)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.postgres:
            with throwaway_postgres() as url:
                figures = run(args, url, tmp)
        else:
            figures = run(args, None, tmp)
    report(args, figures, time.perf_counter() - began)


def _interrupt(signum, frame) -> None:  # noqa: ARG001
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--run-time", default="3m")
    parser.add_argument("--wait", default="2,6", help="think time between actions, min,max s")
    parser.add_argument(
        "--submit-weight",
        type=float,
        help="weight of the submit task, beside 6 for lessons and 2 for exercise pages "
        "(default: 2 with grading off; 0.5 with grading on, a submission about every 70 s "
        "per learner, which two workers on 2 cores keep up with)",
    )
    parser.add_argument(
        "--follow",
        type=float,
        default=60,
        help="with grading on, seconds a learner follows her submission until it is graded",
    )
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--queue", choices=["inprocess", "celery"], default="inprocess")
    parser.add_argument(
        "--grading",
        choices=["off", "inprocess"],
        default="off",
        help="with --queue inprocess: grade in the gunicorn processes, or only queue",
    )
    parser.add_argument("--lms-workers", type=int, default=2, help="`lms worker` processes")
    parser.add_argument(
        "--worker-concurrency",
        type=int,
        help="gradings at once per `lms worker` (default: the cores split between them)",
    )
    parser.add_argument("--drain-timeout", type=float, default=120, help="seconds, at most")
    parser.add_argument("--workers", type=int, help="gunicorn processes (default: the config's)")
    parser.add_argument("--keep", type=Path, help="copy Locust's files and the logs here")
    args = parser.parse_args()
    if not 1 <= args.users <= 1000:
        parser.error("--users must be between 1 and 1000 (this is a bounded local test)")
    if args.queue == "celery" and not args.postgres:
        parser.error("--queue celery needs --postgres (several processes share the database)")
    if args.submit_weight is None:
        args.submit_weight = 0.5 if grading_on(args) else 2
    if args.submit_weight < 0 or args.lms_workers < 1:
        parser.error("--submit-weight must be 0 or more, --lms-workers 1 or more")
    seconds(args.run_time)
    return args


def run(args: argparse.Namespace, database_url: str | None, tmp: Path) -> dict:
    """Start everything, load, drain, read the outcome; everything stopped on the way out."""
    database_url = database_url or f"sqlite:///{tmp / 'instance' / 'lms.sqlite3'}"
    env = instance_env(tmp / "instance", database_url, args.grading)
    figures: dict = {"load_average": {"before": os.getloadavg()}}
    with ExitStack() as stack:
        stack.callback(keep, args.keep, tmp)
        if args.queue == "celery":
            env.update(LMS_QUEUE="celery", LMS_BROKER_URL=stack.enter_context(private_redis(tmp)))
        init_demo(env)
        accounts, answers = prepare(env, args.users)
        workers = []
        if args.queue == "celery":
            concurrency = args.worker_concurrency or worker_concurrency(args.lms_workers)
            workers_env = {**env, "LMS_WORKER_CONCURRENCY": str(concurrency)}
            workers = stack.enter_context(lms_workers(workers_env, tmp, args.lms_workers))
        base = stack.enter_context(gunicorn(env, tmp / "gunicorn.log", args.workers))
        plan_file = tmp / "plan.json"
        plan_file.write_text(json.dumps(plan(base, accounts, answers)))
        warm_up(base, json.loads(plan_file.read_text()))
        before = set(read_outcome(database_url)[0])  # the demo's own submissions
        record = run_locust(base, plan_file, args, tmp)
        figures["load_average"]["after_load"] = os.getloadavg()
        if grading_on(args):
            figures["drain"] = drain(database_url, args.drain_timeout)
            figures["load_average"]["after_drain"] = os.getloadavg()
        figures["workers_alive"] = all(w.poll() is None for w in workers)
        # Gradings each worker started (retries and duplicate messages included).
        figures["worker_shares"] = [
            w.log.read_text(errors="replace").count("grading submission ") for w in workers
        ]
        figures["worker_logs"] = {w.log.name: tail(w.log, 10) for w in workers if w.poll()}
    rows, events = read_outcome(database_url)
    rows = {i: row for i, row in rows.items() if i not in before}
    figures["submissions"] = submission_figures(record["submissions"], rows, events)
    if grading_on(args):
        figures["audit_chain"] = verify_audit(env)
    return {**figures, **summarise(record)}


def summarise(record: dict) -> dict:
    ramp_end = record.get("ramp_end")
    return {
        "whole_run": request_figures(record, None),
        "steady_state": request_figures(record, ramp_end) if ramp_end else None,
        "ramp_up_s": round(ramp_end - record["started"], 1) if ramp_end else None,
        "failure_kinds": record["failure_kinds"],
        "locust_summary": record["locust_summary"],
    }


def keep(folder: Path | None, tmp: Path) -> None:
    """Copy Locust's files and the servers' logs out of the temporary folder."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for path in [*tmp.glob("locust*"), *tmp.glob("*.log")]:
        shutil.copy(path, folder / path.name)


# The report --------------------------------------------------------------------------------


def verdict(figures: dict) -> list[str]:
    """What went wrong, in words; empty when the run passed."""
    total = figures["whole_run"].get("Aggregated", {"requests": 0, "failures": 0})
    s = figures["submissions"]
    problems = []
    if not total["requests"] or total["failures"]:
        problems.append(f"{total['failures']} of {total['requests']} requests failed")
    if "drain" in figures and not figures["drain"]["drained"]:
        problems.append(f"{figures['drain']['left']} submissions unfinished after the drain")
    if "audit_chain" in figures:
        checks = {
            "lost": s["lost"],
            "not graded exactly once": s["not_graded_once"],
            "graded events of ungraded submissions": s["events_for_ungraded"],
            "right answers without full marks": s["right_not_full_marks"],
            "errors without a reason": s["errors_without_reason"],
        }
        problems += [f"{what}: {ids[:20]}" for what, ids in checks.items() if ids]
        if s["unfinished"]:
            problems.append(f"{s['unfinished']} submissions still queued or running")
        if not figures["audit_chain"].startswith("audit chain OK"):
            problems.append(figures["audit_chain"])
    if not figures.get("workers_alive", True):
        problems.append(f"an lms worker died: {figures['worker_logs']}")
    return problems


def print_table(title: str, stats: dict[str, dict] | None) -> None:
    print(f"-- {title}")
    if not stats:
        print("   (no request)")
        return
    print(
        f"{'request':<20} {'count':>7} {'fail':>5} {'rps':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    )
    for name, s in stats.items():
        print(
            f"{name:<20} {s['requests']:>7} {s['failures']:>5} {s['rps']!s:>7} "
            f"{s['p50_ms']!s:>8} {s['p95_ms']!s:>8} {s['p99_ms']!s:>8} {s['max_ms']!s:>8}"
        )


def print_submissions(figures: dict) -> None:
    s = figures["submissions"]
    if "drain" not in figures:
        print(f"submissions: {s['sent']} sent, left queued (grading off)")
        return
    print(
        f"submissions: {s['sent']} sent, {s['graded']} graded ({s['graded_once']} exactly once), "
        f"{s['error']} error, {s['unfinished']} unfinished, {len(s['lost'])} lost; "
        f"right answers {s['right_graded_full_marks']}/{s['right_sent']} with full marks"
    )
    d, lat = figures["drain"], s["submit_to_graded_ms"]
    print(
        f"submit→graded p50 {lat['p50']} ms, p95 {lat['p95']} ms, max {lat['max']} ms; "
        f"drained: {d['drained']} in {d['drain_s']} s; {figures['audit_chain']}"
    )


def report(args: argparse.Namespace, figures: dict, elapsed: float) -> None:
    print_table("whole run (ramp-up and sign-ins included)", figures["whole_run"])
    print_table(
        f"steady state (after the ramp-up of {figures['ramp_up_s']} s)", figures["steady_state"]
    )
    total = figures["whole_run"].get("Aggregated", {"requests": 0, "failures": 0})
    error_rate = total["failures"] / total["requests"] if total["requests"] else None
    print(f"error rate: {error_rate} ({total['failures']} of {total['requests']})")
    print_submissions(figures)
    problems = verdict(figures)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    summary = {
        "ok": not problems,
        "problems": problems,
        "error_rate": error_rate,
        **figures,
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "run_time": args.run_time,
        "think_time_s": args.wait,
        "submit_weight": args.submit_weight,
        "database": "postgresql" if args.postgres else "sqlite",
        "queue": args.queue,
        "grading": "lms worker" if args.queue == "celery" else args.grading,
        "lms_workers": args.lms_workers if args.queue == "celery" else 0,
        "worker_concurrency": args.worker_concurrency or worker_concurrency(args.lms_workers),
        "server": "gunicorn -c gunicorn.conf.py wsgi:app on 127.0.0.1",
        "cpus": os.cpu_count(),
        "elapsed_s": round(elapsed, 1),
    }
    print(json.dumps(summary))
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
