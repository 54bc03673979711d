"""The learner dashboard, the trainer cohort grid and the outcome reports at national scale.

    .venv/bin/python bench/national.py [--learners 15000] [--submissions-per-learner 300]
        [--repeat 20] [--with-proposed-indexes] [--keep]

Creates a throw-away PostgreSQL database (``LMS_TEST_POSTGRES`` names the server, as for the
tests), runs the migrations, and generates a national programme: the cohorts, learners,
enrolments, outcome records and certificates of bench/outcomes.py (12 operators, 12 regions,
6 tracks, cohorts of 25), a trainer for every two cohorts, an auditor, and about 300
submissions per learner spread over the exercises of the cohort's track as the content
repository defines them (lms.content), in time order across the whole programme (the heap
holds them as production would: interleaved), mostly graded with scores that rise with the
attempts, about 1 % platform errors, a few still queued, and re-grading batches in 10 % of the
cohorts. Submissions go in by COPY; then VACUUM ANALYZE, as autovacuum would have done.

Then renders the real pages through the test client, signed in through the login form:
the learner home page and a track page (different learners), the trainer cohort grid
(the trainers of different cohorts), the outcome dashboard as an auditor (each grouping in
turn), and calls ``reports.outcomes`` for the 180-day window and every grouping. Every page
records its SQL (a cursor event listener): queries per page, and their time beside the
page's. Baselines in the same run: ``SELECT 1`` and a primary-key lookup of one submission
through the same session, and the anonymous login page. Then EXPLAIN (ANALYZE, BUFFERS) of
each page's heaviest query, and for every query that reads submissions whether it does so by
an index or a sequential scan.

The indexes this bench proposed are in migration 0008. ``--with-proposed-indexes`` shows their
gain on the same data in one run: it first puts the schema back as it was before 0008
(BEFORE_0008), measures, creates them again (PROPOSED_INDEXES), analyses, and measures again.
Timings are wall-clock on a shared machine: read the ratios more than the milliseconds.
Prints tables, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import contextvars
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench import outcomes as programme  # noqa: E402
from lms import content, create_app  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.models import Cohort, Enrollment, Role, Submission, User, cohort_trainers  # noqa: E402
from lms.outcomes.reports import operations as reports  # noqa: E402
from lms.submissions.operations import code_hash  # noqa: E402

SERVER = programme.SERVER
AS_OF = programme.AS_OF
WAGE = programme.WAGE
#: "Now" for the generated programme: the day the outcome reports are computed for.
NOW = datetime.combine(AS_OF, datetime.min.time()) + timedelta(hours=9)
PASSWORD = "bench-password"
TARGET_MS = 100.0
COPY_CHUNK = 20_000
PROGRESS_EVERY = 250_000

#: What this bench proposes for submissions, applied in order under --with-proposed-indexes.
BEFORE_0008 = (
    "DROP INDEX IF EXISTS ix_submissions_learner_exercise_id",
    "DROP INDEX IF EXISTS ix_submissions_learner_errors",
    "DROP INDEX IF EXISTS ix_submissions_learner_regrades",
    "CREATE INDEX IF NOT EXISTS ix_submissions_learner_exercise"
    " ON submissions (learner_id, exercise_id)",
)
PROPOSED_INDEXES: dict[str, str] = {
    # The cohort grid, best_scores and the exercise history read (learner, exercise) ->
    # status, score, id: an index-only scan instead of ~300 scattered heap pages a learner
    # (7,500 for a cohort). Its leading columns make ix_submissions_learner_exercise redundant.
    "ix_submissions_learner_exercise_id": (
        "CREATE INDEX IF NOT EXISTS ix_submissions_learner_exercise_id"
        " ON submissions (learner_id, exercise_id, id) INCLUDE (status, score)"
    ),
    "drop ix_submissions_learner_exercise": "DROP INDEX IF EXISTS ix_submissions_learner_exercise",
    # grading_failures: without it the planner ANDs each learner's bitmap with the bitmap of
    # every error of the programme (45,000 rows), 25 times.
    "ix_submissions_learner_errors": (
        "CREATE INDEX IF NOT EXISTS ix_submissions_learner_errors"
        " ON submissions (learner_id, id) WHERE status = 'error'"
    ),
    # regrade_progress: the cohort's re-grading copies without reading its 7,500 rows.
    "ix_submissions_learner_regrades": (
        "CREATE INDEX IF NOT EXISTS ix_submissions_learner_regrades"
        " ON submissions (learner_id, id) WHERE regrade_of IS NOT NULL"
    ),
}

SUBMISSION_COLUMNS = (
    "id, learner_id, exercise_id, content_commit, files, code_hash, status, status_detail, "
    "score, max_score, result, limit_hit, image_digest, attempts, worker, lease_until, "
    "available_at, queued_at, started_at, finished_at, duration, regrade_of"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=15_000)
    parser.add_argument("--submissions-per-learner", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--with-proposed-indexes", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    print(json.dumps(bench(args.learners, args.submissions_per_learner, args.repeat,
                           args.with_proposed_indexes, args.keep)))  # fmt: skip


def bench(
    learners: int,
    per_learner: int,
    repeat: int,
    with_proposed_indexes: bool = False,
    keep: bool = False,
) -> dict:
    """Generate, measure, explain; the figures as one JSON-able dict."""
    name = f"lms_national_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    libpq_url = f"{SERVER.rsplit('/', 1)[0]}/{name}"
    try:
        return run(libpq_url, learners, per_learner, repeat, with_proposed_indexes)
    finally:
        if keep:
            print(f"kept the database: {libpq_url}", file=sys.stderr)
        else:
            with psycopg.connect(SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(libpq_url: str, learners: int, per_learner: int, repeat: int, proposed: bool) -> dict:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": libpq_url.replace("postgresql://", "postgresql+psycopg://"),
            "LMS_GRADING": "off",
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="lms-national-"),
        }
    )
    app.test_client_class = IsolatedClient
    figures: dict = {"database": libpq_url.rsplit("/", 1)[1], "now": NOW.isoformat()}
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        started = time.perf_counter()
        figures["generation"] = generate(libpq_url, learners, per_learner)
        figures["generation"]["total_s"] = round(time.perf_counter() - started, 1)
        db.session.remove()
    if proposed:
        _execute(libpq_url, BEFORE_0008)
    figures["schema"] = measure_all(app, repeat)
    if proposed and PROPOSED_INDEXES:
        figures["proposed_indexes"] = create_proposed_indexes(libpq_url)
        figures["with_proposed_indexes"] = measure_all(app, repeat)
    with app.app_context():
        db.engine.dispose()
    figures["summary"] = {
        name: _summary(figures[name]) for name in ("schema", "with_proposed_indexes")
        if name in figures
    }  # fmt: skip
    return figures


def _summary(measured: dict) -> dict:
    """Per measure the figures one reads first; which pages read submissions by index only."""
    keys = ("p50_ms", "p95_ms", "max_ms", "x_select_1", "x_submission_by_pk", "under_100ms_p95")
    out = {}
    for name, figures in measured.items():
        row = {key: figures[key] for key in keys if key in figures}
        if "queries" in figures:
            row["queries"] = figures["queries"].get("max")
        if "plans" in figures:
            row["submissions_by_index_only"] = figures["plans"]["submissions_by_index_only"]
        out[name] = row
    return out


# Generation -------------------------------------------------------------------------------


def generate(libpq_url: str, learners: int, per_learner: int) -> dict:
    """The programme (bench/outcomes.py), its trainers and auditor, then the submissions."""
    timings: dict = {}
    started = time.perf_counter()
    counts = programme.generate(learners)
    timings["programme_s"] = round(time.perf_counter() - started, 1)
    staff = _staff()
    db.session.commit()
    print(f"programme: {counts} in {timings['programme_s']} s", file=sys.stderr)

    started = time.perf_counter()
    loaded = content.current()
    plan = _submission_plan(loaded)
    # An open transaction would keep VACUUM from marking the new rows visible to all.
    db.session.commit()
    with psycopg.connect(libpq_url) as conn:
        rows = _copy_submissions(conn, plan, per_learner, loaded.commit)
        conn.execute("SELECT setval('submissions_id_seq', (SELECT max(id) FROM submissions))")
        conn.commit()
        conn.execute("ANALYZE submissions")  # the re-grading batches plan with statistics
        regrades = _regrade_batches(conn, plan, loaded.commit)
        conn.commit()
    timings["submissions_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        size = conn.execute("SELECT pg_total_relation_size('submissions')").fetchone()[0]
    timings["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    return {
        **counts,
        "learners": learners,
        "trainers": len(staff["trainers"]),
        "submissions": rows + regrades,
        "regrade_copies": regrades,
        "submissions_mb": round(size / 2**20),
        **timings,
    }


def _staff() -> dict:
    """A trainer for every two cohorts, an auditor, and one known password for everyone."""
    password_hash = generate_password_hash(PASSWORD)
    cohort_ids = list(db.session.scalars(select(Cohort.id).order_by(Cohort.id)))
    trainers = programme._insert_returning(
        User,
        [
            {**programme._user(f"t{n}@bench.test", Role.TRAINER, None), "name": f"Trainer {n:04d}"}
            for n in range((len(cohort_ids) + 1) // 2)
        ],
    )
    db.session.execute(
        insert(cohort_trainers),
        [{"cohort_id": c, "user_id": trainers[n // 2]} for n, c in enumerate(cohort_ids)],
    )
    db.session.execute(insert(User), [programme._user("auditor@bench.test", Role.AUDITOR, None)])
    db.session.execute(text("UPDATE users SET password_hash = :h"), {"h": password_hash})
    return {"trainers": trainers}


class _Plan:
    """What the submissions are drawn from: every learner's cohort, the tracks' exercises
    (ids and maximum scores from the content repository), and per exercise a few versions
    of its files with their hash."""

    def __init__(self, loaded) -> None:
        query = (
            select(Enrollment.learner_id, Cohort.id, Cohort.track, Cohort.starts_on, Cohort.ends_on)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .order_by(Cohort.starts_on, Cohort.id, Enrollment.learner_id)
        )
        self.cohorts: dict[int, dict] = {}
        for learner_id, cohort_id, track, starts_on, ends_on in db.session.execute(query):
            cohort = self.cohorts.setdefault(
                cohort_id,
                {"id": cohort_id, "track": track, "starts_on": starts_on, "ends_on": ends_on,
                 "learners": []},
            )  # fmt: skip
            cohort["learners"].append(learner_id)
        self.exercises: dict[str, list[tuple[str, int]]] = {
            slug: [(e, loaded.exercises[e].max_score) for e in track.exercise_ids
                   if e in loaded.exercises]
            for slug, track in loaded.tracks.items()
        }  # fmt: skip
        self.files: dict[str, list[tuple[str, str]]] = {
            exercise_id: _file_versions(loaded.exercises[exercise_id])
            for pairs in self.exercises.values()
            for exercise_id, _ in pairs
        }


def _submission_plan(loaded) -> _Plan:
    return _Plan(loaded)


def _file_versions(exercise, versions: int = 12) -> list[tuple[str, str]]:
    """(files as COPY-escaped JSON, code hash): the starter, edited a little each time."""
    out = []
    for n in range(versions):
        files = dict(exercise.starter())
        first = next(iter(files), "main.py")
        files[first] = files.get(first, "") + f"\n# essai {n}\n"
        out.append((_copy_json(files), code_hash(files)))
    return out


def _copy_json(value) -> str:
    """JSON as a field of COPY's text format: backslashes doubled (json.dumps leaves no raw
    tab or newline)."""
    return json.dumps(value, ensure_ascii=False).replace("\\", "\\\\")


def _copy_submissions(
    conn: psycopg.Connection, plan: _Plan, per_learner: int, content_commit: str
) -> int:
    """COPY every submission, in time order across the programme, ids in that order."""
    started = time.perf_counter()
    rows = 0
    formatter = _RowFormatter(plan, content_commit)
    with conn.cursor() as cur:
        with cur.copy(f"COPY submissions ({SUBMISSION_COLUMNS}) FROM STDIN") as copy:
            buffer: list[str] = []
            for drawn in _in_time_order(plan, per_learner):
                rows += 1
                buffer.append(formatter.line(rows, drawn))
                if len(buffer) >= COPY_CHUNK:
                    copy.write("".join(buffer))
                    buffer.clear()
                if rows % PROGRESS_EVERY == 0:
                    elapsed = time.perf_counter() - started
                    print(f"  submissions: {rows:>9,} in {elapsed:6.1f} s "
                          f"({rows / elapsed:,.0f}/s)", file=sys.stderr)  # fmt: skip
            copy.write("".join(buffer))
    print(f"  submissions: {rows:,} copied in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)  # fmt: skip
    return rows


def _in_time_order(plan: _Plan, per_learner: int) -> Iterator[tuple]:
    """Every cohort's submissions merged by day: a cohort's rows are drawn when the day
    reaches its start, so only the running cohorts are held in memory."""
    rng = random.Random(20261124)  # noqa: S311 - synthetic benchmark data
    cohorts = list(plan.cohorts.values())  # already by start date
    if not cohorts:
        return
    by_day: dict[int, list[tuple]] = defaultdict(list)
    first = cohorts[0]["starts_on"].toordinal()
    last = NOW.date().toordinal()
    waiting = 0
    for day in range(first, last + 1):
        while waiting < len(cohorts) and cohorts[waiting]["starts_on"].toordinal() <= day:
            for drawn in _cohort_submissions(rng, plan, cohorts[waiting], per_learner):
                by_day[drawn[0] // 86400].append(drawn)
            waiting += 1
        todays = by_day.pop(day, None)
        if todays:
            todays.sort(key=lambda drawn: drawn[:3])
            yield from todays


def _cohort_submissions(rng: random.Random, plan: _Plan, cohort: dict, per_learner: int):
    """(seconds since 0001-01-01, learner, exercise, max score, score, kind) for each
    submission of the cohort; kind is graded, limit, error or queued."""
    exercises = plan.exercises.get(cohort["track"]) or []
    if not exercises:
        return
    start = cohort["starts_on"].toordinal()
    days = max(1, cohort["ends_on"].toordinal() - start)
    now_s = NOW.date().toordinal() * 86400 + NOW.hour * 3600
    # Learners attempt the first exercises more often than the last ones.
    weights = [1.0 - 0.5 * n / len(exercises) for n in range(len(exercises))]
    for learner_id in cohort["learners"]:
        skill = rng.uniform(0.55, 1.0)
        count = max(1, round(rng.gauss(per_learner, per_learner / 4)))
        picks = rng.choices(range(len(exercises)), weights=weights, k=count)
        for index in range(len(exercises)):
            attempts = picks.count(index)
            exercise_id, max_score = exercises[index]
            times = sorted(
                (start + int(days * min(0.999, (index + 2 * rng.random()) / (len(exercises) + 1))))
                * 86400
                + rng.randint(8 * 3600, 22 * 3600)
                for _ in range(attempts)
            )
            for k, at in enumerate(times):
                if at > now_s:
                    continue  # the cohort is still running: not submitted yet
                yield _draw(rng, at, now_s, learner_id, exercise_id, max_score, skill,
                            (k + 1) / attempts)  # fmt: skip


def _draw(rng, at, now_s, learner_id, exercise_id, max_score, skill, progress) -> tuple:
    if now_s - at < 3600:
        return (at, learner_id, exercise_id, max_score, None, "queued")
    roll = rng.random()
    if roll < 0.01:
        return (at, learner_id, exercise_id, max_score, None, "error")
    if roll < 0.03:
        return (at, learner_id, exercise_id, max_score, 0, "limit")
    share = skill * (0.3 + 0.8 * progress) + rng.uniform(-0.1, 0.1)
    return (at, learner_id, exercise_id, max_score, round(max_score * min(1.0, max(0.0, share))),
            "graded")  # fmt: skip


class _RowFormatter:
    """One submission as a line of COPY's text format."""

    def __init__(self, plan: _Plan, content_commit: str) -> None:
        self.plan = plan
        self.commit = content_commit
        self.rng = random.Random(7)  # noqa: S311 - synthetic benchmark data
        self.days: dict[int, str] = {}
        self.results: dict[tuple[int, int], str] = {}

    def line(self, row_id: int, drawn: tuple) -> str:
        at, learner_id, exercise_id, max_score, score, kind = drawn
        files, digest = self.rng.choice(self.plan.files[exercise_id])
        queued = self._timestamp(at)
        duration = round(0.4 + self.rng.random() * 3, 2)
        graded = kind in ("graded", "limit")
        status = "graded" if graded else kind
        return (
            "\t".join(
                (
                    str(row_id),
                    str(learner_id),
                    exercise_id,
                    self.commit,
                    files,
                    digest,
                    status,
                    "grading service unreachable" if kind == "error" else "\\N",
                    str(score) if graded else "\\N",
                    str(max_score),
                    self._result(score, max_score) if graded else "\\N",
                    "timeout" if kind == "limit" else "\\N",
                    self._image(exercise_id) if graded else "\\N",
                    "3" if kind == "error" else "0",
                    "\\N",
                    "\\N",
                    queued,
                    queued,
                    self._timestamp(at + 2) if kind != "queued" else "\\N",
                    self._timestamp(at + 2 + int(duration) + 1) if kind != "queued" else "\\N",
                    str(duration) if graded else "\\N",
                    "\\N",
                )
            )
            + "\n"
        )

    def _image(self, exercise_id: str) -> str:
        track = exercise_id.split("/")[0]
        return f"sha256:{hashlib.sha256(track.encode()).hexdigest()}"

    def _timestamp(self, seconds: int) -> str:
        day, second = divmod(seconds, 86400)
        if day not in self.days:
            self.days[day] = date.fromordinal(day).isoformat()
        hours, rest = divmod(second, 3600)
        return f"{self.days[day]} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}"

    def _result(self, score: int, max_score: int) -> str:
        key = (score, max_score)
        if key not in self.results:
            thirds = [max_score // 3, max_score // 3, max_score - 2 * (max_score // 3)]
            tests, left = [], score
            for n, points in enumerate(thirds, start=1):
                got = min(points, left)
                left -= got
                tests.append({"name": f"test_{n}", "points": got, "max_points": points,
                              "passed": got == points})  # fmt: skip
            self.results[key] = _copy_json({"tests": tests, "feedback": ""})
        return self.results[key]


def _regrade_batches(conn: psycopg.Connection, plan: _Plan, commit: str) -> int:
    """In one cohort out of ten, a re-grading batch on the day the cohort ended (what
    lms.trainer.operations.regrade_cohort queues): a graded copy of every latest submission."""
    rng = random.Random(11)  # noqa: S311 - synthetic benchmark data
    chosen = [cohort_id for cohort_id in plan.cohorts if rng.random() < 0.1]
    return conn.execute(
        """
        INSERT INTO submissions (learner_id, exercise_id, content_commit, files, code_hash,
            status, score, max_score, result, image_digest, attempts, available_at,
            queued_at, started_at, finished_at, duration, regrade_of)
        SELECT s.learner_id, s.exercise_id, %(commit)s, s.files, s.code_hash, 'graded',
            s.score, s.max_score, s.result, s.image_digest, 0, b.at, b.at, b.at, b.at,
            s.duration, s.id
        FROM submissions s
        JOIN enrollments e ON e.learner_id = s.learner_id
        JOIN (SELECT id, LEAST(ends_on, %(today)s)::timestamp AS at FROM cohorts) b
            ON b.id = e.cohort_id
        WHERE s.id IN (
            SELECT max(l.id) FROM submissions l
            JOIN enrollments le ON le.learner_id = l.learner_id
            WHERE le.cohort_id = ANY(%(cohorts)s) AND l.status = 'graded'
            GROUP BY l.learner_id, l.exercise_id)
        ORDER BY b.at, s.id
        """,
        {"commit": commit, "today": NOW.date(), "cohorts": chosen},
    ).rowcount


def _execute(libpq_url: str, statements) -> None:
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.execute("VACUUM (ANALYZE) submissions")


def create_proposed_indexes(libpq_url: str) -> dict:
    out = {}
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        for name, ddl in PROPOSED_INDEXES.items():
            started = time.perf_counter()
            conn.execute(ddl)
            out[name] = {"ddl": ddl, "build_s": round(time.perf_counter() - started, 1)}
            print(f"{name}: {out[name]['build_s']} s", file=sys.stderr)
        conn.execute("VACUUM (ANALYZE) submissions")
    return out


# Measurement ------------------------------------------------------------------------------


class IsolatedClient(FlaskClient):
    """Each request in a fresh context, as in production: its own ``g`` and session (the
    same as tests/conftest.py)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class QueryLog:
    """Every statement the engine sends while recording: (statement, parameters, ms)."""

    def __init__(self, engine) -> None:
        self.recording: list[tuple[str, object, float]] | None = None
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.recording is not None:
            elapsed = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
            self.recording.append((statement, parameters, elapsed))

    def run(self, call: Callable[[], object]) -> tuple[float, list]:
        self.recording = []
        started = time.perf_counter()
        try:
            call()
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            recorded, self.recording = self.recording, None
        return elapsed, recorded


def measure_all(app, repeat: int) -> dict:
    with app.app_context():
        log = QueryLog(db.engine)
        samples = _samples(repeat)
    try:
        return _measure(app, log, samples, repeat)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", log._before)
            event.remove(db.engine, "after_cursor_execute", log._after)


def _samples(repeat: int) -> dict:
    """Learners (of different cohorts when there are enough), cohorts with their trainer,
    submission ids: drawn once, the same for every pass. One more of each warms up."""
    rng = random.Random(5)  # noqa: S311 - synthetic benchmark data
    cohorts = list(
        db.session.execute(
            select(Cohort.id, User.email)
            .join(cohort_trainers, cohort_trainers.c.cohort_id == Cohort.id)
            .join(User, User.id == cohort_trainers.c.user_id)
            .order_by(Cohort.id)
        )
    )
    learners = list(
        db.session.execute(
            select(User.email, Cohort.track)
            .join(Enrollment, Enrollment.learner_id == User.id)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .order_by(Enrollment.id)
        )
    )
    # Every 25th enrolment is in a different cohort (bench/outcomes.py fills them in order).
    spread = learners[:: programme.COHORT_SIZE]
    if len(spread) <= repeat:
        spread = learners
    max_id = db.session.scalar(select(db.func.max(Submission.id))) or 1
    return {
        "learners": _draw_distinct(rng, spread, repeat + 1),
        "cohorts": _draw_distinct(rng, cohorts, repeat + 1),
        "submission_ids": [rng.randint(1, max_id) for _ in range(repeat)],
    }


def _draw_distinct(rng: random.Random, population: list, k: int) -> list:
    """k items, distinct as long as the population allows (then again from the first)."""
    drawn = rng.sample(population, min(k, len(population)))
    return (drawn * k)[:k]


def _measure(app, log: QueryLog, samples: dict, repeat: int) -> dict:
    out: dict = {}
    with app.app_context():
        out["select_1"] = _stats([log.run(_select_one)[0] for _ in range(repeat)])
        out["submission_by_pk"] = _stats(
            [log.run(lambda i=i: _by_pk(i))[0] for i in samples["submission_ids"]]
        )
    anonymous = app.test_client()
    out["login_page"] = _page(log, [(anonymous, "/login")] * repeat)

    learners = [(_signed_in(app, email), track) for email, track in samples["learners"]]
    warm, *learners = learners
    _page(log, [(warm[0], "/"), (warm[0], f"/learn/{warm[1]}")])  # templates, content
    out["learner_home"] = _page(log, [(client, "/") for client, _ in learners])
    out["learner_track"] = _page(log, [(client, f"/learn/{track}") for client, track in learners])

    trainers = [(_signed_in(app, email), cid) for cid, email in samples["cohorts"]]
    warm, *trainers = trainers
    _page(log, [(warm[0], f"/trainer/cohorts/{warm[1]}")])
    out["trainer_cohort_grid"] = _page(
        log, [(client, f"/trainer/cohorts/{cid}") for client, cid in trainers]
    )

    auditor = _signed_in(app, "auditor@bench.test")
    paths = [
        f"/reports/outcomes?window=180&group_by={reports.GROUPINGS[n % len(reports.GROUPINGS)]}"
        for n in range(repeat + 1)
    ]
    _page(log, [(auditor, paths[-1])])
    out["outcome_dashboard"] = _page(log, [(auditor, path) for path in paths[:-1]])
    by_grouping = defaultdict(list)
    for path, ms in out["outcome_dashboard"]["_pages"]:
        by_grouping[path.rsplit("=", 1)[1]].append(ms)
    out["outcome_dashboard"]["page_p50_ms_by_grouping"] = {
        group_by: round(statistics.median(samples), 2) for group_by, samples in by_grouping.items()
    }
    with app.app_context():
        for group_by in reports.GROUPINGS:
            out[f"outcomes_180d_{group_by}"] = _calls(
                log, lambda g=group_by: reports.outcomes(180, g, AS_OF, WAGE, cached=False), repeat
            )
        for name in ("learner_home", "learner_track", "trainer_cohort_grid", "outcome_dashboard"):
            out[name]["plans"] = _explain(out[name].pop("_recorded"), name)
        out["outcomes_180d_cohort"]["plans"] = _explain(
            out["outcomes_180d_cohort"].pop("_recorded"), "outcomes_180d_cohort"
        )
        for figures in out.values():
            figures.pop("_recorded", None)
            figures.pop("_pages", None)
    _ratios(out)
    _print_table(out)
    return out


def _select_one() -> None:
    db.session.execute(text("SELECT 1")).scalar()
    db.session.rollback()


def _by_pk(submission_id: int) -> None:
    db.session.execute(select(Submission).where(Submission.id == submission_id)).scalar()
    db.session.rollback()


def _signed_in(app, email: str) -> FlaskClient:
    """A client signed in through the login form (CSRF token and all)."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {email}: {response.status_code}")
    return client


