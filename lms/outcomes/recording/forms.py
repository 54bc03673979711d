"""The forms of outcome recording, and the one job form: a job reported by a learner,
confirmed by a company, documented by the programme or recorded as a hire from the talent
pool is read by :class:`JobForm`, whichever page sent it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from lms.extensions import db
from lms.forms import (
    ChoiceField,
    EnumField,
    Form,
    IdField,
    IsoDateField,
    Required,
    WholeNumberField,
    YesNoField,
)
from lms.models import EmploymentStatus, ExclusionReason, Organization, Situation
from lms.outcomes.recording.operations import JobDetails

DATE_NEEDED = _l("Give the date (YYYY-MM-DD).")
#: Hours and pay: "8000", "8 000" and "8 000" (no-break spaces) are all eight thousand.
WHOLE_NUMBERS = _l("Hours and pay are written as whole numbers.")


class JobForm(Form):
    """A job: the employer (a partner company chosen, or a name typed), the job, its quality
    (contract, hours, pay, CNSS) and its dates. The operation checks the rules (dates against
    the cohort, ranges, the occupation list, who may name which company)."""

    employer_org_id = IdField()
    employer_name = StringField(validators=[Length(max=200)])
    via_brief_id = IdField()
    job_title = StringField(validators=[Required(), Length(max=200)])
    occupation = StringField(validators=[Required(_l("Choose an occupation from the list."))])
    employment_status = EnumField(
        enum_class=EmploymentStatus,
        message=_l("Choose an employment status."),
        validators=[Required(_l("Choose an employment status."))],
    )
    founded_company = BooleanField()
    written_contract = YesNoField()
    weekly_hours = WholeNumberField(message=WHOLE_NUMBERS)
    monthly_pay_mad = WholeNumberField(message=WHOLE_NUMBERS)
    cnss_declared = YesNoField()
    started_on = IsoDateField(validators=[Required(DATE_NEEDED)])
    ended_on = IsoDateField()
    note = TextAreaField(validators=[Length(max=2000)])
    #: The correction page's two forms say which one was sent.
    kind = StringField()
    #: The programme's forms: the current record this one replaces, if any.
    replaces = IdField()

    def details(self) -> JobDetails:
        employer_name = self.employer_name.data or ""
        org_id = self.employer_org_id.data
        org = db.session.get(Organization, org_id) if org_id is not None else None
        if org is not None:  # chosen from the list: its name, whatever was typed as well
            employer_name = org.name
        return JobDetails(
            employer_name=employer_name,
            job_title=self.job_title.data or "",
            occupation=self.occupation.data or "",
            employment_status=self.employment_status.data,
            started_on=self.started_on.data,
            ended_on=self.ended_on.data,
            written_contract=self.written_contract.answer,
            weekly_hours=self.weekly_hours.data,
            monthly_pay_mad=self.monthly_pay_mad.data,
            cnss_declared=self.cnss_declared.answer,
            employer_org_id=org_id,
            via_brief_id=self.via_brief_id.data,
            founded_company=self.founded_company.data,
        )


class SituationForm(Form):
    """Seeking, not seeking, or excluded (with a reason), since a date."""

    situation = EnumField(
        enum_class=Situation,
        message=_l("Choose a situation."),
        validators=[Required(_l("Choose a situation."))],
    )
    effective_on = IsoDateField(validators=[Required(DATE_NEEDED)])
    exclusion_reason = EnumField(enum_class=ExclusionReason, message=_l("Choose a reason."))
    note = TextAreaField(validators=[Length(max=2000)])
    kind = StringField()
    replaces = IdField()


class IntentForm(Form):
    """Will the learner look for a job in the field: yes or no."""

    seeking = ChoiceField(
        values=("yes", "no"),
        message=_l("Answer yes or no."),
        validators=[Required(_l("Answer yes or no."))],
    )


class GraduationForm(Form):
    """Record a learner's graduation date, or clear it (the button's ``action``)."""

    graduated_on = IsoDateField()
    action = ChoiceField(values=("record", "clear"))

    @property
    def clearing(self) -> bool:
        return self.action.data == "clear"

    def validate_graduated_on(self, field) -> None:
        if not self.clearing and field.data is None and not field.process_errors:
            raise ValidationError(str(DATE_NEEDED))
