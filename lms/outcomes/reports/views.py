"""The outcome dashboard for admins and auditors: tables, charts, exports, and the records
behind each figure. Every page is 403 unless admin or auditor (login first), 400 with a
message for a bad window, grouping or date; nothing here writes to the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from urllib.parse import quote_plus, urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    url_for,
)
from flask_login import current_user

from lms import access
from lms.models import OutcomeCategory, Role
from lms.outcomes.reports import charts, exports
from lms.outcomes.reports import operations as reports
from lms.outcomes.reports import params as report_params
from lms.outcomes.reports import records as report_records
from lms.outcomes.reports.forms import ReportForm
from lms.outcomes.reports.labels import (
    CATEGORY_LABELS,
    FIGURE_LABELS,
    GROUPING_LABELS,
    SOURCE_LABELS,
)
from lms.outcomes.reports.operations import GroupFigures, Report

bp = Blueprint("outcome_reports", __name__, url_prefix="/reports")
reporters = access.roles_required(Role.ADMIN, Role.AUDITOR)

#: Categories that can have a pay: the others are situations without a job, whose median
#: column would always be empty (the exports still carry all of them).
PAID_CATEGORIES = (
    OutcomeCategory.FULL_TIME_EMPLOYEE,
    OutcomeCategory.FULL_TIME_CONTRACT,
    OutcomeCategory.HIRED_BY_OPERATOR,
    OutcomeCategory.STARTED_COMPANY,
    OutcomeCategory.SHORT_TERM,
    OutcomeCategory.OUT_OF_FIELD,
)


@bp.get("/outcomes")
@reporters
def dashboard():
    """The figures of one window and grouping as a table and charts, with the progress
    toward the national target. 403 unless admin or auditor; 400 bad parameters."""
    chosen = _selection()
    report, paging = _page_of(_report(chosen))
    target = current_app.config["LMS_NATIONAL_TARGET"]
    progress = reports.progress_by_region(target)
    return render_template(
        "outcomes/report_dashboard.html",
        chosen=chosen,
        report=report,
        paging=paging,
        progress=progress,
        charts=_charts(report, progress, target),
        records_href=_records_href(chosen.as_args()),
        **_vocabulary(),
    )


def _records_href(args: dict) -> Callable[..., str]:
    """The link of each count to its records: a page has a thousand of them, and url_for on
    each one was a fifth of the page's time. The same URLs, with the route and the selection
    encoded once per page and each group's key once per group."""
    base = url_for("outcome_reports.records")
    selection = urlencode(args, safe=URL_SAFE)
    keys: dict[str, str] = {}

    def href(key: str, **figure: object) -> str:
        ((name, value),) = figure.items()
        if key not in keys:
            keys[key] = _quoted(key)
        # url_for's order (the figure, the selection, the key) and Werkzeug's safe characters.
        return f"{base}?{name}={_quoted(value)}&{selection}&key={keys[key]}"

    return href


def _quoted(value: object) -> str:
    return quote_plus(str(value), safe=URL_SAFE)


#: The characters Werkzeug leaves unquoted in a query string.
URL_SAFE = "!$'()*,/:;?@"


