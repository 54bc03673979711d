"""What a report is asked for (window, grouping, report date), read from query parameters the
same way by the dashboard, its exports and the API, with a clear message for each mistake."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from lms.models import OutcomeCategory
from lms.outcomes.reports.operations import GROUPINGS, WINDOWS, ReportError
from lms.outcomes.reports.records import FIGURES

DEFAULT_WINDOW = 180
DEFAULT_GROUPING = "programme"


@dataclass(frozen=True)
class Selection:
    window: int
    group_by: str
    as_of: date

    def as_args(self) -> dict[str, str | int]:
        """The query parameters that ask for this selection again (links, exports)."""
        return {"window": self.window, "group_by": self.group_by, "as_of": self.as_of.isoformat()}


def selection(args: Mapping[str, str], today: date) -> Selection:
    """The selection in ``args``, defaults for what is missing; ReportError when a value is
    wrong. The messages are lazy: the API renders them in English, pages in the reader's
    language."""
    return Selection(
        window=_window(args.get("window") or str(DEFAULT_WINDOW)),
        group_by=_grouping(args.get("group_by") or DEFAULT_GROUPING),
        as_of=_report_date(args.get("as_of"), today),
    )


@dataclass(frozen=True)
class Figure:
    """One count of the table: a group (``key``) and either a category or another figure."""

    key: str
    category: str | None
    figure: str


def figure(args: Mapping[str, str]) -> Figure:
    """The count a drill-down link names; ReportError when it names none."""
    key = args.get("key") or ""
    category = args.get("category") or None
    name = args.get("figure") or "enrolled"
    if not key:
        raise ReportError(_l("Say which group: the key parameter is missing."))
    if category is not None and category not in {str(c) for c in OutcomeCategory}:
        raise ReportError(_l("There is no outcome category %(name)s.", name=category))
    if name not in FIGURES:
        raise ReportError(_l("There is no figure %(name)s.", name=name))
    return Figure(key, category, name)


def _window(value: str) -> int:
    if value not in {str(w) for w in WINDOWS}:
        raise ReportError(_l("The window must be 90 or 180 (days after the cohort ended)."))
    return int(value)


def _grouping(value: str) -> str:
    if value not in GROUPINGS:
        raise ReportError(_l("Group by one of: %(choices)s.", choices=", ".join(GROUPINGS)))
    return value


def _report_date(value: str | None, today: date) -> date:
    if not value:
        return today
    try:
        as_of = date.fromisoformat(value)
    except ValueError:
        raise ReportError(_l("The report date must be a date written YYYY-MM-DD.")) from None
    # Outcomes after today are not known yet: a future date would report them as missing.
    if as_of > today:
        raise ReportError(_l("The report date cannot be in the future."))
    return as_of