def _page(log: QueryLog, requests: list[tuple[FlaskClient, str]]) -> dict:
    """Time each GET (which must be a 200), with its queries."""
    pages, sql, counts, recorded = [], [], [], []
    for client, path in requests:
        responses = []
        elapsed, queries = log.run(lambda c=client, p=path, r=responses: r.append(c.get(p)))
        if responses[0].status_code != 200:
            raise RuntimeError(f"GET {path}: {responses[0].status_code}")
        pages.append(elapsed)
        sql.append(sum(ms for _, _, ms in queries))
        counts.append(len(queries))
        recorded.append(queries)
    return {
        **_stats(pages),
        "sql": _stats(sql),
        "queries": _range(counts),
        "_recorded": recorded,
        "_pages": [(path, ms) for (_, path), ms in zip(requests, pages, strict=True)],
    }


def _calls(log: QueryLog, call: Callable[[], object], repeat: int) -> dict:
    times, counts, recorded = [], [], []
    for _ in range(repeat):
        elapsed, queries = log.run(call)
        db.session.rollback()
        times.append(elapsed)
        counts.append(len(queries))
        recorded.append(queries)
    return {**_stats(times), "queries": _range(counts), "_recorded": recorded}


def _stats(samples: list[float]) -> dict:
    if not samples:
        return {}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


