"""Web throughput under gunicorn: the lesson page and the submission API beside a minimal Flask
endpoint measured in the same run.

    .venv/bin/python bench/web.py [--seconds 15] [--concurrency 16] [--postgres]
                                  [--workers N] [--threads N] [--no-werkzeug]

Makes a fresh instance with `lms init --demo` (SQLite in a temporary folder, or with --postgres
a throw-away database on the local server, $LMS_TEST_POSTGRES), starts
`gunicorn -c gunicorn.conf.py wsgi:app` on a free port of 127.0.0.1 with LMS_GRADING=off (a
submission is only queued, as on a production web node), signs in the demo learner (session
cookie) and takes an API token, then for each endpoint runs C client threads for S seconds,
each thread on its own keep-alive connection:

- ``baseline``: ``GET /health`` (a Flask view that touches nothing): the ceiling of this server
  and this client on this machine;
- ``lesson``: ``GET /learn/<track>/<module>/<lesson>`` as the signed-in learner;
- ``submit``: ``POST /api/v1/exercises/<track>/<slug>/submissions`` with the bearer token.

Then, unless --no-werkzeug, the lesson page and the baseline again under `lms run` (werkzeug,
what bench/pages.py measures) on the same instance. Any status but the expected one is an
error, counted, never dropped. The client runs on the same machine, so the figures are a lower
bound on a quiet server, and noisy on a shared one. Prints a table, then one JSON object on the
last line with each endpoint's ratio to the baseline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TRACK = "python-backend"
DEMO_PASSWORD = "demo1234"  # lms/admin/demo.py
LEARNER = "learner@demo.test"
POSTGRES_SERVER = os.environ.get(
    "LMS_TEST_POSTGRES", "postgresql://lms:lms@127.0.0.1:5432/postgres"
)
REQUEST_TIMEOUT = 30.0
WARMUP_SECONDS = 3.0
#: Errors of a keep-alive connection the server closed while idle: retried once on a new one.
DROPPED = {"RemoteDisconnected", "ConnectionResetError", "BrokenPipeError"}


# The server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A new empty database on the local PostgreSQL server, dropped afterwards."""
    import psycopg

    name = f"lms_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def instance_env(instance: Path, database_url: str | None, grading: str = "off") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(LMS_INSTANCE_DIR=str(instance), LMS_GRADING=grading)
    if database_url:
        env["LMS_DATABASE_URL"] = database_url
    return env


