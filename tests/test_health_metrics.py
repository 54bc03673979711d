"""Health checks and the Prometheus metrics: formats, access rules, the figures on a small
hand-made queue, on SQLite and PostgreSQL, and prometheus_client's multiprocess mode (two
processes, then gunicorn's workers): counters add up, the queue's gauges are reported once."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert

from lms import create_app
from lms.extensions import db
from lms.metrics import queue_figures
from lms.models import Submission, SubmissionStatus
from lms.models.base import utcnow
from tests.conftest import TEST_SETTINGS
from tests.test_gunicorn import BIN, ROOT, free_port, plain, wait_until_up

EXERCISE = "python-backend/somme-liste"
SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?P<labels>\{[^{}]*\})? (?P<value>NaN|-?[0-9.e+-]+)$")
REMOTE = {"REMOTE_ADDR": "203.0.113.7"}
#: The gauges read from the submissions table: the scrapers' contract (docs/deployment.md).
QUEUE_GAUGES = (
    "lms_queue_depth",
    "lms_queue_oldest_queued_seconds",
    "lms_grading_phase_seconds",
    "lms_grading_phase_samples",
    "lms_gradings_finished_recent",
    "lms_grading_errors_recent",
    "lms_grading_leases_expired",
    "lms_grading_lease_overdue_seconds",
    "lms_grading_workers_seen",
    "lms_grading_worker_submissions",
)


@pytest.fixture
def now():
    return utcnow().replace(microsecond=0)


@pytest.fixture
def add_submission(app, learner):
    """Factory: one submission row in a given state, timestamps as given."""

    def factory(status: SubmissionStatus, **values) -> Submission:
        values.setdefault("queued_at", utcnow())
        submission = Submission(
            learner_id=learner.id,
            exercise_id=EXERCISE,
            content_commit="test",
            files={"solution.py": ""},
            code_hash="0" * 64,
            status=status,
            max_score=10,
            available_at=values["queued_at"],
            **values,
        )
        db.session.add(submission)
        db.session.commit()
        return submission

    return factory


@pytest.fixture
def small_queue(add_submission, now):
    """Two queued, three running (one whose worker died), two errors, five graded."""
    add_submission(SubmissionStatus.QUEUED, queued_at=now - timedelta(seconds=120))
    add_submission(SubmissionStatus.QUEUED, queued_at=now - timedelta(seconds=30))
    for thread in (1, 2):
        add_submission(
            SubmissionStatus.RUNNING,
            queued_at=now - timedelta(seconds=70),
            started_at=now - timedelta(seconds=60),
            worker=f"host-a:11:{thread}",
            lease_until=now + timedelta(seconds=60),
        )
    add_submission(
        SubmissionStatus.RUNNING,
        queued_at=now - timedelta(seconds=200),
        started_at=now - timedelta(seconds=180),
        worker="host-b:22:1",
        lease_until=now - timedelta(seconds=5),
    )
    add_submission(SubmissionStatus.ERROR, attempts=1)
    add_submission(
        SubmissionStatus.ERROR,
        attempts=3,
        queued_at=now - timedelta(seconds=100),
        started_at=now - timedelta(seconds=90),
        finished_at=now - timedelta(seconds=60),
    )
    # Four graded in the latency window: waits of 1-4 s, grading of 10-40 s; the last one
    # finished ten minutes ago, outside the five-minute throughput window.
    for n, ago in zip((1, 2, 3, 4), (60, 120, 180, 600), strict=True):
        finished = now - timedelta(seconds=ago)
        started = finished - timedelta(seconds=10 * n)
        add_submission(
            SubmissionStatus.GRADED,
            queued_at=started - timedelta(seconds=n),
            started_at=started,
            finished_at=finished,
            score=10,
        )
    # Graded long ago: in no window.
    add_submission(
        SubmissionStatus.GRADED,
        queued_at=now - timedelta(hours=2),
        started_at=now - timedelta(hours=1),
        finished_at=now - timedelta(minutes=30),
        score=10,
    )


def parse(exposition: str) -> dict[str, float]:
    """{'name{labels}': value}, checking that every sample follows its HELP and TYPE lines."""
    described: set[str] = set()
    samples = {}
    for line in exposition.splitlines():
        if line.startswith("# HELP "):
            described.add(line.split()[2])
        elif line.startswith("# TYPE "):
            assert line.split()[2] in described and line.split()[3] in {"gauge", "counter"}
        else:
            match = SAMPLE.match(line)
            assert match, f"not a Prometheus sample: {line!r}"
            assert match["name"] in described
            samples[match["name"] + (match["labels"] or "")] = float(match["value"])
    return samples


def families(exposition: str) -> dict[str, list]:
    """{family name: its samples}, parsed by prometheus_client's own parser; a family that
    appeared twice (a metric reported once per process) fails here."""
    parsed = list(text_string_to_metric_families(exposition))
    names = [family.name for family in parsed]
    assert len(names) == len(set(names)), f"a metric family appears twice: {names}"
    return {family.name: family for family in parsed}


def requests_by_code(exposition: str) -> dict[str, float]:
    counter = families(exposition)["lms_http_requests"]
    assert counter.type == "counter"
    return {s.labels["code"]: s.value for s in counter.samples if s.name.endswith("_total")}


# Health -------------------------------------------------------------------------------------


def test_liveness_answers_200(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readiness_answers_200_when_the_database_answers(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


# Figures ------------------------------------------------------------------------------------


def test_queue_figures_on_a_small_hand_made_queue(app, small_queue, now):
    figures = queue_figures(max_attempts=3, now=now)

    assert figures.depth == {"queued": 2, "running": 3, "error_retrying": 1, "error_final": 1}
    assert figures.oldest_queued_seconds == 120
    assert figures.latency_samples == 4
    # percentile_cont: the median of 1, 2, 3, 4 is 2.5; the 95th is 3 + 0.85 x (4 - 3).
    assert figures.latencies == {
        "queued_to_started": {0.5: 2.5, 0.95: 3.85},
        "started_to_finished": {0.5: 25.0, 0.95: 38.5},
    }
    assert figures.finished_recently == 3
    assert figures.errors_recently == 1
    assert figures.lease_expired == 1
    assert figures.lease_overdue_seconds == 5, "host-b's lease ran out 5 s ago"
    assert figures.workers == {"host-a:11": 2, "host-b:22": 1}


def test_queue_figures_of_an_empty_queue_are_zero_and_unknown_latencies(app, now):
    figures = queue_figures(max_attempts=3, now=now)

    assert set(figures.depth.values()) == {0}
    assert figures.oldest_queued_seconds == 0
    assert figures.latency_samples == 0
    assert figures.latencies["queued_to_started"] == {0.5: None, 0.95: None}
    assert (figures.lease_expired, figures.lease_overdue_seconds) == (0, 0)
    assert figures.workers == {}


def test_metrics_endpoint_speaks_the_prometheus_text_format(client, small_queue):
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.content_type == "text/plain; version=0.0.4; charset=utf-8"
    samples = parse(response.get_data(as_text=True))
    assert samples['lms_queue_depth{state="queued"}'] == 2
    assert samples['lms_queue_depth{state="error_retrying"}'] == 1
    assert 120 <= samples["lms_queue_oldest_queued_seconds"] < 180
    assert samples['lms_grading_phase_seconds{phase="started_to_finished",quantile="0.5"}'] == 25
    assert samples["lms_gradings_finished_recent"] == 3
    assert samples["lms_grading_errors_recent"] == 1
    assert samples["lms_grading_leases_expired"] == 1
    assert 5 <= samples["lms_grading_lease_overdue_seconds"] < 60
    assert samples["lms_grading_workers_seen"] == 2
    assert samples['lms_grading_worker_submissions{worker="host-a:11"}'] == 2


def test_metrics_of_an_empty_queue_report_nan_latencies(client):
    samples = parse(client.get("/metrics").get_data(as_text=True))

    latency = 'lms_grading_phase_seconds{phase="queued_to_started",quantile="0.95"}'
    assert samples[latency] != samples[latency]  # NaN
    assert samples["lms_grading_workers_seen"] == 0


def test_metrics_parse_with_prometheus_clients_parser_and_report_the_queue(client, small_queue):
    response = client.get("/metrics")
    found = families(response.get_data(as_text=True))

    assert set(QUEUE_GAUGES) <= found.keys()
    assert {found[name].type for name in QUEUE_GAUGES} == {"gauge"}
    assert found["lms_queue_depth"].documentation == "Unfinished submissions by state."

    def by_labels(name: str) -> dict[tuple[str, ...], float]:
        return {tuple(s.labels.values()): s.value for s in found[name].samples}

    def single(name: str) -> float:
        (sample,) = found[name].samples
        assert sample.labels == {}
        return sample.value

    assert by_labels("lms_queue_depth") == {
        ("queued",): 2,
        ("running",): 3,
        ("error_retrying",): 1,
        ("error_final",): 1,
    }
    assert by_labels("lms_grading_phase_seconds") == {
        ("queued_to_started", "0.5"): 2.5,
        ("queued_to_started", "0.95"): 3.85,
        ("started_to_finished", "0.5"): 25.0,
        ("started_to_finished", "0.95"): 38.5,
    }
    assert 120 <= single("lms_queue_oldest_queued_seconds") < 180
    assert single("lms_grading_phase_samples") == 4
    assert single("lms_gradings_finished_recent") == 3
    assert single("lms_grading_errors_recent") == 1
    assert single("lms_grading_leases_expired") == 1
    assert 5 <= single("lms_grading_lease_overdue_seconds") < 60
    assert single("lms_grading_workers_seen") == 2
    assert by_labels("lms_grading_worker_submissions") == {("host-a:11",): 2, ("host-b:22",): 1}


def test_metrics_count_the_requests_answered_by_status_code(client):
    before = requests_by_code(client.get("/metrics").get_data(as_text=True))
    client.get("/health")
    client.get("/no-such-page")
    after = requests_by_code(client.get("/metrics").get_data(as_text=True))

    # The first scrape counts too; a scrape is counted once answered, so not in itself.
    assert after["200"] - before.get("200", 0) == 2
    assert after["404"] - before.get("404", 0) == 1


def test_metrics_answer_503_while_the_database_is_down(tmp_path):
    """As every page: the scrape fails clearly (503, Retry-After), not with a 500 or a partial
    exposition. Nothing listens on the port: the driver's own "connection refused"."""
    unreachable = f"postgresql+psycopg://lms:lms@127.0.0.1:{free_port()}/lms"
    app = create_app(
        {**TEST_SETTINGS, "INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": unreachable}
    )

    response = app.test_client().get("/metrics")

    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "try again in a minute" in response.get_data(as_text=True)
    assert "lms_queue_depth" not in response.get_data(as_text=True)


