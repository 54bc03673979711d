"""Grading latency and throughput through the whole pipeline, beside its baselines.

    .venv/bin/python bench/grading.py [--submissions 40] [--workers 2] [--warm]

Pipeline: HTTP POST to a live server -> submission row (queued) -> in-process worker pool ->
the judge's box and a fresh learner's box (sandbox/runner.py) -> result validated -> row graded;
the client polls the API. Baselines, measured in the same run on the same exercise:
  * bare: the same hidden tests run with pytest on the host, no box;
  * docker: `docker run --rm --network none <grader image> true`, a trivial container;
  * learner_process_s: a fresh learner's box started and answering its first request.
Prints its figures as one JSON object on the last line.

Without ``--warm`` every grading runs cold (a new judge box that imports pytest and collects,
a new learner's box: LMS_WARM_CONTAINERS=0). With ``--warm`` the same measurement runs twice,
on two fresh servers: cold, then with the exercise's judge prepared once (a zygote that forks
per job) and learners' boxes started ahead (sandbox/warm.py); the last line then leads with
the warm figures:
  * gradings_per_second_per_core: burst throughput of the headline exercise / CPU count;
  * p50_latency_s, p95_latency_s: submit -> graded seen by the client, one submission at a
    time (``--idle-runs`` of them), after one warm-up submission;
  * bare_p50_s: the bare pytest run of the same tests, same run;
and holds the cold figures under "cold" (and everything under "warm").

Burst figures come from the server's own timestamps (queued_at -> finished_at), so how often
the client polls changes nothing; the client polls each pending submission every 0.7 s, as a
learner's page does (lms/static/js/poll.js). Two ceilings are measured in the same run, at the
same concurrency, to say what 2 cores can do at best without the LMS and the judge:
  * box_true: a fresh box with every limit of a learner's box that runs `true`;
  * box_pytest: a fresh box that copies the files and runs the bare pytest;
  * docker_container_true: a fresh Docker container with the same limits that runs `true`.
"cpu_ms_per_grading" splits the machine's CPU time during a burst: this process (web server,
workers, client), the boxes (their cgroups: judges and learners), and the rest (runc, the
kernel, and anything else running on the machine at the time).
"""

from __future__ import annotations

import argparse
import json
import os
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
#: A pending submission is polled this often, as a learner's page does (lms/static/js/poll.js).
BURST_POLL_SECONDS = 0.7
#: Idle latency is measured one submission at a time, polled closely.
IDLE_POLL_SECONDS = 0.05


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


#: The bare test run inside a fresh box: what the judge does, without the judge.
BOX_PYTEST = (
    "mkdir /tmp/w && cp -r /job/submission/. /tmp/w/ && cd /tmp/w"
    " && python3 -I -m pytest -q -p no:cacheprovider . > /dev/null"
)


def _job(image: str, exercise_dir: Path):
    from sandbox.job import Job

    return Job(
        image=image, files={}, tests_dir=exercise_dir / "tests", files_dir=exercise_dir / "solution"
    )


def box_ceiling(
    image: str, exercise_dir: Path, command: list[str], runs: int, concurrency: int
) -> float:
    """Fresh boxes per second running ``command`` with every limit of a learner's box, started,
    waited for and removed ``concurrency`` at a time (the solution and the tests both in its
    files): the most 2 cores can do per second when each run needs a new box, whatever the LMS
    and the judge do around it."""
    import dataclasses
    from concurrent.futures import ThreadPoolExecutor

    from sandbox import runner
    from sandbox.boxes import Box

    grader = runner.Image.load(image)
    job = _job(image, exercise_dir)

    def one(_: int) -> None:
        stage = runner.Stage()
        try:
            stage.put(job)
            shutil.copytree(exercise_dir / "tests", stage.submission, dirs_exist_ok=True)
            spec = dataclasses.replace(runner.learner_spec(grader, job, stage), args=command)
            box = Box(spec, None)
            try:
                status = box.wait(60)
                if status != 0:
                    raise RuntimeError(f"{command} exited with {status}")
            finally:
                box.close()
        finally:
            stage.remove()

    one(0)  # the first one pays for the image's files reaching the page cache
    with ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        list(pool.map(one, range(runs)))
        return runs / (time.perf_counter() - started)


def container_ceiling(image: str, runs: int, concurrency: int) -> float:
    """Fresh Docker containers per second, with a learner's limits, running `true`."""
    from concurrent.futures import ThreadPoolExecutor

    from sandbox import runner

    engine = runner.client()

    def one(_: int) -> None:
        container = engine.containers.create(
            image,
            command=["true"],
            network_disabled=True,
            user="1001:1001",
            read_only=True,
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            mem_limit="256m",
            pids_limit=64,
            nano_cpus=10**9,
        )
        try:
            container.start()
            container.wait(timeout=60)
        finally:
            container.remove(force=True)

    one(0)
    with ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        list(pool.map(one, range(runs)))
        return runs / (time.perf_counter() - started)


