"""What a report page is asked for, read from its query string. The values are checked by
:mod:`lms.outcomes.reports.params`, the same way for the pages, the exports and the API (a
wrong one is a ReportError, answered 400 with its message)."""

from __future__ import annotations

from datetime import date

from wtforms import StringField

from lms.forms import IdField, QueryForm
from lms.outcomes.reports import params


class ReportForm(QueryForm):
    """The selection (window, grouping, report date), the page of groups, and for the
    records behind a count, which count."""

    window = StringField()
    group_by = StringField()
    as_of = StringField()
    page = IdField()
    key = StringField()
    category = StringField()
    figure = StringField()

    def _values(self) -> dict[str, str]:
        return {name: field.data or "" for name, field in self._fields.items()}

    def selection(self, today: date) -> params.Selection:
        return params.selection(self._values(), today)

    def asked_figure(self) -> params.Figure:
        return params.figure(self._values())