# Multiprocess mode ----------------------------------------------------------------------------

#: One process of the app: GETs the paths given, prints the answer to /metrics.
SERVE = """
import json, sys
from lms import create_app
client = create_app(json.loads(sys.argv[1])).test_client()
for path in sys.argv[2:]:
    response = client.get(path)
    if path == "/metrics":
        sys.stdout.write(response.get_data(as_text=True))
"""


def serve(app_config: dict, directory: Path, *paths: str) -> str:
    """Run one process in multiprocess mode (the variable set before prometheus_client is
    imported, as gunicorn.conf.py does); its /metrics answer."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    done = subprocess.run(
        [sys.executable, "-c", SERVE, json.dumps(app_config), *paths],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_multiprocess_counters_add_up_and_the_queue_is_reported_once(
    app, app_config, small_queue, tmp_path
):
    directory = tmp_path / "prometheus"
    directory.mkdir()

    serve(app_config, directory, "/health", "/health", "/health", "/no-such-page")
    exposition = serve(app_config, directory, "/health", "/health", "/metrics")

    assert len(list(directory.glob("counter_*.db"))) == 2, "one file per process"
    # The exited process's requests are counted with the answering one's, each once.
    assert requests_by_code(exposition) == {"200": 5, "404": 1}
    # Two processes, one database: the queue's figures once, not summed over the processes.
    depth = families(exposition)["lms_queue_depth"].samples
    assert {s.labels["state"]: s.value for s in depth} == {
        "queued": 2,
        "running": 3,
        "error_retrying": 1,
        "error_final": 1,
    }
    assert len(depth) == 4


@pytest.fixture
def gunicorn_metrics(app, tmp_path):
    """gunicorn (two workers) on this test's database, with the default metrics directory (in
    the instance folder) holding a file left by an earlier run; (base URL, the master process,
    directory, log)."""
    directory = Path(app.instance_path) / "prometheus"
    directory.mkdir(parents=True)
    (directory / "counter_999999.db").write_bytes(b"an earlier run's counters")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LMS_") and k != "PROMETHEUS_MULTIPROC_DIR"
    }
    env.update(
        LMS_INSTANCE_DIR=app.instance_path,
        LMS_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        LMS_CONTENT_DIR=app.config["LMS_CONTENT_DIR"],
        LMS_SECRET_KEY="test-secret",
        LMS_GRADING="off",
        LMS_WEB_BIND=f"127.0.0.1:{port}",
        LMS_WEB_WORKERS="2",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server, log)
        yield base, server, directory, log
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def workers_of(master: subprocess.Popen) -> set[int]:
    path = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return {int(pid) for pid in path.read_text().split()}


def replace_worker(master: subprocess.Popen, pid: int, seconds: float = 30) -> None:
    """Stop one worker, as a recycling does, and wait for gunicorn to start its successor."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        workers = workers_of(master)
        if pid not in workers and len(workers) == 2:
            return
        time.sleep(0.1)
    pytest.fail(f"worker {pid} was not replaced within {seconds} s")