def _range(counts: list[int]) -> dict:
    return {"min": min(counts), "max": max(counts)} if counts else {}


def _ratios(out: dict) -> None:
    select_1 = out["select_1"]["p50_ms"] or 1e-9
    by_pk = out["submission_by_pk"]["p50_ms"] or 1e-9
    login = out["login_page"]["p50_ms"] or 1e-9
    for name, figures in out.items():
        if name in ("select_1", "submission_by_pk") or "p50_ms" not in figures:
            continue
        figures["x_select_1"] = round(figures["p50_ms"] / select_1, 1)
        figures["x_submission_by_pk"] = round(figures["p50_ms"] / by_pk, 1)
        if name != "login_page":
            figures["x_login_page"] = round(figures["p50_ms"] / login, 1)
        figures["under_100ms_p95"] = figures["p95_ms"] < TARGET_MS


# Plans ------------------------------------------------------------------------------------


def _explain(recorded: list[list[tuple]], name: str) -> dict:
    """EXPLAIN ANALYZE every distinct statement of the page that reads submissions (and the
    heaviest one, printed in full): does each read submissions by an index?"""
    by_statement: dict[str, list] = defaultdict(list)
    parameters: dict[str, object] = {}
    for queries in recorded:
        for statement, params, ms in queries:
            by_statement[statement].append(ms)
            parameters[statement] = params
    heaviest = max(by_statement, key=lambda s: statistics.median(by_statement[s]))
    explained = [s for s in by_statement if s == heaviest or _reads_submissions(s)]
    summary = {"heaviest_median_ms": round(statistics.median(by_statement[heaviest]), 2)}
    queries = []
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in explained:
            cursor.execute(
                f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}", parameters[statement]
            )
            plan = cursor.fetchone()[0][0]
            scans = _submission_scans(plan["Plan"])
            queries.append({
                "query": _first_line(statement),
                "median_ms": round(statistics.median(by_statement[statement]), 2),
                "execution_ms": round(plan["Execution Time"], 2),
                "submissions_scans": scans,
                "seq_scan_on_submissions": any(s == "Seq Scan" for s in scans),
                "heaviest": statement == heaviest,
            })  # fmt: skip
            if statement == heaviest:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters[statement])
                print(f"\n{name}: heaviest query ({summary['heaviest_median_ms']} ms median)")
                print("   ", statement.replace("\n", "\n    "))
                for (line,) in cursor.fetchall():
                    print("   ", line)
        raw.rollback()
    finally:
        raw.close()
    summary["queries"] = queries
    summary["submissions_by_index_only"] = not any(q["seq_scan_on_submissions"] for q in queries)
    return summary