def learner_process(image: str, exercise_dir: Path, runs: int) -> list[float]:
    """Seconds from nothing to a fresh learner's box answering its first request."""
    from lms_grading.channel import Channel, Peer

    from sandbox import runner

    grader = runner.Image.load(image)
    job = _job(image, exercise_dir)
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        ahead = runner.start_ahead(grader, job)
        try:
            peer = Peer(Channel(ahead.judge_end, 1 << 20), lambda request: {})
            peer.request({"op": "hello", "output_limit": 1000}, time.monotonic() + 30)
            times.append(time.perf_counter() - started)
        finally:
            ahead.discard()
    return times[1:]  # the first pays for the page cache


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


def start_server(instance: Path, workers: int, warm_containers: int = 0):
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
            "LMS_WARM_CONTAINERS": warm_containers,
            # The burst is one learner's: throughput, not the per-learner cap, is measured.
            "LMS_MAX_WAITING_PER_LEARNER": 10_000,
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


def wait_graded(
    api: Api, ids: list[int], timeout: float, poll: float = IDLE_POLL_SECONDS
) -> dict[int, dict]:
    done: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(ids) and time.monotonic() < deadline:
        for submission_id in ids:
            if submission_id not in done:
                body = api.call("GET", f"/api/v1/submissions/{submission_id}")
                if body["status"] in ("graded", "error"):
                    body["seen_at"] = time.perf_counter()
                    done[submission_id] = body
        time.sleep(poll)
    return done


def _instant(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.rstrip("Z")).timestamp()


def server_latency(body: dict) -> float:
    return _instant(body["finished_at"]) - _instant(body["queued_at"])


def server_throughput(bodies: list[dict]) -> float:
    """Gradings per second from the first queued to the last finished, server clock."""
    span = max(_instant(b["finished_at"]) for b in bodies) - min(
        _instant(b["queued_at"]) for b in bodies
    )
    return len(bodies) / span


class CpuMeter:
    """CPU time spent on the machine between start() and stop(), split three ways."""

    #: cgroup v1 (this VM): the boxes (judges and learners), and Docker's containers.
    CGROUPS = (
        Path("/sys/fs/cgroup/cpuacct/lms-sandbox/cpuacct.usage"),
        Path("/sys/fs/cgroup/cpuacct/docker/cpuacct.usage"),
    )

    def start(self) -> None:
        self.before = self._read()

    def stop(self, gradings: int) -> dict:
        after = self._read()
        spent = {key: (after[key] - self.before[key]) / gradings for key in after}
        per_grading = {
            "this_process": round(spent["process"], 1),
            "machine": round(spent["machine"], 1),
        }
        if spent.get("containers") is not None:
            per_grading["containers"] = round(spent["containers"], 1)
            per_grading["engine_and_rest"] = round(
                spent["machine"] - spent["process"] - spent["containers"], 1
            )
        return per_grading

    def _read(self) -> dict:
        """Milliseconds of CPU: this process, all containers, the whole machine (busy)."""
        times = os.times()
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        ticks = os.sysconf("SC_CLK_TCK")
        figures = {
            "process": (times.user + times.system) * 1000,
            "machine": (sum(fields) - fields[3] - fields[4]) * 1000 / ticks,
            "containers": None,
        }
        present = [path for path in self.CGROUPS if path.exists()]
        if present:
            figures["containers"] = sum(int(path.read_text()) for path in present) / 1e6
        return figures


def measure(
    api: Api, exercise_id: str, solution: dict, submissions: int, idle_runs: int = 3
) -> dict:
    """One warm-up submission, idle latency (one at a time), then a burst of ``submissions``
    sent at once."""
    path = f"/api/v1/exercises/{exercise_id}/submissions"
    warm_up = api.call("POST", path, {"files": solution})["id"]
    wait_graded(api, [warm_up], 120)
    single = []
    for _ in range(idle_runs):
        started = time.perf_counter()
        submission_id = api.call("POST", path, {"files": solution})["id"]
        body = wait_graded(api, [submission_id], 120)[submission_id]
        assert body["score"] == body["max_score"], body
        single.append(time.perf_counter() - started)
    meter = CpuMeter()
    meter.start()
    sent = {}
    for _ in range(submissions):
        sent[api.call("POST", path, {"files": solution})["id"]] = time.perf_counter()
    results = wait_graded(api, list(sent), 900, BURST_POLL_SECONDS)
    graded = [b for b in results.values() if b["status"] == "graded"]
    cpu = meter.stop(max(len(results), 1))
    burst = [results[i]["seen_at"] - sent[i] for i in results]
    return {
        "submissions": submissions,
        "graded": len(graded),
        "full_marks": sum(b["score"] == b["max_score"] for b in graded),
        "lost": submissions - len(results),
        "idle_latency_p50_s": round(statistics.median(single), 3),
        "idle_latency_p95_s": round(percentile(single, 0.95), 3),
        "burst_latency_p50_s": round(percentile(burst, 0.5), 3),
        "burst_latency_p95_s": round(percentile(burst, 0.95), 3),
        "burst_server_latency_p95_s": round(
            percentile([server_latency(b) for b in graded], 0.95), 3
        ),
        "throughput_per_s": round(server_throughput(graded), 2),
        "sandbox_run_p50_s": round(statistics.median(b["duration"] for b in graded), 3),
        "cpu_ms_per_grading": cpu,
    }


