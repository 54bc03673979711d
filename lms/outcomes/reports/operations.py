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

import functools
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, Select, Subquery

from lms.errors import DomainError
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
from lms.outcomes.recording.operations import is_current

WINDOWS = (90, 180)
#: How long a computed report may be served again at most, and how many are kept.
CACHE_SECONDS = 300
CACHE_SIZE = 32
_cache: dict[tuple, tuple[float, Report]] = {}
_cache_lock = threading.Lock()
GROUPINGS = ("programme", "cohort", "operator", "region", "track")
RETENTION_MONTHS = (6, 12)
#: The categories' values in report order, and the names of their columns in the report
#: query: read for every group of every report, where iterating the enum is slow.
_CATEGORIES = tuple(str(c) for c in OutcomeCategory)
_COUNT_COLUMNS = tuple((c, f"n_{c}") for c in _CATEGORIES)
_MEDIAN_COLUMNS = tuple((c, f"median_{c}") for c in _CATEGORIES)


class ReportError(DomainError, ValueError):
    """Report parameters that name nothing (a window, a grouping, a date): answered 400."""


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

    A national report aggregates every enrolment (30 to 40 ms on PostgreSQL at 15,000
    learners: bench/outcomes.py), so the last few are kept in this process for as long as
    nothing they count has changed: every outcome record, graduation, intent and certificate
    appends to the audit chain, and new enrolments raise the highest enrolment id. Edits that
    leave no such trace (a cohort's dates or region changed by hand) show after
    :data:`CACHE_SECONDS` at most.
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
    postgresql = _postgresql()
    values = _values(window, as_of, minimum_wage_mad)
    result = db.session.execute(_report_query(window, group_by, postgresql), values)
    names = tuple(result.keys())  # once, rather than once per row as Row._asdict does
    groups = {str(row.key): _figures(dict(zip(names, row, strict=True))) for row in result}
    if not postgresql:  # PostgreSQL computed them in the same pass
        _add_medians(groups, window, group_by, values)
    return Report(window, group_by, as_of, minimum_wage_mad, list(groups.values()))


def _values(window: int, as_of: date, minimum_wage_mad: int) -> dict:
    """The values of the report queries' parameters (see :func:`_report_query`)."""
    return {
        "window_start": as_of - timedelta(days=window),
        "minimum_wage": minimum_wage_mad,
        **{
            f"started_by_{months}m": as_of - timedelta(days=_retention_days(months))
            for months in RETENTION_MONTHS
        },
    }


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
    base = _graduate_rows(window, _postgresql(), _in_group(group_by, key)).subquery("base")
    query = select(base).order_by(base.c.enrollment_id)
    if category is not None:
        if category not in OutcomeCategory.__members__.values():
            raise ReportError(f"unknown category {category!r}")
        query = query.where(base.c.graduated == 1, base.c.category == category)
    values = _values(window, as_of, minimum_wage_mad)
    return [dict(row._mapping) for row in db.session.execute(query, values)]


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


def _graduate_rows(window: int, postgresql: bool, cohorts: ColumnElement | None = None) -> Select:
    """Every enrolment of the window (of the ``cohorts`` only, if given), its flags and the
    record that decided its category.

    The learner, the operator and the record's job are outer joins on primary keys, so that
    PostgreSQL drops them from a report that reads none of their columns."""
    standing = _standing(window, postgresql, cohorts)
    graduated = standing.c.graduated_on.is_not(None)
    category = case(
        (~graduated, None),
        else_=func.coalesce(standing.c.category, literal(OutcomeCategory.NOT_REPORTING.value)),
    )
    in_field = and_(graduated, standing.c.in_field_job)
    decent = and_(
        in_field,
        standing.c.monthly_pay_mad >= bindparam("minimum_wage", type_=Integer),
        standing.c.cnss_declared.is_(True),
    )
    seeking = and_(
        graduated,
        func.coalesce(standing.c.seeking_in_field, True).is_(True),
        func.coalesce(standing.c.category, "") != OutcomeCategory.EXCLUDED.value,
    )
    job = aliased(OutcomeRecord, name="job")
    return (
        select(
            standing.c.enrollment_id,
            standing.c.learner_id,
            User.name.label("learner_name"),
            standing.c.cohort_id,
            standing.c.cohort_name,
            standing.c.operator_id,
            Organization.name.label("operator_name"),
            standing.c.region,
            standing.c.track,
            _flag(graduated).label("graduated"),
            _flag(and_(graduated, standing.c.graduated_on <= standing.c.ends_on)).label("on_time"),
            _flag(_certified(standing)).label("certified"),
            category.label("category"),
            _flag(seeking).label("seeking"),
            _flag(in_field).label("in_field"),
            _flag(decent).label("decent"),
            standing.c.record_id,
            standing.c.source,
            job.employer_name,
            job.job_title,
            standing.c.monthly_pay_mad,
            standing.c.cnss_declared,
            standing.c.effective_on.label("started_on"),
            standing.c.ended_on,
            *(
                _retained(standing, in_field, months, postgresql).label(f"retained_{months}m")
                for months in RETENTION_MONTHS
            ),
        )
        .select_from(standing)
        .outerjoin(User, User.id == standing.c.learner_id)
        .outerjoin(Organization, Organization.id == standing.c.operator_id)
        .outerjoin(job, job.id == standing.c.record_id)
    )


def _standing(window: int, postgresql: bool, cohorts: ColumnElement | None) -> Subquery:
    """One row per enrolment of a cohort that ended ``window`` days or more before the report
    date, beside the record that decides its category (NULLs when none holds on the window
    date).

    A single pass: the enrolments outer-joined to their records in force on the window date,
    then the first by rank for each enrolment (DISTINCT ON on PostgreSQL, row_number on
    SQLite), carrying only the record's columns that the figures read."""
    query = (
        select(*_standing_columns())
        .select_from(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .outerjoin(OutcomeRecord, _in_force(window, postgresql))
        # The same as "window date <= report date", on the column itself: its statistics
        # and any index apply.
        .where(Cohort.ends_on <= bindparam("window_start", type_=Date))
    )
    if cohorts is not None:
        query = query.where(cohorts)
    confirmed = case((OutcomeRecord.source == OutcomeSource.LEARNER, 0), else_=1)
    rank = (confirmed.desc(), OutcomeRecord.effective_on.desc(), OutcomeRecord.id.desc())
    if postgresql:
        # An enrolment has one cohort, so this is one row per enrolment; leading with the
        # cohort leaves the rows in cohort order, which the cohort report groups by as is.
        first = (Cohort.id, Enrollment.id)
        return query.ext(distinct_on(*first)).order_by(*first, *rank).subquery("standing")
    ranked = query.add_columns(
        func.row_number().over(partition_by=Enrollment.id, order_by=rank).label("rank")
    ).subquery("ranked")
    return select(ranked).where(ranked.c.rank == 1).subquery("standing")


def _in_force(window: int, postgresql: bool) -> ColumnElement:
    """The enrolment's current records that started on or before its window date and had
    not ended before it."""
    window_date = _plus_days(Cohort.ends_on, window, postgresql)
    return and_(
        OutcomeRecord.enrollment_id == Enrollment.id,
        OutcomeRecord.effective_on <= window_date,
        or_(OutcomeRecord.ended_on.is_(None), OutcomeRecord.ended_on >= window_date),
        is_current(),
    )


def _standing_columns() -> tuple[ColumnElement, ...]:
    """The enrolment's and cohort's columns, and the record's that the figures read."""
    in_field_categories = [str(c) for c in IN_FIELD_CATEGORIES]
    return (
        Enrollment.id.label("enrollment_id"),
        Enrollment.learner_id,
        Enrollment.graduated_on,
        Enrollment.seeking_in_field,
        Cohort.id.label("cohort_id"),
        Cohort.name.label("cohort_name"),
        Cohort.operator_id,
        Cohort.region,
        Cohort.track,
        Cohort.ends_on,
        OutcomeRecord.id.label("record_id"),
        OutcomeRecord.source,
        OutcomeRecord.category,
        # Once here rather than in each of the figures that read it.
        OutcomeRecord.category.in_(in_field_categories).label("in_field_job"),
        OutcomeRecord.monthly_pay_mad,
        OutcomeRecord.cnss_declared,
        OutcomeRecord.effective_on,
        OutcomeRecord.ended_on,
    )


def _certified(standing: Subquery) -> ColumnElement:
    """An issued certificate for the enrolment's learner and cohort. An uncorrelated IN, so
    that the database reads the certificates once rather than once per enrolment."""
    issued = select(Certificate.learner_id, Certificate.cohort_id).where(
        Certificate.status == CertificateStatus.ISSUED
    )
    return tuple_(standing.c.learner_id, standing.c.cohort_id).in_(issued)


def _retained(
    standing: Subquery, in_field: ColumnElement, months: int, postgresql: bool
) -> ColumnElement:
    """1 retained, 0 left, NULL when the job is too recent to tell (or not an in-field job)."""
    days = _retention_days(months)
    started_by = bindparam(f"started_by_{months}m", type_=Date)
    measurable = and_(in_field, standing.c.effective_on <= started_by)
    held = or_(
        standing.c.ended_on.is_(None),
        standing.c.ended_on >= _plus_days(standing.c.effective_on, days, postgresql),
    )
    return case((and_(measurable, held), 1), (measurable, 0), else_=None)


def _retention_days(months: int) -> int:
    return round(months * 365.25 / 12)


# Aggregation --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=len(WINDOWS) * len(GROUPINGS) * 2)
def _report_query(window: int, group_by: str, postgresql: bool) -> Select:
    """One row of figures per group. Built once per window, grouping and dialect, since
    building it takes a few milliseconds of Python each time; the report date and the
    minimum wage are parameters (:func:`_values`)."""
    base = _graduate_rows(window, postgresql).subquery("base")
    key = _group_column(base, group_by)
    label = _group_label(base, group_by)
    category_counts = [
        func.count().filter(base.c.category == c).label(name) for c, name in _COUNT_COLUMNS
    ]
    retention = [
        column
        for months in RETENTION_MONTHS
        for column in (
            func.count(base.c[f"retained_{months}m"]).label(f"measured_{months}m"),
            func.coalesce(func.sum(base.c[f"retained_{months}m"]), 0).label(f"kept_{months}m"),
        )
    ]
    return (
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
            *(_median_columns(base) if postgresql else ()),
        )
        .group_by(key)
        .order_by(func.min(label))
    )


def _median_columns(base) -> list[ColumnElement]:
    """PostgreSQL's ordered-set aggregate, one per category, in the aggregate's own pass."""
    return [
        func.percentile_cont(0.5)
        .within_group(base.c.monthly_pay_mad)
        .filter(base.c.category == c)
        .label(name)
        for c, name in _MEDIAN_COLUMNS
    ]


def _figures(row: dict) -> GroupFigures:
    figures = GroupFigures(
        key=str(row["key"]),
        label=str(row["label"]),
        cohorts=row["cohorts"],
        enrolled=row["enrolled"],
        graduated=int(row["graduated"] or 0),
        graduated_on_time=int(row["on_time"] or 0),
        certified=int(row["certified"] or 0),
        categories={c: int(row[name] or 0) for c, name in _COUNT_COLUMNS},
        median_base_pay={c: _float(row.get(name)) for c, name in _MEDIAN_COLUMNS},
        seeking_denominator=int(row["seeking"] or 0),
        in_field=int(row["in_field"] or 0),
        decent_in_field=int(row["decent"] or 0),
    )
    for months in RETENTION_MONTHS:
        measured = row[f"measured_{months}m"]
        kept = int(row[f"kept_{months}m"] or 0)
        figures.retention[f"{months}m"] = {
            "measured": measured,
            "retained": kept,
            "rate": _ratio(kept, measured),
        }
    return figures


def _add_medians(groups: dict[str, GroupFigures], window: int, group_by: str, values: dict) -> None:
    for key, category, median in db.session.execute(_median_query(window, group_by), values):
        if str(key) in groups:
            groups[str(key)].median_base_pay[str(category)] = float(median)


@functools.lru_cache(maxsize=len(WINDOWS) * len(GROUPINGS))
def _median_query(window: int, group_by: str) -> Select:
    """Median monthly base pay per group and category: the middle row (or the mean of the
    two middle rows) by row_number, which SQLite and PostgreSQL both have."""
    base = _graduate_rows(window, postgresql=False).subquery("base")
    key = _group_column(base, group_by)
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


def _in_group(group_by: str, key: str) -> ColumnElement:
    """The cohorts of one group, by its key as text (as URLs and reports carry it)."""
    column = {
        "programme": literal("programme"),
        "cohort": cast(Cohort.id, db.String),
        "operator": cast(Cohort.operator_id, db.String),
        "region": Cohort.region,
        "track": Cohort.track,
    }[group_by]
    return column == key


def _group_column(base, group_by: str) -> ColumnElement:
    """The column a report groups by, in its own type: grouping by an integer is cheaper."""
    return {
        "programme": literal("programme"),
        "cohort": base.c.cohort_id,
        "operator": base.c.operator_id,
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


def _plus_days(column: ColumnElement, days: int, postgresql: bool) -> ColumnElement:
    """``column`` + ``days`` as a date, in the dialect at hand."""
    if not postgresql:
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
