"""The certification's forms: attendance (the grid, a session, a CSV file), a reason to revoke,
suspend or reinstate, the learner's name display, and the auditor's filters. The rules (a
reason is required, what a CSV line may say, which names a display takes) stay in the
operations, whose messages the pages show."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from lms.certification.attendance.operations import AttendanceGrid
from lms.certification.auditing.operations import Filters
from lms.forms import ChoiceField, Form, IdField, IdListField, IsoDateField, QueryForm, Required


class AttendanceAction(Form):
    """Which of the attendance page's forms was sent."""

    action = ChoiceField(values=("save", "add_session", "import"), default="save")


class SessionForm(Form):
    """A session of the cohort: its day and an optional title."""

    held_on = IsoDateField(validators=[Required(_l("Give the session's date."))])
    title = StringField(validators=[Length(max=200)])


class ImportForm(Form):
    """A CSV file of attendance (its size and contents are checked by the operation)."""

    file = FileField(validators=[FileRequired(_l("Choose a CSV file to import."))])


class GridForm(Form):
    """The attendance grid as the trainer saw it: the sessions and learners shown, and a box
    ``present-<session>-<learner>`` for each of them; made for each grid by :func:`grid_form`."""

    session = IdListField()
    learner = IdListField()

    def present(self, session_id: int, learner_id: int) -> bool:
        field = self._fields.get(f"present-{session_id}-{learner_id}")
        return bool(field and field.data)


def grid_form(grid: AttendanceGrid) -> GridForm:
    boxes = {
        f"present-{session.id}-{learner.id}": BooleanField()
        for session in grid.sessions
        for learner in grid.learners
    }
    return type("AttendanceGridForm", (GridForm,), boxes)()


class ReasonForm(Form):
    """Why a certificate is revoked, suspended or reinstated (required by the operation)."""

    reason = TextAreaField(validators=[Length(max=1000)])


class NameDisplayForm(Form):
    """How the learner's name shows on the public page (the operation knows the choices)."""

    mode = StringField()


class CertificateFilters(QueryForm):
    """The auditor's filters of certificates, and the page."""

    cohort = IdField()
    operator = IdField()
    region = StringField()
    track = StringField()
    status = StringField()
    page = IdField()

    def filters(self) -> Filters:
        return Filters(
            cohort=self.cohort.data or None,
            operator=self.operator.data or None,
            region=self.region.data or "",
            track=self.track.data or "",
            status=self.status.data or "",
        )