def lms(env: dict, *args: str) -> subprocess.CompletedProcess:
    """`lms <args>` on the instance ``env`` points to, its output captured."""
    return subprocess.run(
        [str(BIN / "lms"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def init_demo(env: dict) -> None:
    done = lms(env, "init", "--demo")
    if done.returncode:
        raise SystemExit(f"lms init --demo failed:\n{done.stdout}{done.stderr}")


@contextmanager
def serving(command: list[str], env: dict, log: Path) -> Iterator[str]:
    """Run a server command (it must listen on $PORT's address); yield its base URL once
    /health answers; always stop it (SIGTERM, then SIGKILL)."""
    with log.open("ab") as out:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://{env['BENCH_ADDRESS']}"
        deadline = time.monotonic() + 60
        while request(base, "GET", "/health")[0] != 200:
            if server.poll() is not None:
                raise SystemExit(f"{command[0]} exited ({server.returncode}):\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise SystemExit(f"{command[0]} did not answer within 60 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
        if server.poll() is not None:
            raise SystemExit(f"{command[0]} died during the run:\n{log.read_text()}")
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def gunicorn(env: dict, log: Path, workers: int | None = None, threads: int | None = None):
    port = free_port()
    env = {**env, "LMS_WEB_BIND": f"{HOST}:{port}", "BENCH_ADDRESS": f"{HOST}:{port}"}
    if workers:
        env["LMS_WEB_WORKERS"] = str(workers)
    if threads:
        env["LMS_WEB_THREADS"] = str(threads)
    env["LMS_WEB_ACCESS_LOG"] = "/dev/null"  # the log line per request is not what we measure
    # No recycling mid-run: a restarted process would reload the content inside the window.
    env["LMS_WEB_MAX_REQUESTS"] = "0"
    return serving([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], env, log)


def werkzeug(env: dict, log: Path):
    port = free_port()
    env = {**env, "BENCH_ADDRESS": f"{HOST}:{port}"}
    return serving([str(BIN / "lms"), "run", "--host", HOST, "--port", str(port)], env, log)


# The client ---------------------------------------------------------------------------------


def request(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int | str, bytes, http.client.HTTPMessage | None]:
    """(status, body, headers); a failed connection gives a string status, never raises."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response.headers
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        return f"{type(exc).__name__}", b"", None
    finally:
        if own:
            conn.close()


def sign_in(base: str, email: str = LEARNER) -> str:
    """The session cookie of a signed-in user ("session=...")."""
    status, page, headers = request(base, "GET", "/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    cookie = headers.get("Set-Cookie", "").split(";", 1)[0] if headers else ""
    if status != 200 or token is None:
        raise SystemExit(f"no login form: {status}")
    form = urllib.parse.urlencode(
        {"csrf_token": token[1].decode(), "email": email, "password": DEMO_PASSWORD}
    ).encode()
    status, _, headers = request(
        base,
        "POST",
        "/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    if status != 302 or "/login" in headers.get("Location", ""):
        raise SystemExit(f"sign-in as {email} failed: {status}")
    return headers["Set-Cookie"].split(";", 1)[0]


def api_token(base: str, email: str = LEARNER) -> str:
    body = json.dumps({"email": email, "password": DEMO_PASSWORD}).encode()
    status, answer, _ = request(
        base, "POST", "/api/v1/tokens", body, {"Content-Type": "application/json"}
    )
    if status != 201:
        raise SystemExit(f"no API token for {email}: {status} {answer[:200]!r}")
    return json.loads(answer)["token"]


def first_lesson(base: str, cookie: str) -> str:
    status, page, _ = request(base, "GET", f"/learn/{TRACK}", headers={"Cookie": cookie})
    found = re.search(rf'href="(/learn/{TRACK}/[^/"]+/[^/"]+)"'.encode(), page)
    if status != 200 or found is None:
        raise SystemExit(f"no lesson linked from /learn/{TRACK}: {status}")
    return found[1].decode()


def an_exercise(base: str, token: str) -> tuple[str, dict[str, str]]:
    """(submissions path, files) for the track's first exercise, from the API itself."""
    status, answer, _ = request(
        base, "GET", "/api/v1/exercises", headers={"Authorization": f"Bearer {token}"}
    )
    if status != 200:
        raise SystemExit(f"GET /api/v1/exercises: {status}")
    exercise = next(e for e in json.loads(answer) if e["id"].startswith(f"{TRACK}/"))
    files = dict.fromkeys(exercise["files"], "# benchmark submission\n")
    return f"/api/v1/exercises/{exercise['id']}/submissions", files


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    path: str
    expected: int
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


def percentile(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def hammer(base: str, target: Target, seconds: float, concurrency: int) -> dict:
    """``concurrency`` threads, each on its own keep-alive connection, for ``seconds``."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    netloc = urllib.parse.urlsplit(base).netloc
    deadline = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(netloc, timeout=REQUEST_TIMEOUT)
        mine: list[float] = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status, _, _ = request(
                base, target.method, target.path, target.body, target.headers, conn
            )
            if status in DROPPED:
                status, _, _ = request(
                    base, target.method, target.path, target.body, target.headers, conn
                )
            elapsed = time.perf_counter() - started
            if status == target.expected:
                mine.append(elapsed)
            else:
                with lock:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()

    def ms(q: float) -> float | None:
        value = percentile(latencies, q)
        return None if value is None else round(1000 * value, 1)

    return {
        "requests": len(latencies) + sum(errors.values()),
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": ms(0.5),
        "p95_ms": ms(0.95),
        "p99_ms": ms(0.99),
        "errors": sum(errors.values()),
        "error_kinds": errors,
    }


def targets(base: str) -> list[Target]:
    cookie = sign_in(base)
    token = api_token(base)
    submissions, files = an_exercise(base, token)
    return [
        Target("baseline", "GET", "/health", 200),
        Target("lesson", "GET", first_lesson(base, cookie), 200, {"Cookie": cookie}),
        Target(
            "submit",
            "POST",
            submissions,
            202,
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            json.dumps({"files": files}).encode(),
        ),
    ]


# The run ------------------------------------------------------------------------------------


def measure(base: str, chosen: list[Target], seconds: float, concurrency: int) -> dict:
    """Each target after an unmeasured warm-up at the same concurrency, long enough for every
    server process to have loaded the content and compiled its templates."""
    results = {}
    for target in chosen:
        hammer(base, target, min(WARMUP_SECONDS, seconds), concurrency)
        results[target.name] = {"path": target.path, **hammer(base, target, seconds, concurrency)}
    return results


def print_table(server: str, results: dict) -> None:
    for name, r in results.items():
        print(
            f"{server:<9} {name:<9} {r['path'][:44]:<44} {r['requests']:>7} {r['errors']:>4} "
            f"{r['rps']:>8} {r['p50_ms']!s:>7} {r['p95_ms']!s:>7} {r['p99_ms']!s:>7}"
        )


def ratios(results: dict) -> dict:
    base = results["baseline"]["rps"]
    return {name: round(r["rps"] / base, 3) if base else None for name, r in results.items()}


def run(args: argparse.Namespace, database_url: str | None, tmp: Path) -> dict:
    env = instance_env(tmp / "instance", database_url)
    init_demo(env)
    log = tmp / "server.log"
    with gunicorn(env, log, args.workers, args.threads) as base:
        chosen = targets(base)
        figures = {"gunicorn": measure(base, chosen, args.seconds, args.concurrency)}
    if not args.no_werkzeug:
        with werkzeug(env, log) as base:
            chosen = [t for t in targets(base) if t.name in {"baseline", "lesson"}]
            figures["werkzeug"] = measure(base, chosen, args.seconds, args.concurrency)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0, help="per endpoint and server")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads")
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL database")
    parser.add_argument("--workers", type=int, help="gunicorn processes (default: the config's)")
    parser.add_argument("--threads", type=int, help="threads per gunicorn process")
    parser.add_argument("--no-werkzeug", action="store_true", help="skip the `lms run` figures")
    args = parser.parse_args()
    if args.seconds <= 0 or args.concurrency < 1:
        parser.error("--seconds and --concurrency must be positive")

    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            with throwaway_postgres() as url:
                figures = run(args, url, Path(tmp))
        else:
            figures = run(args, None, Path(tmp))

    print(
        f"{'server':<9} {'endpoint':<9} {'path':<44} {'done':>7} {'err':>4} {'rps':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    for server, results in figures.items():
        print_table(server, results)
    cpus = os.cpu_count() or 1
    summary = {
        "servers": figures,
        "ratios_to_baseline": {server: ratios(results) for server, results in figures.items()},
        "database": "postgresql" if args.postgres else "sqlite",
        "gunicorn": {
            "workers": args.workers or 2 * cpus + 1,
            "threads": args.threads or 4,
            "worker_class": "gthread",
        },
        "grading": "off (submissions only queued)",
        "client": "http.client, one keep-alive connection per thread, same machine",
        "seconds_per_endpoint": args.seconds,
        "concurrency": args.concurrency,
        "cpus": cpus,
        "load_average": os.getloadavg()[0],
        "elapsed_s": round(time.perf_counter() - began, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
