"""Health checks and Prometheus metrics for operators.

- ``GET /health``: liveness. 200 without touching the database: the process answers.
- ``GET /health/ready``: readiness. 200 when the database answers ``SELECT 1``, else 503; a load
  balancer takes the node out of rotation meanwhile.
- ``GET /metrics``: the grading queue in the Prometheus text format (version 0.0.4, written by
  ``prometheus_client``), for a bearer token equal to ``LMS_METRICS_TOKEN`` or for a direct
  request from the loopback address (a scraper on the same host); 404 otherwise when no token
  is configured, 403 when one is. A request that came through a proxy
  (``X-Forwarded-For``/``Forwarded``) is never "local", so a reverse proxy on the same host
  does not make the endpoint public. While the database is down it answers 503, like any page.

Every figure comes from the ``submissions`` table, the queue's source of truth, in a handful of
aggregate queries. Worker health is inferred from it: ``worker`` ("host:pid:thread") is set
while a submission is held and cleared when its result is written, so "workers seen" counts the
worker processes holding a submission started in the last few minutes. An idle worker is
invisible; alert on the age of the oldest queued submission, not on a worker count of 0.

Beside them, one per-process counter (requests by status code), summed over gunicorn's worker
processes through prometheus_client's multiprocess mode; see "Exposition" below.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import prometheus_client
from flask import Blueprint, Response, abort, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
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
# What prometheus_client answers a scraper that negotiates nothing (its ``choose_encoder``), and
# what this endpoint always answered. Not ``CONTENT_TYPE_LATEST``: since prometheus_client 0.23
# that names text format 1.0.0, which the library only sends with an ``escaping`` parameter to
# scrapers that ask for it.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4


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
#
# Two kinds of metrics, registered in two different places on purpose:
#
# - The queue's gauges are the same whoever reads them: they come from the database. They are
#   a custom collector (``QueueCollector``) put only in the registry built for one scrape, so
#   the process that answers runs the aggregate queries once and reports them once. Were they
#   gauges set by each gunicorn worker, multiprocess mode would keep one copy per process and
#   sum them (or need a max mode, and go stale in an idle worker).
# - Counters of what one process did (``HTTP_REQUESTS``) are per-process state. Under gunicorn
#   (``PROMETHEUS_MULTIPROC_DIR`` set, see gunicorn.conf.py) each worker writes them to its own
#   file in that directory, and ``MultiProcessCollector`` adds up every file, those of recycled
#   workers included, at scrape time. There they are not registered in the scrape registry
#   too (the answering process would report its own share beside the sum); without the
#   directory (``lms run``, tests) there is one process, and the registry holds them itself.
#
# prometheus_client's default ``REGISTRY`` is not used: its process and GC collectors cannot be
# summed across processes, and this endpoint never exported them.

#: Requests answered by this process, by status code; added up over all the web processes.
HTTP_REQUESTS = prometheus_client.Counter(
    "lms_http_requests",
    "HTTP requests answered, by status code, summed over the web processes.",
    ["code"],
    registry=None,
)


class QueueCollector(Collector):
    """The grading queue's gauges, read from ``submissions`` when a scrape asks for them."""

    def __init__(self, max_attempts: int) -> None:
        self.max_attempts = max_attempts

    def collect(self) -> Iterator[Metric]:
        # A database error propagates: generate_latest lets it through, and the app's handler
        # answers 503 (lms.errors), as for any page while the database is down.
        yield from queue_metrics(queue_figures(self.max_attempts))


def queue_metrics(figures: QueueFigures) -> list[Metric]:
    """The figures as metric families: names, labels and help texts are the scrapers' contract
    (alerts and dashboards refer to them; see docs/deployment.md, "Monitoring")."""
    window = int(LATENCY_WINDOW.total_seconds())
    recent = int(THROUGHPUT_WINDOW.total_seconds())
    seen = int(WORKER_WINDOW.total_seconds())

    depth = GaugeMetricFamily(
        "lms_queue_depth", "Unfinished submissions by state.", labels=["state"]
    )
    for state, count in figures.depth.items():
        depth.add_metric([state], count)
    latency = GaugeMetricFamily(
        "lms_grading_phase_seconds",
        f"Phase latency quantiles over gradings finished in the last {window} s "
        "(NaN when none finished).",
        labels=["phase", "quantile"],
    )
    for phase, quantiles in figures.latencies.items():
        for q, value in quantiles.items():
            latency.add_metric([phase, str(q)], math.nan if value is None else value)
    held = GaugeMetricFamily(
        "lms_grading_worker_submissions",
        "Submissions each seen worker process holds.",
        labels=["worker"],
    )
    for worker, count in sorted(figures.workers.items()):
        held.add_metric([worker], count)

    def gauge(name: str, help_text: str, value: float) -> GaugeMetricFamily:
        return GaugeMetricFamily(name, help_text, value=value)

    return [
        depth,
        gauge(
            "lms_queue_oldest_queued_seconds",
            "Age of the oldest queued submission (0 when the queue is empty).",
            figures.oldest_queued_seconds,
        ),
        latency,
        gauge(
            "lms_grading_phase_samples",
            f"Gradings finished in the last {window} s that the quantiles summarise.",
            figures.latency_samples,
        ),
        gauge(
            "lms_gradings_finished_recent",
            f"Submissions graded in the last {recent} s.",
            figures.finished_recently,
        ),
        gauge(
            "lms_grading_errors_recent",
            f"Submissions that failed for good (attempts exhausted) in the last {recent} s.",
            figures.errors_recently,
        ),
        gauge(
            "lms_grading_leases_expired",
            "Running submissions whose lease ran out (their worker stopped).",
            figures.lease_expired,
        ),
        gauge(
            "lms_grading_lease_overdue_seconds",
            "How long the oldest expired lease has waited to be taken back (0 when none); "
            "takeover after a worker's death is the lease term plus this.",
            figures.lease_overdue_seconds,
        ),
        gauge(
            "lms_grading_workers_seen",
            f"Worker processes (host:pid) holding a submission started in the last {seen} s.",
            len(figures.workers),
        ),
        held,
    ]


def multiprocess_directory() -> str | None:
    """The directory the web processes share their counters in (gunicorn), or None."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def scrape_registry(max_attempts: int) -> CollectorRegistry:
    """A registry for one scrape (see the comment above on what goes where)."""
    registry = CollectorRegistry()
    if multiprocess_directory():
        MultiProcessCollector(registry)
    else:
        registry.register(HTTP_REQUESTS)
    registry.register(QueueCollector(max_attempts))
    return registry


@bp.after_app_request
def count_request(response: Response) -> Response:
    """Count every response of the app, error pages included."""
    HTTP_REQUESTS.labels(code=str(response.status_code)).inc()
    return response


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
    """The grading queue's figures and the request counts for Prometheus; 403/404 for callers
    without access, 503 while the database is down."""
    check_metrics_access()
    body = generate_latest(scrape_registry(current_app.config["LMS_MAX_ATTEMPTS"]))
    return Response(body, content_type=CONTENT_TYPE)
