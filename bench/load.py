"""Load test: a cohort of simulated learners reading lessons and submitting, under gunicorn.

    .venv/bin/python bench/load.py [--users 200] [--spawn-rate 20] [--run-time 3m]
                                   [--wait 2,6] [--postgres] [--grading off|inprocess]

Makes a fresh instance (`lms init --demo`; SQLite, or with --postgres a throw-away database on
the local server), adds --users learner accounts to the demo cohort with an API token each,
starts `gunicorn -c gunicorn.conf.py wsgi:app` on a free port of 127.0.0.1, and runs
bench/locustfile.py headless against it in a subprocess (`locust --headless -u U -r R
--run-time T --csv ...`). Grading is off by default: submissions are queued, as on a production
web node whose workers run elsewhere; ``--grading inprocess`` starts the embedded pool in every
gunicorn process (needs Docker and the grader images). Everything listens on 127.0.0.1 only,
and the run is bounded by --run-time (Locust stops the users, then the script stops gunicorn).

Prints, per request type, the count, failures, requests/s and the p50/p95/p99/max latency,
then the error rate (must be 0) and one JSON object on the last line. Locust and the server
share this machine's cores: the latencies include the load generator's own contention.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from web import (
    BIN,
    DEMO_PASSWORD,
    ROOT,
    TRACK,
    Target,
    gunicorn,
    hammer,
    init_demo,
    instance_env,
    request,
    sign_in,
    throwaway_postgres,
)

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
QUANTILES = {"p50_ms": "50%", "p95_ms": "95%", "p99_ms": "99%", "max_ms": "100%"}


def create_learners(env: dict, count: int) -> list[dict]:
    """``count`` learners in the demo cohort, each with an API token, made in a child process
    that has the instance's environment (create_app reads it)."""
    code = (
        "import json, sys\n"
        "from lms import create_app\n"
        "from bench_accounts import create\n"
        "with create_app().app_context():\n"
        "    json.dump(create(int(sys.argv[1]), sys.argv[2]), sys.stdout)\n"
    )
    env = {**env, "PYTHONPATH": str(Path(__file__).parent)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(count), DEMO_PASSWORD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        raise SystemExit(f"creating learners failed:\n{done.stderr}")
    return json.loads(done.stdout)


def plan(base: str, accounts: list[dict]) -> dict:
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
    exercises = [e for e in json.loads(answer) if e["id"].startswith(f"{TRACK}/")]
    if not lessons or not exercises:
        raise SystemExit(f"nothing to read or submit in {TRACK}")
    return {
        "password": DEMO_PASSWORD,
        "accounts": accounts,
        "lessons": lessons,
        "exercises": [f"/exercises/{e['id']}" for e in exercises],
        "submittable": [
            {"path": f"/api/v1/exercises/{e['id']}/submissions", "files": e["files"]}
            for e in exercises
        ],
    }


def warm_up(base: str, the_plan: dict) -> None:
    """A few seconds of lesson reading before the learners arrive, so that every gunicorn
    process has loaded the content (as on a server that has been up for a while)."""
    cookie = sign_in(base)
    lesson = Target("warm-up", "GET", the_plan["lessons"][0], 200, {"Cookie": cookie})
    hammer(base, lesson, 5.0, 16)


def run_locust(base: str, plan_file: Path, args: argparse.Namespace, out: Path) -> Path:
    prefix = out / "locust"
    env = {**os.environ, "LMS_LOAD_PLAN": str(plan_file), "LMS_LOAD_WAIT": args.wait}
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
        *(["--reset-stats"] if args.reset_stats else []),
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
    return prefix.with_name("locust_stats.csv")


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


def _number(value: str) -> float | None:
    return None if value in {"", "N/A"} else float(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--run-time", default="3m")
    parser.add_argument("--wait", default="2,6", help="think time between actions, min,max s")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--grading", choices=["off", "inprocess"], default="off")
    parser.add_argument("--workers", type=int, help="gunicorn processes (default: the config's)")
    parser.add_argument("--keep", type=Path, help="copy Locust's CSV and logs to this folder")
    parser.add_argument(
        "--reset-stats",
        action="store_true",
        help="steady state only: forget the ramp-up (and its sign-ins) once all users run",
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 1000:
        parser.error("--users must be between 1 and 1000 (this is a bounded local test)")
    seconds(args.run_time)

    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.postgres:
            with throwaway_postgres() as url:
                stats = run(args, url, tmp)
        else:
            stats = run(args, None, tmp)
    report(args, stats, time.perf_counter() - began)


def run(args: argparse.Namespace, database_url: str | None, tmp: Path) -> dict[str, dict]:
    env = instance_env(tmp / "instance", database_url, args.grading)
    init_demo(env)
    accounts = create_learners(env, args.users)
    with gunicorn(env, tmp / "gunicorn.log", args.workers) as base:
        plan_file = tmp / "plan.json"
        the_plan = plan(base, accounts)
        plan_file.write_text(json.dumps(the_plan))
        warm_up(base, the_plan)
        stats = read_stats(run_locust(base, plan_file, args, tmp))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for path in tmp.glob("locust*"):
            (args.keep / path.name).write_bytes(path.read_bytes())
        (args.keep / "gunicorn.log").write_bytes((tmp / "gunicorn.log").read_bytes())
    return stats


def report(args: argparse.Namespace, stats: dict[str, dict], elapsed: float) -> None:
    print(
        f"{'request':<20} {'count':>7} {'fail':>5} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7}"
    )
    for name, s in stats.items():
        print(
            f"{name:<20} {s['requests']:>7} {s['failures']:>5} {s['rps']:>7} {s['p50_ms']!s:>7} "
            f"{s['p95_ms']!s:>7} {s['p99_ms']!s:>7} {s['max_ms']!s:>7}"
        )
    total = stats.get("Aggregated", {"requests": 0, "failures": 0})
    error_rate = total["failures"] / total["requests"] if total["requests"] else None
    print(f"error rate: {error_rate} ({total['failures']} of {total['requests']})")
    print(
        json.dumps(
            {
                "error_rate": error_rate,
                "requests": stats,
                "users": args.users,
                "spawn_rate": args.spawn_rate,
                "run_time": args.run_time,
                "think_time_s": args.wait,
                "ramp_up_included": not args.reset_stats,
                "database": "postgresql" if args.postgres else "sqlite",
                "grading": args.grading,
                "server": "gunicorn -c gunicorn.conf.py wsgi:app on 127.0.0.1",
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg()[0],
                "elapsed_s": round(elapsed, 1),
            }
        )
    )
    if error_rate is None or error_rate > 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
