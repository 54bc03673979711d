"""The trainer's forms."""

from __future__ import annotations

from wtforms import StringField

from lms.forms import QueryForm


class PreviewQuery(QueryForm):
    """The branch, tag or commit to preview (resolved by the content's releases)."""

    ref = StringField(filters=[lambda value: (value or "").strip()])
