"""Who hears about outcomes: a company asked to confirm a hire a learner reported, a learner
told their employer confirmed (or corrected) it, a learner asked for their situation 90 or
180 days after the cohort. Each person is told in their own language, in the app and by
e-mail (when SMTP is configured).

Links are site paths written out rather than built with ``url_for``: the surveys are sent
by the worker and the CLI, where there is no request to build URLs from.

:func:`outcome_recorded` receives :data:`lms.signals.outcome_recorded` (connected at
:func:`lms.create_app`); surveys are sent by :mod:`.surveys` itself, since asking is its purpose.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from lms.models import Enrollment, OutcomeRecord, OutcomeSource, Situation
from lms.models.organization import OrganizationKind
from lms.notifications import company_users, notify_each

MINE = "/outcomes/mine"

#: What a company may correct when it confirms; any difference makes it a correction.
_JOB_FIGURES = (
    "employer_name", "job_title", "occupation", "employment_status", "written_contract",
    "weekly_hours", "monthly_pay_mad", "cnss_declared", "effective_on", "ended_on",
    "via_brief_id",
)  # fmt: skip


def outcome_recorded(record: OutcomeRecord, **_signal) -> None:
    """A learner's job is put to the employer, when it is a partner company; an employer's
    confirmation (or correction) of a job is told to the learner."""
    if record.source == OutcomeSource.LEARNER and record.situation == Situation.WORKING:
        hire_reported(record)
    elif record.source == OutcomeSource.EMPLOYER and record.replaces_id is not None:
        hire_confirmed(record)


def company_record_path(record: OutcomeRecord) -> str:
    return f"/outcomes/company/records/{record.id}"


def hire_reported(record: OutcomeRecord) -> None:
    """A learner's self-report names a partner company: its users are asked to confirm."""
    org = record.employer_org
    if org is None or org.kind != OrganizationKind.COMPANY:
        return  # free text, or the training operator: nobody to ask through the LMS
    learner = record.learner
    notify_each(
        company_users(org.id),
        "outcome_to_confirm",
        lambda: _("Please confirm a hire: %(learner)s", learner=learner.name),
        lambda: _(
            "%(learner)s (%(cohort)s) reports working at %(company)s as %(title)s since "
            "%(start)s. Please confirm the job, correcting the figures if needed.",
            learner=learner.name,
            cohort=record.enrollment.cohort.name,
            company=org.name,
            title=record.job_title,
            start=format_date(record.effective_on, "long"),
        ),
        company_record_path(record),
    )


def hire_confirmed(record: OutcomeRecord) -> None:
    """A company confirmed (or corrected) a job: the learner is told which."""
    old = record.replaces
    corrected = old is not None and any(
        getattr(old, name) != getattr(record, name) for name in _JOB_FIGURES
    )
    company = record.employer_org.name if record.employer_org else record.employer_name
    if corrected:

        def subject():
            return _("%(company)s corrected and confirmed your job", company=company)
    else:

        def subject():
            return _("%(company)s confirmed your job", company=company)

    notify_each(
        [record.learner],
        "outcome_confirmed",
        subject,
        lambda: _(
            "Your job as %(title)s at %(company)s is now confirmed by the employer. "
            "See the figures they recorded.",
            title=record.job_title,
            company=company,
        ),
        MINE,
    )


def survey_sent(enrollment: Enrollment, window: int) -> None:
    """Ask the learner for their situation ``window`` days after the cohort ended."""
    cohort = enrollment.cohort
    notify_each(
        [enrollment.learner],
        "outcome_survey",
        lambda: _("What are you doing now? (%(days)d days after the bootcamp)", days=window),
        lambda: _(
            "Your cohort %(cohort)s ended on %(ended)s. Tell us your situation today: a job, "
            "still looking, or something else. It takes two minutes and helps the next "
            "learners.",
            cohort=cohort.name,
            ended=format_date(cohort.ends_on, "long"),
        ),
        MINE,
    )