def _reads_submissions(statement: str) -> bool:
    return re.search(r"\bsubmissions\b", statement) is not None


def _submission_scans(node: dict) -> list[str]:
    """The scans of submissions in a JSON plan: "Seq Scan", or the index used."""
    found = []
    if node.get("Relation Name") == "submissions":
        kind = node["Node Type"]
        if kind == "Bitmap Heap Scan":
            indexes = [c.get("Index Name") for c in _walk(node) if c.get("Index Name")]
            found.append(f"Bitmap Heap Scan ({', '.join(indexes)})")
        elif "Index Name" in node:
            found.append(f"{kind} ({node['Index Name']})")
        else:
            found.append(kind)
    for child in node.get("Plans", []):
        found.extend(_submission_scans(child))
    return found


def _walk(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _first_line(statement: str) -> str:
    flat = " ".join(statement.split())
    return flat if len(flat) <= 160 else flat[:157] + "..."


def _print_table(out: dict) -> None:
    print(f"\n{'measure':<28}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'sql p50':>9}"
          f"{'queries':>9}{'x SELECT 1':>12}{'x pk':>8}")  # fmt: skip
    for name, f in out.items():
        if "p50_ms" not in f:
            continue
        queries = f.get("queries") or {}
        print(
            f"{name:<28}{f['p50_ms']:>9}{f['p95_ms']:>9}{f['max_ms']:>9}"
            f"{f.get('sql', {}).get('p50_ms', ''):>9}"
            f"{str(queries.get('max', '')):>9}{f.get('x_select_1', ''):>12}"
            f"{f.get('x_submission_by_pk', ''):>8}"
        )
    for name, f in out.items():
        for query in f.get("plans", {}).get("queries", []):
            if query["submissions_scans"] or query["heaviest"]:
                heaviest = " (heaviest)" if query["heaviest"] else ""
                scans = query["submissions_scans"] or "-"
                print(f"  {name}: {query['median_ms']} ms {scans}{heaviest}  {query['query'][:90]}")


if __name__ == "__main__":
    main()
