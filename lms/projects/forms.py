"""The projects' forms: a brief and its attachments, an offer to a cohort, its deadline and
teams, a deliverable, a review. They check presence and shape; the operations keep the rules
(a rubric's levels, an archive's contents and size, who may join which team)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from lms.forms import (
    Form,
    IdField,
    IdListField,
    IsoDateField,
    QueryForm,
    Required,
    WholeNumberField,
)
from lms.projects.operations import BriefFields

TEAM_SIZES = _l("Team sizes must be whole numbers.")
DEADLINE_NEEDED = _l("Set a deadline.")


class BriefForm(Form):
    """A company's brief: what the project is, its rubric, its optional automated check."""

    title = StringField(validators=[Required(), Length(max=200)])
    track = StringField(validators=[Required()])
    skills = StringField()
    team_size_min = WholeNumberField(message=TEAM_SIZES)
    team_size_max = WholeNumberField(message=TEAM_SIZES)
    starts_on = IsoDateField()
    ends_on = IsoDateField()
    context = TextAreaField(validators=[Required()])
    deliverables = TextAreaField(validators=[Required()])
    rubric = TextAreaField(validators=[Required()])
    check_grader = StringField()
    #: Test files of the automated check; their names, size and encoding are checked by the
    #: view's ``_check_suite`` as before.
    check_tests = MultipleFileField()
    change_note = TextAreaField()

    def fields(self) -> BriefFields:
        """What the operation takes (the check suite is added by the view, from the files)."""
        return BriefFields(
            title=self.title.data or "",
            track=self.track.data or "",
            context=self.context.data or "",
            deliverables=self.deliverables.data or "",
            rubric_text=self.rubric.data or "",
            skills=(self.skills.data or "").split(","),
            team_size_min=_or(self.team_size_min.data, 1),
            team_size_max=_or(self.team_size_max.data, 4),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
        )


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


class AttachmentForm(Form):
    """A file attached to a brief (its size is the request's limit; anything is accepted)."""

    file = FileField(validators=[FileRequired(_l("Choose a file to attach."))])


class VersionQuery(QueryForm):
    """Which version of a brief to show (the latest when none or junk)."""

    version = IdField()


class OfferForm(Form):
    """A brief offered to a cohort, with its deadline."""

    version_id = IdField(validators=[Required(_l("Choose a brief."))])
    deadline = IsoDateField(validators=[Required(DEADLINE_NEEDED)])
    team_size_max = WholeNumberField(message=TEAM_SIZES)
    learners_form_teams = BooleanField()


class DeadlineForm(Form):
    deadline = IsoDateField(validators=[Required(DEADLINE_NEEDED)])


class TeamForm(Form):
    """A team: its name, and the learners a trainer puts in it."""

    name = StringField()
    learner_ids = IdListField()


class DeliverableForm(Form):
    """A team's work: a repository at a commit, and/or an archive, and a report. Which of them
    is needed, and what an archive may hold, is the operation's business."""

    repo_url = StringField()
    commit = StringField()
    archive = FileField()
    report = TextAreaField()


class ReviewForm(Form):
    """A company's review: a level and a comment per criterion of the rubric, an overall
    comment, and the decision (the button pressed). Its fields per criterion are made for each
    rubric by :func:`rubric_review_form`."""

    overall = TextAreaField()
    decision = StringField()
    supersede_reason = TextAreaField()

    def levels(self) -> dict[str, str]:
        return self._per_criterion("level:")

    def comments(self) -> dict[str, str]:
        return self._per_criterion("comment:")

    def _per_criterion(self, prefix: str) -> dict[str, str]:
        return {
            name.removeprefix(prefix): field.data
            for name, field in self._fields.items()
            if name.startswith(prefix) and field.data
        }


def rubric_review_form(criteria: list[dict]) -> ReviewForm:
    """The review form of one rubric: ``level:<criterion>`` and ``comment:<criterion>``, the
    names the page has always used."""
    fields = {}
    for criterion in criteria:
        fields[f"level:{criterion['name']}"] = StringField()
        fields[f"comment:{criterion['name']}"] = TextAreaField()
    return type("RubricReviewForm", (ReviewForm,), fields)()
