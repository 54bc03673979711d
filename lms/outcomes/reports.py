"""Placement outcome reports, computed by the database: one aggregate query per report on
PostgreSQL (medians by percentile_cont in the same pass), plus one window-function query for
the medians on SQLite. The same figures on both.

Definitions (docs/outcomes.md says the same for readers of the reports):

- A report for the W-day window covers the cohorts that ended at least W days before the
  report date. Each learner's situation is the one on the *window date*, the cohort's end
  plus W days: among the records nobody replaced that started on or before that date and had
  not ended before it, a confirmed record (employer, third party) outranks a self-report, then
  the most recent start wins. A graduate with no such record is "not reporting".
- Every category is counted over graduates, so the categories add up to the graduates.
- The in-field rate's denominator is fixed at enrolment: graduates who said they sought an
  in-field job, or never said (silence counts as seeking), less the excluded. Someone who
  later reports "not seeking" stays in it.
- "Decent in field": an in-field job paying at least the minimum wage a month and declared
  to the CNSS. Missing pay or declaration is not decent.
- Retention at 6 (12) months: of the in-field jobs counted in the window that started at
  least 6 (12) months before the report date, the share not known to have ended before then.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, cast, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Select

from lms.extensions import db
from lms.models import (
    IN_FIELD_CATEGORIES,
    AuditEvent,
    Certificate,
    CertificateStatus,
    Cohort,
    Enrollment,
    Organization,
    OutcomeCategory,
    OutcomeRecord,
    OutcomeSource,
    User,
)
from lms.outcomes.recording import is_current

WINDOWS = (90, 180)
#: How long a computed report may be served again at most, and how many are kept.
CACHE_SECONDS = 300
CACHE_SIZE = 32
_cache: dict[tuple, tuple[float, Report]] = {}
_cache_lock = threading.Lock()
GROUPINGS = ("programme", "cohort", "operator", "region", "track")
RETENTION_MONTHS = (6, 12)


class ReportError(ValueError):
    pass


@dataclass
class GroupFigures:
    key: str
    label: str
    cohorts: int = 0
    enrolled: int = 0
    graduated: int = 0
    graduated_on_time: int = 0
    certified: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    median_base_pay: dict[str, float | None] = field(default_factory=dict)
    seeking_denominator: int = 0
    in_field: int = 0
    decent_in_field: int = 0
    retention: dict[str, dict] = field(default_factory=dict)

    @property
    def shares(self) -> dict[str, float | None]:
        return {name: _ratio(n, self.graduated) for name, n in self.categories.items()}

    @property
    def non_reporting_share(self) -> float | None:
        return _ratio(self.categories[OutcomeCategory.NOT_REPORTING], self.graduated)

    @property
    def in_field_rate(self) -> float | None:
        return _ratio(self.in_field, self.seeking_denominator)

    @property
    def decent_in_field_rate(self) -> float | None:
        return _ratio(self.decent_in_field, self.seeking_denominator)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "cohorts": self.cohorts,
            "enrolled": self.enrolled,
            "graduated": self.graduated,
            "graduated_on_time": self.graduated_on_time,
            "certified": self.certified,
            "categories": dict(self.categories),
            "shares": self.shares,
            "non_reporting_share": self.non_reporting_share,
            "median_base_pay": dict(self.median_base_pay),
            "seeking_denominator": self.seeking_denominator,
            "in_field": self.in_field,
            "in_field_rate": self.in_field_rate,
            "decent_in_field": self.decent_in_field,
            "decent_in_field_rate": self.decent_in_field_rate,
            "retention": self.retention,
        }


@dataclass
class Report:
    window: int
    group_by: str
    as_of: date
    minimum_wage_mad: int
    groups: list[GroupFigures]

    def as_json(self) -> dict:
        return {
            "window": self.window,
            "group_by": self.group_by,
            "as_of": self.as_of.isoformat(),
            "minimum_wage_mad": self.minimum_wage_mad,
            "categories": [str(c) for c in OutcomeCategory],
            "groups": [g.as_json() for g in self.groups],
        }


def outcomes(
    window: int, group_by: str, as_of: date, minimum_wage_mad: int, cached: bool = True
) -> Report:
    """The outcome figures for every group, for cohorts whose ``window`` has elapsed.

    A national report aggregates every enrolment (about 100 ms at 15,000 learners), so the
    last few are kept in this process for as long as nothing they count has changed: every
    outcome record, graduation, intent and certificate appends to the audit chain, and new
    enrolments raise the highest enrolment id. Edits that leave no such trace (a cohort's
    dates or region changed by hand) show after :data:`CACHE_SECONDS` at most.
    """
    _check(window, group_by)
    if not cached:
        return _compute(window, group_by, as_of, minimum_wage_mad)
    key = (window, group_by, as_of, minimum_wage_mad, _fingerprint(), _engine_key())
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    report = _compute(window, group_by, as_of, minimum_wage_mad)
    with _cache_lock:
        _cache[key] = (now, report)
        while len(_cache) > CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
    return report


def _fingerprint() -> tuple:
    """What changes whenever a figure may: the audit chain's head and the newest enrolment."""
    return tuple(
        db.session.execute(
            select(
                select(func.max(AuditEvent.seq)).scalar_subquery(),
                select(func.max(Enrollment.id)).scalar_subquery(),
            )
        ).one()
    )