def test_gunicorn_workers_add_up_their_counters_and_report_the_queue_once(
    gunicorn_metrics, small_queue
):
    base, master, directory, log = gunicorn_metrics

    def get(path: str) -> str:
        with plain.open(base + path, timeout=10) as response:
            return response.read().decode()

    def scrape() -> str:
        with plain.open(base + "/metrics", timeout=10) as response:
            assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
            return response.read().decode()

    assert not (directory / "counter_999999.db").exists(), "emptied when gunicorn started"
    before = requests_by_code(scrape())["200"]
    for _ in range(6):
        get("/health")
    served = [p for p in workers_of(master) if (directory / f"counter_{p}.db").exists()]
    replace_worker(master, served[0])
    for _ in range(6):
        get("/health")
    exposition = scrape()

    # 12 requests and a scrape, through two workers and the successor of one: none lost with
    # the stopped worker, none counted twice, whichever worker answers.
    assert requests_by_code(exposition)["200"] == before + 13
    assert (directory / f"counter_{served[0]}.db").exists(), "a stopped worker's count is kept"
    depth = families(exposition)["lms_queue_depth"].samples
    assert {s.labels["state"]: s.value for s in depth}["queued"] == 2
    assert len(depth) == 4
    assert "Traceback" not in log.read_text()


