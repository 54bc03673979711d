"""Page throughput of the pages learners, trainers and companies use, beside two baselines.

    .venv/bin/python bench/pages.py [--requests 200] [--concurrency 4]

Starts the LMS as production on one machine would (`lms init --demo`, then `lms run`: werkzeug's
threaded server; gunicorn is not a dependency) on a fresh instance folder, listening on
127.0.0.1 only, with grading off (nothing is submitted). Signs in the demo accounts with real
sessions (CSRF token read from the login form), then, page after page, sends N GETs from C
client threads and measures requests/second and p50/p95 latency. Every response must be a 200:
redirects are not followed (a lost session would otherwise look like a fast login page), and
anything else is counted as an error, never dropped. Baselines: a static file, and the
anonymous login page. Each page stops early at --max-seconds-per-page.
Prints a table, then its figures as one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
TRACK = "python-backend"
DEMO_PASSWORD = "demo1234"  # lms/admin/demo.py
ACCOUNTS = {role: f"{role}@demo.test" for role in ("learner", "trainer", "company")}
REQUEST_TIMEOUT = 15.0
WARMUP = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into an HTTPError, so that it is seen and counted."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """One user's browser: a cookie jar (empty for an anonymous visitor), no redirects."""

    def __init__(self, base: str, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.base = base
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.anonymous = jar is None
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str, data: bytes | None = None) -> tuple[int | str, bytes, str]:
        """(status, body, Location) for one request; a failed connection is a string status."""
        if self.anonymous:
            self.jar.clear()  # each anonymous request is a new visitor
        try:
            with self.opener.open(self.base + path, data, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read(), ""
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read(), exc.headers.get("Location", "")
        except (OSError, http.client.HTTPException) as exc:
            return f"{type(exc).__name__}: {exc}", b"", ""

    def page(self, path: str) -> str:
        status, body, location = self.get(path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {location}".strip())
        return body.decode()


def links(html: str, pattern: str) -> list[str]:
    """Same-site hrefs matching ``pattern`` (a full match), in page order, without repeats."""
    found = re.findall(r'href="(/[^"#?]*)"', html)
    return list(dict.fromkeys(h for h in found if re.fullmatch(pattern, h)))


def sign_in(base: str, email: str) -> Client:
    client = Client(base, http.cookiejar.CookieJar())
    form = client.page("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    if token is None:
        raise SystemExit("no CSRF token in the login form")
    data = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": email, "password": DEMO_PASSWORD}
    ).encode()
    status, _, location = client.get("/login", data)
    if status != 302 or "/login" in location:
        raise SystemExit(f"sign-in as {email} failed: {status} {location}")
    return client  # discover() then reads each role's own pages with it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def lms_command() -> list[str]:
    script = Path(sys.executable).with_name("lms")
    if script.exists():
        return [str(script)]
    found = shutil.which("lms")
    if found is None:
        raise SystemExit("the `lms` command is not installed (pip install -e .)")
    return [found]


def start_server(instance: Path) -> tuple[subprocess.Popen, str, Path]:
    """`lms init --demo` then `lms run` on a free port of 127.0.0.1; returns once it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(LMS_INSTANCE_DIR=str(instance), LMS_GRADING="off")
    lms = lms_command()
    init = subprocess.run(
        [*lms, "init", "--demo"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    if init.returncode:
        raise SystemExit(f"lms init --demo failed:\n{init.stdout}{init.stderr}")
    port = free_port()
    log = instance / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*lms, "run", "--host", HOST, "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"lms run exited ({server.returncode}):\n{log.read_text()}")
        if Client(base).get("/login")[0] == 200:
            return server, base, log
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"lms run did not answer within 60 s:\n{log.read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def discover(base: str) -> dict[str, tuple[Client, str]]:
    """Sign in and find, by following the site's own links, one page of each kind."""
    users = {role: sign_in(base, email) for role, email in ACCOUNTS.items()}
    learner = users["learner"]
    lessons = links(learner.page(f"/learn/{TRACK}"), rf"/learn/{TRACK}/[^/]+/[^/]+")
    if not lessons:
        raise SystemExit(f"no lesson linked from /learn/{TRACK}")
    exercise = next(
        (
            found[0]
            for lesson in lessons
            if (found := links(learner.page(lesson), rf"/exercises/{TRACK}/[^/]+"))
        ),
        None,
    )
    if exercise is None:
        raise SystemExit(f"no exercise linked from the lessons of {TRACK}")
    teams = links(learner.page("/projects"), r"/projects/teams/\d+")
    if not teams:
        raise SystemExit("the demo learner has no team linked from /projects")
    cohorts = links(users["trainer"].page("/trainer/cohorts"), r"/trainer/cohorts/\d+")
    if not cohorts:
        raise SystemExit("the demo trainer has no cohort linked from /trainer/cohorts")
    anonymous = Client(base)
    return {
        "static": (anonymous, "/static/css/app.css"),
        "login": (anonymous, "/login"),
        "learner_home": (learner, "/"),
        "lesson": (learner, lessons[0]),
        "exercise": (learner, exercise),
        "projects": (learner, "/projects"),
        "team": (learner, teams[0]),
        "trainer_cohort": (users["trainer"], cohorts[0]),
        "company_briefs": (users["company"], "/company/briefs"),
    }


def hammer(client: Client, path: str, requests: int, concurrency: int, max_seconds: float):
    """``requests`` GETs of ``path`` from ``concurrency`` threads, each with its own opener
    (and, for a signed-in user, a copy of the session cookie)."""
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        nonlocal issued
        jar = None
        if not client.anonymous:
            jar = http.cookiejar.CookieJar()
            for cookie in client.jar:
                jar.set_cookie(cookie)
        own = Client(client.base, jar)
        while True:
            with lock:
                if issued >= requests or time.monotonic() >= deadline:
                    return
                issued += 1
            started = time.perf_counter()
            status, _, location = own.get(path)
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    key = f"{status} {location}".strip()
                    errors[key] = errors.get(key, 0) + 1

    for _ in range(WARMUP):
        client.get(path)
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": issued,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(1000 * percentile(latencies, 0.5), 1) if latencies else None,
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1) if latencies else None,
        "errors": sum(errors.values()),
    }, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="GETs per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument(
        "--max-seconds-per-page",
        type=float,
        default=20.0,
        help="stop sending a page's requests after this long (the count shows it)",
    )
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1:
        parser.error("--requests and --concurrency must be at least 1")

    began = time.perf_counter()
    pages: dict[str, dict] = {}
    paths: dict[str, str] = {}
    error_samples: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        server, base, log = start_server(Path(tmp))
        try:
            for name, (client, path) in discover(base).items():
                paths[name] = path
                pages[name], errors = hammer(
                    client, path, args.requests, args.concurrency, args.max_seconds_per_page
                )
                if errors:
                    error_samples[name] = errors
            if server.poll() is not None:
                raise SystemExit(f"lms run died during the run:\n{log.read_text()}")
        finally:
            stop_server(server)

    static_rps = pages["static"]["rps"]
    ratios = {
        name: round(figures["rps"] / static_rps, 3) if static_rps else None
        for name, figures in pages.items()
    }
    print(
        f"{'page':<16} {'path':<58} {'done':>5} {'err':>4} {'rps':>7} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'/static':>7}"
    )
    for name, figures in pages.items():
        print(
            f"{name:<16} {paths[name][:58]:<58} {figures['requests']:>5} {figures['errors']:>4} "
            f"{figures['rps']:>7} {figures['p50_ms']!s:>7} {figures['p95_ms']!s:>7} "
            f"{ratios[name]!s:>7}"
        )
    for name, errors in error_samples.items():
        print(f"errors on {name}: {errors}")
    werkzeug = metadata.version("werkzeug")
    figures = {
        "pages": pages,
        "baseline_static_rps": static_rps,
        "ratios": ratios,
        "server": (
            f"`lms run`: werkzeug {werkzeug} run_simple(threaded=True), one thread per "
            "connection, one process, LMS_GRADING=off, SQLite, fresh instance with "
            "`lms init --demo` (gunicorn is not a dependency)"
        ),
        "client": "urllib, new connection per request, redirects counted as errors",
        "requests_per_page": args.requests,
        "concurrency": args.concurrency,
        "paths": paths,
        "error_samples": error_samples,
        "cpus": os.cpu_count(),
        "elapsed_s": round(time.perf_counter() - began, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