def _engine_key() -> str:
    return str(db.session.get_bind().url)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _compute(window: int, group_by: str, as_of: date, minimum_wage_mad: int) -> Report:
    base = _graduate_rows(window, as_of, minimum_wage_mad).subquery("base")
    groups = _aggregate(base, group_by, as_of)
    if not _postgresql():  # PostgreSQL computed them in the same pass
        _add_medians(groups, base, group_by)
    return Report(window, group_by, as_of, minimum_wage_mad, list(groups.values()))


def records(
    window: int,
    group_by: str,
    key: str,
    as_of: date,
    minimum_wage_mad: int,
    category: str | None = None,
) -> list[dict]:
    """The enrolments behind one group's figures (and one category), with the record that
    decided each learner's category: what an auditor follows a figure to."""
    _check(window, group_by)
    base = _graduate_rows(window, as_of, minimum_wage_mad).subquery("base")
    query = select(base).where(_group_key(base, group_by) == key).order_by(base.c.enrollment_id)
    if category is not None:
        if category not in OutcomeCategory.__members__.values():
            raise ReportError(f"unknown category {category!r}")
        query = query.where(base.c.graduated == 1, base.c.category == category)
    return [dict(row._mapping) for row in db.session.execute(query)]


def progress_by_region(target: int) -> dict:
    """Learners enrolled and graduated per region, against the national target."""
    query = (
        select(
            Cohort.region,
            func.count(Enrollment.id),
            func.count(Enrollment.graduated_on),
        )
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .group_by(Cohort.region)
        .order_by(Cohort.region)
    )
    regions = [
        {"region": region, "enrolled": enrolled, "graduated": graduated}
        for region, enrolled, graduated in db.session.execute(query)
    ]
    graduated = sum(r["graduated"] for r in regions)
    return {
        "target": target,
        "enrolled": sum(r["enrolled"] for r in regions),
        "graduated": graduated,
        "share_of_target": _ratio(graduated, target),
        "regions": regions,
    }


# The rows: one per enrolment of a cohort whose window has elapsed ------------------------


