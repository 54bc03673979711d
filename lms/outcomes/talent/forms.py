"""The talent pool's forms. A hire is a job like any other: it is read by the one job form,
:class:`lms.outcomes.recording.forms.JobForm`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from lms.forms import ChoiceField, Form, IdField, QueryForm, Required
from lms.outcomes.recording.forms import JobForm
from lms.outcomes.talent.operations import ProfileFields, SearchFilters

__all__ = ["AnswerForm", "InviteForm", "JobForm", "ProfileForm", "SearchForm"]


class ProfileForm(Form):
    """The learner's profile: shown to companies or not, a headline, a presentation, and how
    the name shows. Their lengths are the operation's rules (its messages say the limits)."""

    visible = BooleanField()
    headline = StringField()
    about = TextAreaField()
    name_display = ChoiceField(
        values=("full", "initials"),
        message=_l("Choose how your name shows: in full or as initials."),
    )

    def fields(self) -> ProfileFields:
        return ProfileFields(
            visible=self.visible.data,
            headline=self.headline.data or "",
            about=self.about.data or "",
            name_display=self.name_display.data or "full",
        )


class AnswerForm(Form):
    """The learner's answer to an invitation: the button pressed."""

    answer = ChoiceField(values=("accept", "decline"), validators=[Required()])


class InviteForm(Form):
    """An invitation to an interview: when, where, for which role."""

    message = TextAreaField(
        validators=[
            Required(_l("Say when, where and for which role you invite the learner.")),
            Length(max=2000),
        ]
    )


class SearchForm(QueryForm):
    """The pool's search (the query string): nothing in it is refused, a filter that makes no
    sense finds nobody."""

    track = StringField()
    region = StringField()
    certified = BooleanField()
    skill = StringField()
    q = StringField()
    page = IdField()

    def filters(self) -> SearchFilters:
        return SearchFilters(
            track=self.track.data or None,
            region=self.region.data or None,
            certified_only=self.certified.data,
            skill=(self.skill.data or "")[:200],
            text=(self.q.data or "")[:200],
            page=self.page.data or 1,
        )
