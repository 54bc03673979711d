"""Grading latency and throughput through the whole pipeline, beside two baselines.

    .venv/bin/python bench/grading.py [--submissions 40] [--workers 2]

Pipeline: HTTP POST to a live server -> submission row (queued) -> in-process worker pool ->
fresh Docker container -> result validated -> row graded; the client polls the API.
Baselines, measured in the same run on the same exercise:
  * bare: the same hidden tests run with pytest on the host, no container;
  * docker: `docker run --rm --network none <grader image> true`, a trivial container.
Prints its figures as one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXERCISE = "python-backend/prix-ttc"
PASSWORD = "bench-password"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def bare_pytest(exercise_dir: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            for folder in ("solution", "tests"):
                for path in (exercise_dir / folder).iterdir():
                    shutil.copy(path, tmp)
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-W",
                    "ignore::pytest.PytestUnknownMarkWarning",
                    tmp,
                ],
                check=True,
                capture_output=True,
                cwd=tmp,
            )
            times.append(time.perf_counter() - started)
    return times


def trivial_docker(image: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            ["docker", "run", "--rm", "--network", "none", image, "true"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return times


class Api:
    def __init__(self, base: str) -> None:
        self.base = base
        self.token = None

    def call(self, method: str, path: str, body=None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def start_server(instance: Path, workers: int):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from lms import create_app
    from lms.admin import operations as ops
    from lms.admin.demo import create_demo
    from lms.extensions import db
    from lms.submissions.worker import start_pool

    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.sqlite3'}",
            "LMS_GRADING": "off",
            "LMS_WORKERS": workers,
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        from lms import content

        loaded = content.current()
        cohort = create_demo(set(loaded.tracks))
        learner = ops.create_user("bench@test.ma", "Bench", "learner", PASSWORD)
        ops.enrol(cohort, learner)
        for n, track in enumerate(sorted(set(loaded.tracks) - {cohort.track})):
            other = ops.create_cohort(
                f"Bench {n}",
                cohort.operator,
                track,
                cohort.region,
                cohort.starts_on,
                cohort.ends_on,
                set(loaded.tracks),
            )
            ops.enrol(other, learner)
        db.session.commit()
    pool = start_pool(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, pool, loaded


def wait_graded(api: Api, ids: list[int], timeout: float) -> dict[int, dict]:
    done: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(ids) and time.monotonic() < deadline:
        for submission_id in ids:
            if submission_id not in done:
                body = api.call("GET", f"/api/v1/submissions/{submission_id}")
                if body["status"] in ("graded", "error"):
                    body["seen_at"] = time.perf_counter()
                    done[submission_id] = body
        time.sleep(0.05)
    return done


def server_latency(body: dict) -> float:
    from datetime import datetime

    queued = datetime.fromisoformat(body["queued_at"].rstrip("Z"))
    finished = datetime.fromisoformat(body["finished_at"].rstrip("Z"))
    return (finished - queued).total_seconds()


def measure(api: Api, exercise_id: str, solution: dict, submissions: int) -> dict:
    """Idle latency (one at a time), then a burst of ``submissions`` sent at once."""
    path = f"/api/v1/exercises/{exercise_id}/submissions"
    single = []
    for _ in range(3):
        started = time.perf_counter()
        submission_id = api.call("POST", path, {"files": solution})["id"]
        body = wait_graded(api, [submission_id], 120)[submission_id]
        assert body["score"] == body["max_score"], body
        single.append(time.perf_counter() - started)
    started = time.perf_counter()
    sent = {}
    for _ in range(submissions):
        sent[api.call("POST", path, {"files": solution})["id"]] = time.perf_counter()
    results = wait_graded(api, list(sent), 900)
    elapsed = time.perf_counter() - started
    graded = [b for b in results.values() if b["status"] == "graded"]
    burst = [results[i]["seen_at"] - sent[i] for i in results]
    return {
        "submissions": submissions,
        "graded": len(graded),
        "full_marks": sum(b["score"] == b["max_score"] for b in graded),
        "lost": submissions - len(results),
        "idle_latency_p50_s": round(statistics.median(single), 3),
        "burst_latency_p50_s": round(percentile(burst, 0.5), 3),
        "burst_latency_p95_s": round(percentile(burst, 0.95), 3),
        "burst_server_latency_p95_s": round(
            percentile([server_latency(b) for b in graded], 0.95), 3
        ),
        "throughput_per_s": round(len(results) / elapsed, 2),
        "container_run_p50_s": round(statistics.median(b["duration"] for b in graded), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--submissions", type=int, default=40, help="burst size for the headline exercise"
    )
    parser.add_argument(
        "--per-grader",
        type=int,
        default=10,
        help="burst size for one exercise of each other grader (0: skip)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        server, pool, loaded = start_server(Path(tmp), args.workers)
        api = Api(f"http://127.0.0.1:{server.server_port}")
        api.token = api.call(
            "POST", "/api/v1/tokens", {"email": "bench@test.ma", "password": PASSWORD}
        )["token"]
        headline = loaded.exercises[EXERCISE]
        figures = {
            "exercise": EXERCISE,
            "workers": args.workers,
            **measure(api, EXERCISE, headline.solution(), args.submissions),
        }
        per_grader = {}
        if args.per_grader:
            for grader in sorted({e.grader for e in loaded.exercises.values()}):
                exercise = next(
                    e
                    for e in sorted(loaded.exercises.values(), key=lambda e: e.id)
                    if e.grader == grader
                )
                per_grader[grader] = {
                    "exercise": exercise.id,
                    **measure(api, exercise.id, exercise.solution(), args.per_grader),
                }
        server.shutdown()
        pool.stop()

    from lms import grading

    bare = bare_pytest(headline.directory, args.baseline_runs)
    docker_times = trivial_docker(grading.get("python").image, args.baseline_runs)
    figures["baseline_bare_pytest_p50_s"] = round(statistics.median(bare), 3)
    figures["baseline_docker_run_true_p50_s"] = round(statistics.median(docker_times), 3)
    figures["idle_latency_over_bare_pytest"] = round(
        figures["idle_latency_p50_s"] / figures["baseline_bare_pytest_p50_s"], 2
    )
    figures["idle_latency_over_docker_run_true"] = round(
        figures["idle_latency_p50_s"] / figures["baseline_docker_run_true_p50_s"], 2
    )
    figures["per_grader"] = per_grader
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
