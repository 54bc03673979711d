"""Marking notifications read: all of them, or one."""

from __future__ import annotations

from wtforms import BooleanField

from lms.forms import Form, IdField


class MarkReadForm(Form):
    all = BooleanField()
    id = IdField()