def _graduate_rows(window: int, as_of: date, minimum_wage: int) -> Select:
    window_date = _plus_days(Cohort.ends_on, window)
    chosen = _chosen_records(window, as_of).subquery("chosen")
    graduated = Enrollment.graduated_on.is_not(None)
    category = case(
        (~graduated, None),
        else_=func.coalesce(chosen.c.category, literal(OutcomeCategory.NOT_REPORTING.value)),
    )
    in_field = and_(graduated, chosen.c.category.in_([str(c) for c in IN_FIELD_CATEGORIES]))
    decent = and_(
        in_field, chosen.c.monthly_pay_mad >= minimum_wage, chosen.c.cnss_declared.is_(True)
    )
    seeking = and_(
        graduated,
        func.coalesce(Enrollment.seeking_in_field, True).is_(True),
        func.coalesce(chosen.c.category, "") != OutcomeCategory.EXCLUDED.value,
    )
    certified = (
        select(func.count(Certificate.id))
        .where(
            Certificate.learner_id == Enrollment.learner_id,
            Certificate.cohort_id == Enrollment.cohort_id,
            Certificate.status == CertificateStatus.ISSUED,
        )
        .scalar_subquery()
    )
    return (
        select(
            Enrollment.id.label("enrollment_id"),
            Enrollment.learner_id,
            User.name.label("learner_name"),
            Cohort.id.label("cohort_id"),
            Cohort.name.label("cohort_name"),
            Cohort.operator_id,
            Organization.name.label("operator_name"),
            Cohort.region,
            Cohort.track,
            _flag(graduated).label("graduated"),
            _flag(and_(graduated, Enrollment.graduated_on <= Cohort.ends_on)).label("on_time"),
            _flag(certified > 0).label("certified"),
            category.label("category"),
            _flag(seeking).label("seeking"),
            _flag(in_field).label("in_field"),
            _flag(decent).label("decent"),
            chosen.c.id.label("record_id"),
            chosen.c.source,
            chosen.c.employer_name,
            chosen.c.job_title,
            chosen.c.monthly_pay_mad,
            chosen.c.cnss_declared,
            chosen.c.effective_on.label("started_on"),
            chosen.c.ended_on,
            *(
                _retained(chosen, in_field, months, as_of).label(f"retained_{months}m")
                for months in RETENTION_MONTHS
            ),
        )
        .select_from(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Organization, Organization.id == Cohort.operator_id)
        .join(User, User.id == Enrollment.learner_id)
        .outerjoin(chosen, and_(chosen.c.enrollment_id == Enrollment.id, chosen.c.rank == 1))
        .where(window_date <= as_of)
    )