def pipeline(args: argparse.Namespace, warm_containers: int) -> tuple[dict, object]:
    """The headline exercise and one exercise of each other grader, on a fresh server."""
    from lms import grading

    with tempfile.TemporaryDirectory() as tmp:
        server, pool, loaded = start_server(Path(tmp), args.workers, warm_containers)
        api = Api(f"http://127.0.0.1:{server.server_port}")
        api.token = api.call(
            "POST", "/api/v1/tokens", {"email": "bench@test.ma", "password": PASSWORD}
        )["token"]
        headline = loaded.exercises[EXERCISE]
        figures = {
            "exercise": EXERCISE,
            "workers": args.workers,
            "warm_containers": warm_containers,
            **measure(api, EXERCISE, headline.solution(), args.submissions, args.idle_runs),
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
        # The next measurement must not share the machine with this one's warm containers.
        grading.close_warm_pools()
    figures["per_grader"] = per_grader
    return figures, headline


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
    parser.add_argument("--idle-runs", type=int, default=3, help="submissions sent one by one")
    parser.add_argument(
        "--ceiling-runs", type=int, default=30, help="fresh containers per ceiling measurement"
    )
    parser.add_argument(
        "--warm", action="store_true", help="measure cold, then pre-warmed containers"
    )
    parser.add_argument("--warm-containers", type=int, default=2, help="per image and limits")
    args = parser.parse_args()
    if args.warm and args.idle_runs < 10:
        args.idle_runs = 10  # a p95 needs more than three samples

    cold, headline = pipeline(args, 0)
    warm = pipeline(args, args.warm_containers)[0] if args.warm else None

    from lms import grading

    bare = bare_pytest(headline.directory, args.baseline_runs)
    image = grading.get("python").image
    docker_times = trivial_docker(image, args.baseline_runs)
    bare_p50 = round(statistics.median(bare), 3)
    learner_p50 = round(statistics.median(learner_process(image, headline.directory, 10)), 3)
    cores = os.cpu_count() or 1
    ceilings = {
        name: round(
            box_ceiling(image, headline.directory, command, args.ceiling_runs, args.workers)
            / cores,
            2,
        )
        for name, command in (("box_true", ["true"]), ("box_pytest", ["sh", "-c", BOX_PYTEST]))
    }
    ceilings["docker_container_true"] = round(
        container_ceiling(image, args.ceiling_runs, args.workers) / cores, 2
    )
    for figures in filter(None, (cold, warm)):
        figures["baseline_bare_pytest_p50_s"] = bare_p50
        figures["baseline_docker_run_true_p50_s"] = round(statistics.median(docker_times), 3)
        figures["idle_latency_over_bare_pytest"] = round(
            figures["idle_latency_p50_s"] / bare_p50, 2
        )
        figures["idle_latency_over_docker_run_true"] = round(
            figures["idle_latency_p50_s"] / figures["baseline_docker_run_true_p50_s"], 2
        )
        figures["gradings_per_second_per_core"] = round(figures["throughput_per_s"] / cores, 2)
        figures["ceilings_per_second_per_core"] = ceilings
        figures["share_of_box_pytest_ceiling"] = round(
            figures["gradings_per_second_per_core"] / ceilings["box_pytest"], 2
        )
        figures["learner_process_s"] = learner_p50
    if warm is None:
        print(json.dumps(cold))
        return
    print(
        json.dumps(
            {
                "gradings_per_second_per_core": warm["gradings_per_second_per_core"],
                "p50_latency_s": warm["idle_latency_p50_s"],
                "p95_latency_s": warm["idle_latency_p95_s"],
                "bare_p50_s": bare_p50,
                "p50_over_bare": round(warm["idle_latency_p50_s"] / bare_p50, 2),
                "burst_latency_p50_s": warm["burst_latency_p50_s"],
                "burst_latency_p95_s": warm["burst_latency_p95_s"],
                "cpu_count": cores,
                "ceilings_per_second_per_core": ceilings,
                "share_of_box_pytest_ceiling": warm["share_of_box_pytest_ceiling"],
                "cpu_ms_per_grading": warm["cpu_ms_per_grading"],
                "learner_process_s": learner_p50,
                "cold": {
                    "gradings_per_second_per_core": cold["gradings_per_second_per_core"],
                    "cpu_ms_per_grading": cold["cpu_ms_per_grading"],
                    "p50_latency_s": cold["idle_latency_p50_s"],
                    "p95_latency_s": cold["idle_latency_p95_s"],
                    "burst_latency_p50_s": cold["burst_latency_p50_s"],
                    "burst_latency_p95_s": cold["burst_latency_p95_s"],
                },
                "warm": warm,
                "cold_details": cold,
            }
        )
    )


if __name__ == "__main__":
    main()
