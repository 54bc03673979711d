"""Health checks and the Prometheus metrics: formats, access rules, and the figures on a small
hand-made queue, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import insert

from lms.extensions import db
from lms.metrics import queue_figures
from lms.models import Submission, SubmissionStatus
from lms.models.base import utcnow

EXERCISE = "python-backend/somme-liste"
SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?P<labels>\{[^{}]*\})? (?P<value>NaN|-?[0-9.e+-]+)$")
REMOTE = {"REMOTE_ADDR": "203.0.113.7"}


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
