"""A submission posted as a form (the editor posts JSON): one field ``file:<name>`` per file
of the exercise."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import TextAreaField

from lms.forms import Form


class SubmissionForm(Form):
    """Made for each exercise by :func:`submission_form`."""

    def files(self) -> dict[str, str]:
        """The files that were sent (one left out is not an empty file)."""
        return {
            name.removeprefix("file:"): field.data or ""
            for name, field in self._fields.items()
            if name.startswith("file:") and field.raw_data
        }


def submission_form(file_names: Iterable[str]) -> SubmissionForm:
    fields = {f"file:{name}": TextAreaField() for name in file_names}
    return type("ExerciseSubmissionForm", (SubmissionForm,), fields)()
