"""The outcome reports at national scale, on PostgreSQL (and SQLite beside it).

    .venv/bin/python bench/outcomes.py [--learners 15000] [--repeat 20] [--sqlite]

Generates a programme the size of a national year in a throw-away PostgreSQL database
(``LMS_TEST_POSTGRES`` names the server, as for the tests): 12 operators, the 12 regions, the
6 tracks, cohorts of 25 over two and a half years, 86 % graduating, outcomes drawn with the
demo's distribution (lms/admin/demo_outcomes.py) including replaced self-reports and employer
confirmations, and issued certificates for about 60 % of graduates. Rows are bulk-inserted
(no audit events: this measures the report queries, not the recording path).

Then times every report the dashboard and the API offer (2 windows x 5 groupings, computed
each time: the in-process cache bypassed; the cached figure is printed beside), the
records behind a figure, and the progress-by-region chart, each ``--repeat`` times, beside
a baseline measured in the same run: ``SELECT count(*) FROM enrollments``, the cheapest
query that still reads the whole population. Each timing has its median (p50), its 95th
percentile (p95, nearest rank: with 20 samples, the second slowest) and its maximum; each
report's p50 and p95 are also given as ratios to the baseline's, which makes runs on
machines of different speed (or load) comparable. Prints the plan of the 180-day cohort
report (EXPLAIN ANALYZE) so one can see which indexes it uses, a table, then the figures as
one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import bindparam, func, insert, select, text  # noqa: E402

from lms import create_app  # noqa: E402
from lms.admin.demo_outcomes import draw_outcome  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.models import (  # noqa: E402
    Certificate,
    CertificateStatus,
    Cohort,
    Enrollment,
    Organization,
    OutcomeRecord,
    OutcomeSource,
    Role,
    Situation,
    User,
)
from lms.models.organization import REGIONS, OrganizationKind  # noqa: E402
from lms.outcomes.recording import occupations  # noqa: E402
from lms.outcomes.recording.categories import Facts, categorise  # noqa: E402
from lms.outcomes.reports import operations as reports  # noqa: E402

SERVER = os.environ.get("LMS_TEST_POSTGRES", "postgresql://lms:lms@127.0.0.1:5432/postgres")
TRACKS = (
    "python-backend",
    "javascript-frontend",
    "analyse-donnees",
    "intelligence-artificielle",
    "cybersecurite",
    "plateformes-entreprise",
)
COHORT_SIZE = 25
AS_OF = date(2026, 11, 24)
WAGE = 3430
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=15_000)
    parser.add_argument("--repeat", type=int, default=20, help="samples per timing")
    parser.add_argument("--sqlite", action="store_true", help="also run on SQLite")
    args = parser.parse_args()

    figures: dict = {"learners": args.learners, "as_of": AS_OF.isoformat()}
    name = f"lms_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        base = SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        figures["postgresql"] = run(f"{base}/{name}", args, explain=True)
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if args.sqlite:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            figures["sqlite"] = run(f"sqlite:///{tmp}/bench.sqlite3", args, explain=False)
    print(json.dumps(figures))


def run(url: str, args, explain: bool) -> dict:
    import tempfile

    instance = tempfile.mkdtemp(prefix="lms-bench-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "LMS_GRADING": "off",
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": instance,
        }
    )
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        started = time.perf_counter()
        counts = generate(args.learners)
        generated_s = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        timings = measure(args.repeat)
        if explain:
            print_plan()
        db.session.remove()
        db.engine.dispose()
    result = {"dialect": url.split(":")[0], "generated_s": round(generated_s, 1), **counts}
    result.update(timings)
    _print_table(result)
    return result


# Generation -------------------------------------------------------------------------------


def generate(learners: int) -> dict:
    rng = random.Random(20261124)  # noqa: S311 - synthetic benchmark data
    operators = _insert_returning(
        Organization,
        [{"name": f"Opérateur {n:02d}", "kind": OrganizationKind.OPERATOR} for n in range(12)],
    )
    companies = _insert_returning(
        Organization,
        [{"name": f"Entreprise {n:02d}", "kind": OrganizationKind.COMPANY} for n in range(40)],
    )
    confirmers = _insert_returning(
        User,
        [
            _user(f"rh{n}@entreprise.test", Role.COMPANY, company)
            for n, company in enumerate(companies)
        ],
    )
    cohorts = _cohorts(rng, learners, operators)
    learner_ids = _insert_returning(
        User, [_user(f"l{n}@bench.test", Role.LEARNER, None) for n in range(learners)]
    )
    enrollment_rows = []
    for n, learner_id in enumerate(learner_ids):
        cohort = cohorts[n // COHORT_SIZE]
        graduated = rng.random() < 0.86
        late = rng.random() < 0.1
        enrollment_rows.append(
            {
                "cohort_id": cohort["id"],
                "learner_id": learner_id,
                "seeking_in_field": rng.choices((True, False, None), weights=(80, 10, 10))[0],
                "graduated_on": (
                    cohort["ends_on"] + timedelta(days=rng.randint(5, 40) if late else 0)
                    if graduated
                    else None
                ),
            }
        )
    enrollment_ids = _insert_returning(Enrollment, enrollment_rows)
    records, certificates = [], []
    for enrollment_id, row in zip(enrollment_ids, enrollment_rows, strict=True):
        cohort = cohorts[(row["learner_id"] - learner_ids[0]) // COHORT_SIZE]
        if row["graduated_on"] is None:
            continue
        records.extend(_records(rng, enrollment_id, row, cohort, companies, confirmers))
        if rng.random() < 0.6:
            certificates.append(_certificate(len(certificates), row, cohort))
    _insert_records(records)
    _bulk(Certificate, certificates)
    db.session.commit()
    return {
        "cohorts": len(cohorts),
        "enrollments": len(enrollment_ids),
        "outcome_records": db.session.scalar(select(func.count(OutcomeRecord.id))),
        "certificates": len(certificates),
    }


def _cohorts(rng: random.Random, learners: int, operators: list[int]) -> list[dict]:
    rows = []
    for n in range((learners + COHORT_SIZE - 1) // COHORT_SIZE):
        starts_on = date(2024, 1, 8) + timedelta(days=rng.randint(0, 900))
        rows.append(
            {
                "name": f"Cohorte {n:04d}",
                "operator_id": operators[n % len(operators)],
                "track": TRACKS[n % len(TRACKS)],
                "region": REGIONS[(n * 7) % len(REGIONS)],
                "starts_on": starts_on,
                "ends_on": starts_on + timedelta(weeks=rng.choice((16, 20, 24))),
            }
        )
    ids = _insert_returning(Cohort, rows)
    return [{"id": cohort_id, **row} for cohort_id, row in zip(ids, rows, strict=True)]


def _records(rng, enrollment_id, row, cohort, companies, confirmers) -> list[dict]:
    """The enrolment's records, in order; "replaces" holds a position in the same list."""
    drawn = draw_outcome(rng, cohort["ends_on"], cohort["operator_id"])
    base = {"enrollment_id": enrollment_id, "learner_id": row["learner_id"]}
    if drawn.situation is not None:
        on = cohort["ends_on"] + timedelta(days=drawn.effective_after_days)
        return [
            {
                **base,
                **_situation(drawn.situation, on),
                "exclusion_reason": drawn.exclusion_reason,
                "source": OutcomeSource.LEARNER,
                "recorded_by_id": row["learner_id"],
            }
        ]
    if drawn.job is None:
        return []
    out = []
    if drawn.sought_first:
        on = cohort["ends_on"] + timedelta(days=20)
        out.append({**base, **_situation(Situation.SEEKING, on), "source": OutcomeSource.LEARNER,
                    "recorded_by_id": row["learner_id"]})  # fmt: skip
    job = drawn.job.__dict__ | {}
    partner = rng.random() < 0.2
    if partner:
        index = rng.randrange(len(companies))
        job |= {"employer_org_id": companies[index], "employer_name": f"Entreprise {index:02d}"}
    first = {**base, **_job(job, cohort), "source": OutcomeSource.LEARNER,
             "recorded_by_id": row["learner_id"]}  # fmt: skip
    out.append(first)
    if partner and rng.random() < 0.7:
        confirmed = {**first, "source": OutcomeSource.EMPLOYER,
                     "recorded_by_id": confirmers[index], "replaces_previous": True}  # fmt: skip
        out.append(confirmed)
    return out


