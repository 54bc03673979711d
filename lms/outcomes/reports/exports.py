"""The outcome report as a CSV file: one row per group with every figure, the categories as a
count and a share column each. Column names are stable machine names (they are what a
spreadsheet or a script reads), shares are fractions (0.25), a missing figure is empty."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from lms.models import OutcomeCategory
from lms.outcomes.reports.operations import RETENTION_MONTHS, GroupFigures, Report

#: Excel opens a CSV as UTF-8 only when it starts with a byte order mark; accents in names
#: ("Drâa-Tafilalet") would otherwise come out garbled.
BOM = "\ufeff"
#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_CATEGORIES = [str(c) for c in OutcomeCategory]


def columns() -> list[str]:
    return [
        "window",
        "as_of",
        "group_by",
        "key",
        "label",
        "cohorts",
        "enrolled",
        "graduated",
        "graduated_on_time",
        "certified",
        *(f"{c}_{part}" for c in _CATEGORIES for part in ("count", "share")),
        "non_reporting_share",
        "seeking_denominator",
        "in_field",
        "in_field_rate",
        "decent_in_field",
        "decent_in_field_rate",
        *(f"median_base_pay_{c}" for c in _CATEGORIES),
        *(
            f"retention_{m}m_{part}"
            for m in RETENTION_MONTHS
            for part in ("measured", "retained", "rate")
        ),
    ]


def rows(report: Report) -> Iterator[list]:
    for group in report.groups:
        yield [
            report.window,
            report.as_of.isoformat(),
            report.group_by,
            *_group_cells(group),
        ]


def to_csv(report: Report) -> str:
    """The whole file, byte order mark included."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns())
    for row in rows(report):
        writer.writerow([safe_cell(value) for value in row])
    return BOM + out.getvalue()


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula, quoted so it shows as text. Numbers pass
    as they are: only names typed by people (cohorts, operators) can carry a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _group_cells(group: GroupFigures) -> list:
    shares = group.shares
    return [
        group.key,
        group.label,
        group.cohorts,
        group.enrolled,
        group.graduated,
        group.graduated_on_time,
        group.certified,
        *(value for c in _CATEGORIES for value in (group.categories[c], shares[c])),
        group.non_reporting_share,
        group.seeking_denominator,
        group.in_field,
        group.in_field_rate,
        group.decent_in_field,
        group.decent_in_field_rate,
        *(group.median_base_pay[c] for c in _CATEGORIES),
        *(
            group.retention[f"{m}m"][part]
            for m in RETENTION_MONTHS
            for part in ("measured", "retained", "rate")
        ),
    ]