# Access -------------------------------------------------------------------------------------


def test_metrics_are_hidden_from_remote_callers_when_no_token_is_set(client):
    assert client.get("/metrics", environ_base=REMOTE).status_code == 404


def test_metrics_relayed_by_a_proxy_on_the_same_host_are_not_local(client):
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 404


def test_metrics_need_the_bearer_token_from_remote_callers(app, client):
    app.config["LMS_METRICS_TOKEN"] = "scrape-me"

    assert client.get("/metrics", environ_base=REMOTE).status_code == 403
    wrong = {"Authorization": "Bearer guess"}
    assert client.get("/metrics", environ_base=REMOTE, headers=wrong).status_code == 403
    right = {"Authorization": "Bearer scrape-me"}
    assert client.get("/metrics", environ_base=REMOTE, headers=right).status_code == 200


def test_health_checks_need_no_token(app, client):
    app.config["LMS_METRICS_TOKEN"] = "scrape-me"

    assert client.get("/health", environ_base=REMOTE).status_code == 200
    assert client.get("/health/ready", environ_base=REMOTE).status_code == 200


# Cost ---------------------------------------------------------------------------------------


def test_metrics_stay_cheap_on_100k_submissions(app, learner, client, now):
    """~100k graded submissions spread over a month, and a small live queue: the scrape must
    stay well under a second (the figure is printed with -s)."""
    rows = [
        {
            "learner_id": learner.id,
            "exercise_id": EXERCISE,
            "content_commit": "bench",
            "files": {},
            "code_hash": "0" * 64,
            "status": SubmissionStatus.QUEUED if n % 10_000 == 0 else SubmissionStatus.GRADED,
            "max_score": 10,
            "attempts": 0,
            "queued_at": now - timedelta(seconds=26 * n + 5),
            "available_at": now - timedelta(seconds=26 * n + 5),
            "started_at": now - timedelta(seconds=26 * n + 3),
            "finished_at": now - timedelta(seconds=26 * n),
        }
        for n in range(100_000)
    ]
    db.session.execute(insert(Submission), rows)
    db.session.commit()
    client.get("/metrics")  # warm the pool and the planner's statistics

    started = time.perf_counter()
    response = client.get("/metrics")
    elapsed = time.perf_counter() - started

    print(f"\n/metrics on 100k submissions ({db.engine.dialect.name}): {elapsed * 1000:.0f} ms")
    assert response.status_code == 200
    assert parse(response.get_data(as_text=True))['lms_queue_depth{state="queued"}'] == 10
    assert elapsed < 1.0