def _situation(situation: Situation, on: date) -> dict:
    return {
        "situation": situation,
        "effective_on": on,
        "category": categorise(Facts(situation=situation)),
        "in_field": False,
    }


def _job(job: dict, cohort: dict) -> dict:
    in_field = occupations.in_field(cohort["track"], job["occupation"])
    facts = Facts(
        situation=Situation.WORKING,
        in_field=in_field,
        hired_by_operator=job.get("employer_org_id") == cohort["operator_id"],
        employment_status=job["employment_status"],
        founded_company=job["founded_company"],
        weekly_hours=job["weekly_hours"],
        started_on=job["started_on"],
        ended_on=job["ended_on"],
    )
    fields = {k: v for k, v in job.items() if k not in ("started_on",)}
    return {
        **fields,
        "situation": Situation.WORKING,
        "effective_on": job["started_on"],
        "category": categorise(facts),
        "in_field": in_field,
    }


def _insert_records(records: list[dict]) -> None:
    """Insert in order, then point each confirmation at the self-report just before it."""
    flags = [row.pop("replaces_previous", False) for row in records]
    ids = _insert_returning(OutcomeRecord, records)
    links = [{"row_id": ids[n], "old_id": ids[n - 1]} for n, flag in enumerate(flags) if flag]
    if links:
        table = OutcomeRecord.__table__
        db.session.execute(
            table.update()
            .where(table.c.id == bindparam("row_id"))
            .values(replaces_id=bindparam("old_id")),
            links,
        )


