"""Health checks and Prometheus metrics for operators.

- ``GET /health``: liveness. 200 without touching the database: the process answers.
- ``GET /health/ready``: readiness. 200 when the database answers ``SELECT 1``, else 503; a load
  balancer takes the node out of rotation meanwhile.
- ``GET /metrics``: the grading queue in the Prometheus text format (version 0.0.4), for a
  bearer token equal to ``LMS_METRICS_TOKEN`` or for a direct request from the loopback
  address (a scraper on the same host); 404 otherwise when no token is configured, 403 when
  one is. A request that came through a proxy (``X-Forwarded-For``/``Forwarded``) is never
  "local", so a reverse proxy on the same host does not make the endpoint public.

Every figure comes from the ``submissions`` table, the queue's source of truth, in a handful of
aggregate queries. Worker health is inferred from it: ``worker`` ("host:pid:thread") is set
while a submission is held and cleared when its result is written, so "workers seen" counts the
worker processes holding a submission started in the last few minutes. An idle worker is
invisible; alert on the age of the oldest queued submission, not on a worker count of 0.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import ColumnElement, Float, cast, extract, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from lms.errors import discard_session
from lms.extensions import csrf, db
from lms.models import Submission, SubmissionStatus
from lms.models.base import utcnow

bp = Blueprint("metrics", __name__)
csrf.exempt(bp)

#: Finished gradings whose phase latencies are summarised.
LATENCY_WINDOW = timedelta(minutes=15)
#: The "recent" of "gradings finished recently".
THROUGHPUT_WINDOW = timedelta(minutes=5)
#: A worker holding a submission started within this is "seen".
WORKER_WINDOW = timedelta(minutes=10)
QUANTILES = (0.5, 0.95)
PHASES = ("queued_to_started", "started_to_finished")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


# Figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFigures:
    """One snapshot of the grading queue, as the metrics endpoint reports it."""

    #: Submissions per state: queued, running, error_retrying, error_final.
    depth: dict[str, int]
    oldest_queued_seconds: float
    #: {phase: {quantile: seconds}} over finished gradings of the latency window.
    latencies: dict[str, dict[float, float | None]]
    latency_samples: int
    finished_recently: int
    errors_recently: int
    lease_expired: int
    #: How long the most overdue of them has waited past its lease (0 when none): a dead
    #: worker's submission is taken back ``LMS_LEASE_SECONDS`` after its last beat plus this.
    lease_overdue_seconds: float
    #: {"host:pid": submissions it holds} for submissions started within the worker window.
    workers: dict[str, int] = field(default_factory=dict)


def queue_figures(max_attempts: int, now: datetime | None = None) -> QueueFigures:
    """Read the grading queue's figures: a handful of aggregate queries on ``submissions``."""
    now = now or utcnow()
    samples, latencies = phase_latencies(now - LATENCY_WINDOW)
    finished, errors = finished_since(now - THROUGHPUT_WINDOW)
    expired, overdue = expired_leases(now)
    return QueueFigures(
        depth=queue_depth(max_attempts),
        oldest_queued_seconds=oldest_queued_seconds(now),
        latencies=latencies,
        latency_samples=samples,
        finished_recently=finished,
        errors_recently=errors,
        lease_expired=expired,
        lease_overdue_seconds=overdue,
        workers=workers_seen(now - WORKER_WINDOW),
    )


def queue_depth(max_attempts: int) -> dict[str, int]:
    """Unfinished submissions by state. Graded rows (nearly all of them) are never counted:
    the filter on ``status`` uses ``ix_submissions_status_available``."""
    open_states = [SubmissionStatus.QUEUED, SubmissionStatus.RUNNING, SubmissionStatus.ERROR]
    retrying = Submission.attempts < max_attempts
    rows = db.session.execute(
        select(Submission.status, retrying, func.count())
        .where(Submission.status.in_(open_states))
        .group_by(Submission.status, retrying)
    )
    depth = dict.fromkeys(("queued", "running", "error_retrying", "error_final"), 0)
    for status, can_retry, count in rows:
        if status == SubmissionStatus.ERROR:
            depth["error_retrying" if can_retry else "error_final"] += count
        else:
            depth[status.value] += count
    return depth