def _page_of(report: Report) -> tuple[Report, dict]:
    """The groups of one page: 480 cohorts make a page nobody reads and the browser chokes
    on (4.7 MB). The exports always carry every group."""
    total = len(report.groups)
    pages = max(1, -(-total // GROUPS_PER_PAGE))
    page = min(max(ReportForm().page.data or 1, 1), pages)
    start = (page - 1) * GROUPS_PER_PAGE
    shown = replace(report, groups=report.groups[start : start + GROUPS_PER_PAGE])
    return shown, {"page": page, "pages": pages, "first": start + 1, "total": total}


@bp.get("/outcomes.csv")
@reporters
def export_csv():
    """The table as CSV, one row per group. 403 unless admin or auditor; 400."""
    report = _report(_selection())
    return Response(
        exports.to_csv(report).encode("utf-8"),
        mimetype="text/csv",
        headers=_attachment(report, "csv"),
    )


@bp.get("/outcomes.json")
@reporters
def export_json():
    """The figures as JSON, the same as ``GET /api/v1/reports/outcomes``. 403 unless admin
    or auditor; 400."""
    report = _report(_selection())
    response = jsonify(report.as_json())
    response.headers.update(_attachment(report, "json"))
    return response


@bp.get("/outcomes/records")
@reporters
def records():
    """The rows behind one count: ``key`` the group, ``category`` or ``figure`` the count.
    Auditors see them in full, admins minimised. 403 unless admin or auditor; 400 bad
    parameters; 404 no such group in this report."""
    chosen = _selection()
    asked = ReportForm().asked_figure()  # a ReportError is answered 400
    report = _report(chosen)
    group = next((g for g in report.groups if g.key == asked.key), None)
    if group is None:
        abort(404)
    rows = report_records.behind(
        chosen.window,
        chosen.group_by,
        asked.key,
        chosen.as_of,
        _wage(),
        asked.category,
        asked.figure,
    )
    full = current_user.role == Role.AUDITOR
    return render_template(
        "outcomes/report_records.html",
        chosen=chosen,
        group=group,
        label=group_label(report, group),
        category=asked.category,
        figure=asked.figure,
        full=full,
        rows=report_records.for_reader(rows, full, current_app.config["SECRET_KEY"]),
        **_vocabulary(),
    )


# Helpers ------------------------------------------------------------------------------------


GROUPS_PER_PAGE = 50


def _selection() -> report_params.Selection:
    """What the query string asks for; a ReportError is answered 400 (lms.transactions)."""
    return ReportForm().selection(date.today())


def _report(chosen: report_params.Selection) -> Report:
    return reports.outcomes(chosen.window, chosen.group_by, chosen.as_of, _wage())


def _wage() -> int:
    return current_app.config["LMS_MINIMUM_WAGE_MAD"]


def _attachment(report: Report, extension: str) -> dict[str, str]:
    name = f"outcomes-{report.window}d-{report.group_by}-{report.as_of.isoformat()}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def group_label(report: Report, group: GroupFigures) -> str:
    """What a group is called on the page: the programme-wide row has no name of its own."""
    if report.group_by == "programme":
        return str(GROUPING_LABELS["programme"])
    return group.label


def _charts(report: Report, progress: dict, target: int) -> dict[str, object]:
    labels = [group_label(report, g) for g in report.groups]
    overall, by_region = charts.progress(
        [(r["region"], r["graduated"]) for r in progress["regions"]], target
    )
    return {
        "categories": charts.stacked_shares(
            [(label, g.categories) for label, g in zip(labels, report.groups, strict=True)]
        ),
        "rates": charts.paired_rates(
            [
                (label, {"in_field": g.in_field_rate, "decent": g.decent_in_field_rate})
                for label, g in zip(labels, report.groups, strict=True)
            ]
        ),
        "progress": overall,
        "regions": by_region,
    }


def _vocabulary() -> dict[str, object]:
    """The names and choices every report template uses."""
    return {
        "categories": list(OutcomeCategory),
        # Translated once: a lazy label is translated again each time a page shows it.
        "category_labels": {key: str(label) for key, label in CATEGORY_LABELS.items()},
        "figure_labels": FIGURE_LABELS,
        "grouping_labels": GROUPING_LABELS,
        "source_labels": SOURCE_LABELS,
        "paid_categories": PAID_CATEGORIES,
        "windows": reports.WINDOWS,
        "retention_months": reports.RETENTION_MONTHS,
        "colours": charts.CATEGORY_COLOURS,
        "rate_colours": charts.RATE_COLOURS,
        "progress_colours": charts.PROGRESS_COLOURS,
        "group_label": group_label,
    }