def _certificate(n: int, row: dict, cohort: dict) -> dict:
    return {
        "public_id": f"bench-{n}",
        "learner_id": row["learner_id"],
        "cohort_id": row["cohort_id"],
        "track": cohort["track"],
        "status": CertificateStatus.ISSUED,
        "policy_commit": "0" * 40,
        "policy": {},
        "evaluation": [],
        "manifest": {},
        "manifest_sha256": "0" * 64,
        "status_index": n,
    }


def _user(email: str, role: Role, organization_id: int | None) -> dict:
    return {
        "email": email,
        "name": email.split("@")[0],
        "password_hash": "bench:not-a-password",
        "role": role,
        "organization_id": organization_id,
    }


def _insert_returning(model, rows: list[dict]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        ids.extend(
            db.session.scalars(
                insert(model).returning(model.id, sort_by_parameter_order=True), chunk
            ).all()
        )
    return ids


def _bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])


# Measurement ------------------------------------------------------------------------------


def _time(call, repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
        db.session.rollback()
    return {"p50_ms": round(statistics.median(samples) * 1000, 2),
            "p95_ms": round(_nearest_rank(samples, 0.95) * 1000, 2),
            "max_ms": round(max(samples) * 1000, 2)}  # fmt: skip


def _nearest_rank(samples: list[float], share: float) -> float:
    """The smallest sample that at least ``share`` of the samples do not exceed."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def measure(repeat: int) -> dict:
    baseline = _time(lambda: db.session.scalar(select(func.count(Enrollment.id))), repeat)
    out: dict = {"baseline_count_enrollments": baseline, "reports": {}}
    for window in reports.WINDOWS:
        for group_by in reports.GROUPINGS:
            name = f"{window}d_{group_by}"
            timing = _time(
                lambda w=window, g=group_by: reports.outcomes(w, g, AS_OF, WAGE, cached=False),
                repeat,
            )
            timing["ratio_to_baseline"] = round(timing["p50_ms"] / baseline["p50_ms"], 1)
            timing["p95_ratio_to_baseline"] = round(timing["p95_ms"] / baseline["p95_ms"], 1)
            out["reports"][name] = timing
    # Served again while nothing changed: the fingerprint query and a dictionary lookup.
    reports.outcomes(180, "cohort", AS_OF, WAGE)
    out["cached_180d_cohort"] = _time(lambda: reports.outcomes(180, "cohort", AS_OF, WAGE), repeat)
    cohort = reports.outcomes(180, "cohort", AS_OF, WAGE).groups[0].key
    out["records_one_cohort"] = _time(
        lambda: reports.records(180, "cohort", cohort, AS_OF, WAGE), repeat
    )
    out["progress_by_region"] = _time(lambda: reports.progress_by_region(15000), repeat)
    out["slowest_report_p50_ms"] = max(t["p50_ms"] for t in out["reports"].values())
    out["slowest_report_p95_ms"] = max(t["p95_ms"] for t in out["reports"].values())
    programme = reports.outcomes(180, "programme", AS_OF, WAGE).groups[0]
    out["programme_180d"] = {
        "graduated": programme.graduated,
        "in_field_rate": programme.in_field_rate,
        "decent_in_field_rate": programme.decent_in_field_rate,
        "non_reporting_share": programme.non_reporting_share,
    }
    return out


def print_plan() -> None:
    from lms.outcomes.reports.operations import _report_query, _values

    query = _report_query(180, "cohort", postgresql=True).params(_values(180, AS_OF, WAGE))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = db.session.execute(text(f"EXPLAIN ANALYZE {compiled}")).scalars().all()
    print("plan of the 180-day cohort report:")
    for line in plan:
        print("   ", line)


def _print_table(result: dict) -> None:
    print(
        f"{result['dialect']}: {result['enrollments']} enrolments, "
        f"{result['outcome_records']} outcome records, generated in {result['generated_s']} s"
    )
    baseline = result["baseline_count_enrollments"]
    print(f"  baseline count(*) p50 {baseline['p50_ms']} ms  p95 {baseline['p95_ms']} ms")
    for name, timing in result["reports"].items():
        print(f"  {name:<16} p50 {timing['p50_ms']:>8} ms  p95 {timing['p95_ms']:>8} ms  "
              f"max {timing['max_ms']:>8} ms  x{timing['ratio_to_baseline']} (p50)  "
              f"x{timing['p95_ratio_to_baseline']} (p95)")  # fmt: skip


if __name__ == "__main__":
    main()
