"""The records behind one figure of the outcome report, and how much of them each reader sees.

Auditors check figures against evidence, so they see every row in full: the learner's name,
the employer, the job, the pay, who documented it and the record's id. Admins run the
programme and need the rows, not the people: their rows carry a stable pseudonym instead of
the learner, and the employer's name only when it is a partner company of the programme (a
private employer's name, with a job title and a pay, can identify a learner)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select

from lms.extensions import db
from lms.models import Organization, OutcomeRecord
from lms.models.organization import OrganizationKind
from lms.outcomes.reports import operations as reports

Row = dict

#: The figures of the table a count links to, as a test on one row of the report. Rates count
#: jobs inside their denominator only (as reports.py does), so their rows do too.
FIGURES: dict[str, Callable[[Row], bool]] = {
    "enrolled": lambda row: True,
    "graduated": lambda row: bool(row["graduated"]),
    "on_time": lambda row: bool(row["on_time"]),
    "certified": lambda row: bool(row["certified"]),
    "seeking": lambda row: bool(row["seeking"]),
    "in_field": lambda row: bool(row["in_field"] and row["seeking"]),
    "decent": lambda row: bool(row["decent"] and row["seeking"]),
    "retention_6m": lambda row: row["retained_6m"] is not None,
    "retention_12m": lambda row: row["retained_12m"] is not None,
}

#: What an admin's row keeps: the situation, the job and its dates, never who.
MINIMISED_FIELDS = (
    "cohort_id",
    "cohort_name",
    "operator_name",
    "region",
    "track",
    "graduated",
    "on_time",
    "certified",
    "category",
    "seeking",
    "in_field",
    "decent",
    "source",
    "job_title",
    "monthly_pay_mad",
    "cnss_declared",
    "started_on",
    "ended_on",
    "retained_6m",
    "retained_12m",
)


def behind(
    window: int,
    group_by: str,
    key: str,
    as_of: date,
    minimum_wage_mad: int,
    category: str | None = None,
    figure: str = "enrolled",
) -> list[Row]:
    """The full rows behind one count of the table; ReportError for an unknown figure."""
    if figure not in FIGURES:
        raise reports.ReportError(f"unknown figure {figure!r}")
    rows = reports.records(window, group_by, key, as_of, minimum_wage_mad, category)
    return [row for row in rows if FIGURES[figure](row)]


def for_reader(rows: list[Row], full: bool, secret: str) -> list[Row]:
    """The rows as a reader sees them: in full for auditors, minimised for anyone else."""
    if full:
        return rows
    partners = partner_records(row["record_id"] for row in rows)
    return [minimise(row, row["record_id"] in partners, secret) for row in rows]


def minimise(row: Row, partner_employer: bool, secret: str) -> Row:
    """``row`` without the learner's identity: a pseudonym, and the employer's name only
    when ``partner_employer``. Every field not listed in MINIMISED_FIELDS is dropped, so a
    column added to the report later stays hidden until someone decides otherwise."""
    kept = {name: row.get(name) for name in MINIMISED_FIELDS}
    kept["learner"] = pseudonym(row["learner_id"], secret)
    kept["employer_name"] = row.get("employer_name") if partner_employer else None
    kept["employer_withheld"] = bool(row.get("employer_name")) and not partner_employer
    return kept


def pseudonym(learner_id: int, secret: str) -> str:
    """The same "L-" and 8 hex digits for a learner in every report, that nobody without the
    secret can link back (a keyed hash: a plain hash of an id is reversed by trying ids)."""
    digest = hmac.new(secret.encode(), str(learner_id).encode(), hashlib.sha256).hexdigest()
    return "L-" + digest[:8]


def partner_records(record_ids: Iterable[int | None]) -> set[int]:
    """The records, among ``record_ids``, whose employer is a partner company."""
    ids = {i for i in record_ids if i is not None}
    if not ids:
        return set()
    query = (
        select(OutcomeRecord.id)
        .join(Organization, Organization.id == OutcomeRecord.employer_org_id)
        .where(OutcomeRecord.id.in_(ids), Organization.kind == OrganizationKind.COMPANY)
    )
    return set(db.session.scalars(query))