def oldest_queued_seconds(now: datetime) -> float:
    """Age of the oldest queued submission (0 when none waits): the best single alarm."""
    oldest = db.session.scalar(
        select(func.min(Submission.queued_at)).where(Submission.status == SubmissionStatus.QUEUED)
    )
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def finished_since(since: datetime) -> tuple[int, int]:
    """(graded, failed for good) with ``finished_at`` after ``since``."""
    rows = db.session.execute(
        select(Submission.status, func.count())
        .where(Submission.finished_at >= since)
        .group_by(Submission.status)
    )
    counts = {status: count for status, count in rows}  # noqa: C416 - rows, not pairs
    return counts.get(SubmissionStatus.GRADED, 0), counts.get(SubmissionStatus.ERROR, 0)


def expired_leases(now: datetime) -> tuple[int, float]:
    """(how many, seconds the oldest is overdue) of the running submissions whose lease ran
    out: their worker died, and the reconciler has not taken them back yet."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(Submission.lease_until)).where(
            Submission.status == SubmissionStatus.RUNNING, Submission.lease_until < now
        )
    ).one()
    return count, max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def workers_seen(since: datetime) -> dict[str, int]:
    """{"host:pid": submissions held} over submissions started after ``since``."""
    held = db.session.scalars(
        select(Submission.worker).where(
            Submission.status == SubmissionStatus.RUNNING,
            Submission.started_at >= since,
            Submission.worker.is_not(None),
        )
    )
    return dict(Counter(worker.rsplit(":", 1)[0] for worker in held))


def phase_latencies(since: datetime) -> tuple[int, dict[str, dict[float, float | None]]]:
    """(samples, {phase: {quantile: seconds}}) over gradings finished after ``since``.

    PostgreSQL computes ``percentile_cont`` itself; SQLite has no ordered-set aggregate, so a
    window function ranks the durations and the two rows around each quantile are
    interpolated the way ``percentile_cont`` does, giving the same figures on both."""
    # Graded only: a failed attempt's timings say how long the platform took to fail.
    finished = (
        (Submission.finished_at >= since)
        & (Submission.status == SubmissionStatus.GRADED)
        & Submission.started_at.is_not(None)
    )
    durations = {
        "queued_to_started": seconds_between(Submission.queued_at, Submission.started_at),
        "started_to_finished": seconds_between(Submission.started_at, Submission.finished_at),
    }
    samples = db.session.scalar(select(func.count()).where(finished))
    if not samples:
        return 0, {phase: dict.fromkeys(QUANTILES) for phase in PHASES}
    if db.engine.dialect.name == "postgresql":
        return samples, {p: _percentile_cont(d, finished) for p, d in durations.items()}
    return samples, {p: _percentile_by_rank(d, finished, samples) for p, d in durations.items()}


def seconds_between(start: ColumnElement, end: ColumnElement) -> ColumnElement:
    if db.engine.dialect.name == "postgresql":
        return cast(extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _percentile_cont(duration: ColumnElement, where: ColumnElement) -> dict[float, float | None]:
    columns = [func.percentile_cont(q).within_group(duration) for q in QUANTILES]
    values = db.session.execute(select(*columns).where(where)).one()
    return {q: _rounded(v) for q, v in zip(QUANTILES, values, strict=True)}


def _percentile_by_rank(
    duration: ColumnElement, where: ColumnElement, samples: int
) -> dict[float, float | None]:
    ranked = select(
        cast(duration, Float).label("seconds"),
        (func.row_number().over(order_by=duration) - 1).label("rank"),
    ).where(where)
    ranked = ranked.subquery()
    positions = {q: q * (samples - 1) for q in QUANTILES}
    wanted = {r for p in positions.values() for r in (math.floor(p), math.ceil(p))}
    rows = db.session.execute(
        select(ranked.c.rank, ranked.c.seconds).where(ranked.c.rank.in_(wanted))
    )
    by_rank = {rank: seconds for rank, seconds in rows}  # noqa: C416 - rows, not pairs
    figures = {}
    for q, position in positions.items():
        low, high = by_rank[math.floor(position)], by_rank[math.ceil(position)]
        figures[q] = _rounded(low + (high - low) * (position - math.floor(position)))
    return figures


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


# Exposition ---------------------------------------------------------------------------------


def exposition(figures: QueueFigures) -> str:
    """The figures in the Prometheus text format, one HELP and TYPE line per metric."""
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        lines.extend(f"{name}{labels} {_number(value)}" for labels, value in samples)

    depth = [(f'{{state="{state}"}}', count) for state, count in figures.depth.items()]
    metric("lms_queue_depth", "gauge", "Unfinished submissions by state.", depth)
    metric(
        "lms_queue_oldest_queued_seconds",
        "gauge",
        "Age of the oldest queued submission (0 when the queue is empty).",
        [("", figures.oldest_queued_seconds)],
    )
    window = int(LATENCY_WINDOW.total_seconds())
    latency = [
        (f'{{phase="{phase}",quantile="{q}"}}', value)
        for phase, quantiles in figures.latencies.items()
        for q, value in quantiles.items()
    ]
    metric(
        "lms_grading_phase_seconds",
        "gauge",
        f"Phase latency quantiles over gradings finished in the last {window} s "
        "(NaN when none finished).",
        latency,
    )
    metric(
        "lms_grading_phase_samples",
        "gauge",
        f"Gradings finished in the last {window} s that the quantiles summarise.",
        [("", figures.latency_samples)],
    )
    recent = int(THROUGHPUT_WINDOW.total_seconds())
    metric(
        "lms_gradings_finished_recent",
        "gauge",
        f"Submissions graded in the last {recent} s.",
        [("", figures.finished_recently)],
    )
    metric(
        "lms_grading_errors_recent",
        "gauge",
        f"Submissions that failed for good (attempts exhausted) in the last {recent} s.",
        [("", figures.errors_recently)],
    )
    metric(
        "lms_grading_leases_expired",
        "gauge",
        "Running submissions whose lease ran out (their worker stopped).",
        [("", figures.lease_expired)],
    )
    metric(
        "lms_grading_lease_overdue_seconds",
        "gauge",
        "How long the oldest expired lease has waited to be taken back (0 when none); "
        "takeover after a worker's death is the lease term plus this.",
        [("", figures.lease_overdue_seconds)],
    )
    seen = int(WORKER_WINDOW.total_seconds())
    metric(
        "lms_grading_workers_seen",
        "gauge",
        f"Worker processes (host:pid) holding a submission started in the last {seen} s.",
        [("", len(figures.workers))],
    )
    held = [(f'{{worker="{_label(w)}"}}', n) for w, n in sorted(figures.workers.items())]
    metric(
        "lms_grading_worker_submissions",
        "gauge",
        "Submissions each seen worker process holds.",
        held,
    )
    return "\n".join(lines) + "\n"


def _number(value: float | None) -> str:
    if value is None:
        return "NaN"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


# Access -------------------------------------------------------------------------------------


def metrics_token() -> str | None:
    return current_app.config.get("LMS_METRICS_TOKEN") or os.environ.get("LMS_METRICS_TOKEN")


def is_local_request() -> bool:
    """A direct request from the loopback address, not relayed by a proxy on this host."""
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def check_metrics_access() -> None:
    """Abort unless the caller may read the metrics (see the module's docstring)."""
    token = metrics_token()
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
        return
    if is_local_request():
        return
    abort(403 if token else 404)


# Views ---------------------------------------------------------------------------------------


@bp.get("/health")
def health():
    """Liveness: 200 while the process can answer; never touches the database."""
    return jsonify(status="ok")


@bp.get("/health/ready")
def ready():
    """Readiness: 200 when the database answers, 503 (with the reason) when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except (DBAPIError, PoolTimeout) as exc:
        discard_session()
        current_app.logger.warning("readiness check failed: %s", exc)
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/metrics")
def metrics():
    """The grading queue's figures for Prometheus; 403/404 for callers without access."""
    check_metrics_access()
    figures = queue_figures(current_app.config["LMS_MAX_ATTEMPTS"])
    db.session.rollback()  # read-only: end the transaction at once
    return Response(exposition(figures), content_type=CONTENT_TYPE)