def _chosen_records(window: int, as_of: date) -> Select:
    """Each current record that holds on its cohort's window date, ranked: rank 1 decides."""
    window_date = _plus_days(Cohort.ends_on, window)
    confirmed = case((OutcomeRecord.source == OutcomeSource.LEARNER, 0), else_=1)
    rank = func.row_number().over(
        partition_by=OutcomeRecord.enrollment_id,
        order_by=(confirmed.desc(), OutcomeRecord.effective_on.desc(), OutcomeRecord.id.desc()),
    )
    return (
        select(OutcomeRecord, rank.label("rank"))
        .join(Enrollment, Enrollment.id == OutcomeRecord.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(
            window_date <= as_of,
            is_current(),
            OutcomeRecord.effective_on <= window_date,
            or_(OutcomeRecord.ended_on.is_(None), OutcomeRecord.ended_on >= window_date),
        )
    )


def _retained(chosen, in_field: ColumnElement, months: int, as_of: date) -> ColumnElement:
    """1 retained, 0 left, NULL when the job is too recent to tell (or not an in-field job)."""
    days = round(months * 365.25 / 12)
    measurable = and_(in_field, chosen.c.effective_on <= as_of - timedelta(days=days))
    held = or_(
        chosen.c.ended_on.is_(None), chosen.c.ended_on >= _plus_days(chosen.c.effective_on, days)
    )
    return case((and_(measurable, held), 1), (measurable, 0), else_=None)


# Aggregation --------------------------------------------------------------------------------


def _aggregate(base, group_by: str, as_of: date) -> dict[str, GroupFigures]:
    key = _group_key(base, group_by)
    label = _group_label(base, group_by)
    category_counts = [
        func.sum(case((base.c.category == str(c), 1), else_=0)).label(f"n_{c}")
        for c in OutcomeCategory
    ]
    retention = [
        column
        for months in RETENTION_MONTHS
        for column in (
            func.count(base.c[f"retained_{months}m"]).label(f"measured_{months}m"),
            func.coalesce(func.sum(base.c[f"retained_{months}m"]), 0).label(f"kept_{months}m"),
        )
    ]
    query = (
        select(
            key.label("key"),
            func.min(label).label("label"),
            func.count(func.distinct(base.c.cohort_id)).label("cohorts"),
            func.count().label("enrolled"),
            func.sum(base.c.graduated).label("graduated"),
            func.sum(base.c.on_time).label("on_time"),
            func.sum(base.c.certified).label("certified"),
            func.sum(base.c.seeking).label("seeking"),
            # Rates count jobs inside the denominator only, so they never exceed 1.
            func.sum(base.c.in_field * base.c.seeking).label("in_field"),
            func.sum(base.c.decent * base.c.seeking).label("decent"),
            *category_counts,
            *retention,
            *(_median_columns(base) if _postgresql() else ()),
        )
        .group_by(key)
        .order_by(func.min(label))
    )
    return {str(row.key): _figures(row) for row in db.session.execute(query)}


def _median_columns(base) -> list[ColumnElement]:
    """PostgreSQL's ordered-set aggregate, one per category, in the aggregate's own pass."""
    return [
        func.percentile_cont(0.5)
        .within_group(base.c.monthly_pay_mad)
        .filter(base.c.category == str(c))
        .label(f"median_{c}")
        for c in OutcomeCategory
    ]


def _figures(row) -> GroupFigures:
    figures = GroupFigures(
        key=str(row.key),
        label=str(row.label),
        cohorts=row.cohorts,
        enrolled=row.enrolled,
        graduated=int(row.graduated or 0),
        graduated_on_time=int(row.on_time or 0),
        certified=int(row.certified or 0),
        categories={str(c): int(getattr(row, f"n_{c}") or 0) for c in OutcomeCategory},
        median_base_pay={
            str(c): _float(getattr(row, f"median_{c}", None)) for c in OutcomeCategory
        },
        seeking_denominator=int(row.seeking or 0),
        in_field=int(row.in_field or 0),
        decent_in_field=int(row.decent or 0),
    )
    for months in RETENTION_MONTHS:
        measured = getattr(row, f"measured_{months}m")
        kept = int(getattr(row, f"kept_{months}m") or 0)
        figures.retention[f"{months}m"] = {
            "measured": measured,
            "retained": kept,
            "rate": _ratio(kept, measured),
        }
    return figures


def _add_medians(groups: dict[str, GroupFigures], base, group_by: str) -> None:
    for key, category, median in db.session.execute(_median_query(base, group_by)):
        if str(key) in groups:
            groups[str(key)].median_base_pay[str(category)] = float(median)


def _median_query(base, group_by: str) -> Select:
    """Median monthly base pay per group and category: the middle row (or the mean of the
    two middle rows) by row_number, which SQLite and PostgreSQL both have."""
    key = _group_key(base, group_by)
    partition = (key, base.c.category)
    paid = (
        select(
            key.label("key"),
            base.c.category,
            base.c.monthly_pay_mad.label("pay"),
            func.row_number()
            .over(partition_by=partition, order_by=base.c.monthly_pay_mad)
            .label("n"),
            func.count().over(partition_by=partition).label("size"),
        )
        .where(base.c.graduated == 1, base.c.monthly_pay_mad.is_not(None))
        .subquery("paid")
    )
    middle = or_(paid.c.n == (paid.c.size + 1) // 2, paid.c.n == (paid.c.size + 2) // 2)
    return (
        select(paid.c.key, paid.c.category, func.avg(paid.c.pay))
        .where(middle)
        .group_by(paid.c.key, paid.c.category)
    )


# Helpers ------------------------------------------------------------------------------------


def _check(window: int, group_by: str) -> None:
    if window not in WINDOWS:
        raise ReportError(f"window must be one of {', '.join(map(str, WINDOWS))}")
    if group_by not in GROUPINGS:
        raise ReportError(f"group_by must be one of {', '.join(GROUPINGS)}")


def _group_key(base, group_by: str) -> ColumnElement:
    return {
        "programme": literal("programme"),
        "cohort": cast(base.c.cohort_id, db.String),
        "operator": cast(base.c.operator_id, db.String),
        "region": base.c.region,
        "track": base.c.track,
    }[group_by]


def _group_label(base, group_by: str) -> ColumnElement:
    return {
        "programme": literal("programme"),
        "cohort": base.c.cohort_name,
        "operator": base.c.operator_name,
        "region": base.c.region,
        "track": base.c.track,
    }[group_by]


def _plus_days(column: ColumnElement, days: int) -> ColumnElement:
    """``column`` + ``days`` as a date, in the dialect at hand."""
    if not _postgresql():
        return func.date(column, f"+{int(days)} days")
    return cast(column + literal(int(days)), Date)


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _float(value) -> float | None:
    return float(value) if value is not None else None


def _flag(condition: ColumnElement) -> ColumnElement:
    return case((condition, 1), else_=0)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
