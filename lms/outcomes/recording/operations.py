"""Recording what graduates do: intent at enrolment, graduation, jobs and situations.

Who may record what, and with what weight:

- a learner reports their own situation (source "learner", a self-report);
- a company user records or confirms a job at their own company (source "employer");
- an admin records what a third party documented (source "third_party"), e.g. a CNSS match.

Records are never edited. A correction or a confirmation is a new record that replaces the
old one; a learner may only replace their own self-reports, so an employer's confirmation
cannot be overwritten by a self-report. Every record is announced
(:data:`lms.signals.outcome_recorded`): the audit chain appends it, and ``lms audit verify``
compares its facts with the row; the people concerned are told (:mod:`.notices`). Operations
flush; callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from lms import signals
from lms.errors import DomainError
from lms.extensions import db
from lms.models import (
    BriefVersion,
    Cohort,
    EmploymentStatus,
    Enrollment,
    ExclusionReason,
    Organization,
    OutcomeRecord,
    OutcomeSource,
    OutcomeSurvey,
    ProjectBrief,
    ProjectOffer,
    Role,
    Situation,
    User,
)
from lms.models.base import utcnow
from lms.models.organization import OrganizationKind
from lms.outcomes.recording import occupations
from lms.outcomes.recording.categories import Facts, categorise

#: Intent may be stated until this long after the cohort starts, then it is fixed.
INTENT_GRACE = timedelta(days=14)
#: A job may be reported before it starts (an accepted offer), up to this far ahead.
FUTURE_START = timedelta(days=180)
MAX_WEEKLY_HOURS = 80
MAX_MONTHLY_PAY_MAD = 1_000_000
MAX_TEXT = 200
MAX_NOTE = 2_000

_SOURCE_BY_ROLE = {
    Role.LEARNER: OutcomeSource.LEARNER,
    Role.COMPANY: OutcomeSource.EMPLOYER,
    Role.ADMIN: OutcomeSource.THIRD_PARTY,
}


class OutcomeError(DomainError, ValueError):
    """A record the rules do not allow, with a message for the person who tried."""


@dataclass(frozen=True)
class JobDetails:
    employer_name: str
    job_title: str
    occupation: str
    employment_status: EmploymentStatus
    started_on: date
    ended_on: date | None = None
    written_contract: bool | None = None
    weekly_hours: int | None = None
    monthly_pay_mad: int | None = None
    cnss_declared: bool | None = None
    #: A partner company or the training operator, when the employer is one.
    employer_org_id: int | None = None
    via_brief_id: int | None = None
    founded_company: bool = False


# Intent and graduation ----------------------------------------------------------------------


def record_intent(actor: User, enrollment: Enrollment, seeking: bool, today: date) -> None:
    """State once, early, whether the learner seeks an in-field job: the denominator of the
    placement rates is fixed before anyone knows the outcomes."""
    if actor.role == Role.LEARNER and enrollment.learner_id != actor.id:
        raise OutcomeError(_l("You can only state your own intent."))
    if enrollment.seeking_in_field is not None:
        raise OutcomeError(_l("The intent was already recorded and cannot change."))
    if today > enrollment.cohort.starts_on + INTENT_GRACE:
        raise OutcomeError(_l("Intent can only be recorded in the first two weeks of the cohort."))
    enrollment.seeking_in_field = seeking
    enrollment.intent_recorded_at = utcnow()
    db.session.flush()
    signals.intent_recorded.send(enrollment, actor=actor)


def intent_open(enrollment: Enrollment, today: date) -> bool:
    return enrollment.seeking_in_field is None and today <= (
        enrollment.cohort.starts_on + INTENT_GRACE
    )


def record_graduation(actor: User, enrollment: Enrollment, graduated_on: date | None) -> None:
    """Record (or clear, with None) the day the learner completed the programme."""
    if graduated_on is not None and graduated_on < enrollment.cohort.starts_on:
        raise OutcomeError(_l("A learner cannot graduate before the cohort starts."))
    if graduated_on is not None and graduated_on > date.today() + timedelta(days=1):
        raise OutcomeError(_l("A graduation date cannot be in the future."))
    enrollment.graduated_on = graduated_on
    db.session.flush()
    signals.graduation_recorded.send(enrollment, actor=actor)


# Jobs and situations -------------------------------------------------------------------------


def report_job(
    actor: User,
    enrollment: Enrollment,
    job: JobDetails,
    *,
    replaces: OutcomeRecord | None = None,
    via_talent_pool: bool = False,
    note: str = "",
    today: date | None = None,
) -> OutcomeRecord:
    """Record a job (or an employer's confirmation of one, as ``replaces``)."""
    today = today or date.today()
    source = _source(actor, enrollment, replaces)
    if source == OutcomeSource.EMPLOYER:
        job = _at_own_company(actor, job)
    _check_job(enrollment.cohort, job, today)
    _check_employer(enrollment, job)
    cohort = enrollment.cohort
    in_field = occupations.in_field(cohort.track, job.occupation)
    facts = Facts(
        situation=Situation.WORKING,
        in_field=in_field,
        hired_by_operator=job.employer_org_id == cohort.operator_id,
        employment_status=job.employment_status,
        founded_company=job.founded_company,
        weekly_hours=job.weekly_hours,
        started_on=job.started_on,
        ended_on=job.ended_on,
    )
    record = OutcomeRecord(
        situation=Situation.WORKING,
        effective_on=job.started_on,
        ended_on=job.ended_on,
        category=categorise(facts),
        in_field=in_field,
        employer_name=job.employer_name.strip(),
        employer_org_id=job.employer_org_id,
        via_brief_id=job.via_brief_id,
        via_talent_pool=via_talent_pool,
        job_title=job.job_title.strip(),
        occupation=job.occupation,
        employment_status=job.employment_status,
        written_contract=job.written_contract,
        weekly_hours=job.weekly_hours,
        monthly_pay_mad=job.monthly_pay_mad,
        cnss_declared=job.cnss_declared,
        founded_company=job.founded_company,
    )
    return _add(actor, enrollment, record, source, replaces, note)


def report_situation(
    actor: User,
    enrollment: Enrollment,
    situation: Situation,
    effective_on: date,
    *,
    exclusion_reason: ExclusionReason | None = None,
    replaces: OutcomeRecord | None = None,
    note: str = "",
    today: date | None = None,
) -> OutcomeRecord:
    """Record that the learner is seeking, not seeking, or excluded (with a reason)."""
    today = today or date.today()
    if situation == Situation.WORKING:
        raise OutcomeError(_l("A job is recorded with its details."))
    source = _source(actor, enrollment, replaces)
    if source == OutcomeSource.EMPLOYER:
        raise OutcomeError(_l("A company can only record or confirm a job at the company."))
    if effective_on > today:
        raise OutcomeError(_l("A situation cannot start in the future."))
    if effective_on < enrollment.cohort.starts_on:
        raise OutcomeError(_l("A situation cannot start before the cohort did."))
    if (situation == Situation.EXCLUDED) != (exclusion_reason is not None):
        raise OutcomeError(_l("An exclusion, and only an exclusion, needs a reason."))
    record = OutcomeRecord(
        situation=situation,
        effective_on=effective_on,
        category=categorise(Facts(situation=situation)),
        in_field=False,
        exclusion_reason=exclusion_reason,
    )
    return _add(actor, enrollment, record, source, replaces, note)


def current_records(enrollment: Enrollment) -> list[OutcomeRecord]:
    """The enrollment's records nobody replaced, newest situation first."""
    return list(
        db.session.scalars(
            select(OutcomeRecord)
            .where(OutcomeRecord.enrollment_id == enrollment.id, is_current())
            .order_by(OutcomeRecord.effective_on.desc(), OutcomeRecord.id.desc())
        )
    )


def history(enrollment: Enrollment) -> list[OutcomeRecord]:
    """Every record, replaced ones included, in the order they were made."""
    return list(
        db.session.scalars(
            select(OutcomeRecord)
            .where(OutcomeRecord.enrollment_id == enrollment.id)
            .order_by(OutcomeRecord.id)
        )
    )


def is_current():
    """SQL condition: no other record replaces this one."""
    newer = aliased(OutcomeRecord)
    # "IS NOT NULL" changes nothing but lets PostgreSQL read only the replacing records from
    # the unique index on replaces_id, rather than every record, when it checks them all.
    return ~exists().where(newer.replaces_id == OutcomeRecord.id, newer.replaces_id.is_not(None))


def latest_enrollment(learner: User) -> Enrollment | None:
    return db.session.scalar(
        select(Enrollment)
        .join(Cohort)
        .where(Enrollment.learner_id == learner.id)
        .order_by(Cohort.ends_on.desc(), Enrollment.id.desc())
        .limit(1)
    )


# Rules -------------------------------------------------------------------------------------


def _source(actor: User, enrollment: Enrollment, replaces: OutcomeRecord | None) -> OutcomeSource:
    source = _SOURCE_BY_ROLE.get(actor.role)
    if source is None:
        raise OutcomeError(_l("Only learners, companies and the programme record outcomes."))
    if source == OutcomeSource.LEARNER and enrollment.learner_id != actor.id:
        raise OutcomeError(_l("You can only report your own situation."))
    if replaces is not None:
        _check_replaceable(actor, source, enrollment, replaces)
    return source


def _check_replaceable(
    actor: User, source: OutcomeSource, enrollment: Enrollment, old: OutcomeRecord
) -> None:
    if old.enrollment_id != enrollment.id:
        raise OutcomeError(_l("That record belongs to another enrolment."))
    if db.session.scalar(select(exists().where(OutcomeRecord.replaces_id == old.id))):
        raise OutcomeError(_l("That record was already replaced; reload the page."))
    if source == OutcomeSource.LEARNER and old.source != OutcomeSource.LEARNER:
        raise OutcomeError(
            _l("A confirmed record can only be changed by the employer or the programme.")
        )
    if source == OutcomeSource.EMPLOYER and old.employer_org_id != actor.organization_id:
        raise OutcomeError(_l("You can only confirm jobs at your own company."))


def _at_own_company(actor: User, job: JobDetails) -> JobDetails:
    if actor.organization_id is None:
        raise OutcomeError(_l("Your account belongs to no company."))
    return replace(job, employer_org_id=actor.organization_id)


def _check_job(cohort: Cohort, job: JobDetails, today: date) -> None:
    for value in (job.employer_name, job.job_title):
        if not value or not value.strip() or len(value) > MAX_TEXT:
            raise OutcomeError(_l("Give the employer and the job title (200 characters at most)."))
    if not occupations.is_known(job.occupation):
        raise OutcomeError(_l("Choose an occupation from the list."))
    if job.started_on < cohort.starts_on:
        raise OutcomeError(_l("A job held before the bootcamp started is not a placement."))
    if job.started_on > today + FUTURE_START:
        raise OutcomeError(_l("A job cannot start more than six months from now."))
    if job.ended_on is not None and job.ended_on < job.started_on:
        raise OutcomeError(_l("A job cannot end before it starts."))
    if job.weekly_hours is not None and not 1 <= job.weekly_hours <= MAX_WEEKLY_HOURS:
        raise OutcomeError(_l("Weekly hours must be between 1 and 80."))
    if job.monthly_pay_mad is not None and not 0 <= job.monthly_pay_mad <= MAX_MONTHLY_PAY_MAD:
        raise OutcomeError(_l("Monthly pay must be between 0 and 1,000,000 MAD."))
    if job.founded_company and job.employment_status != EmploymentStatus.OWN_ACCOUNT:
        raise OutcomeError(_l("A founder works on their own account."))


def _check_employer(enrollment: Enrollment, job: JobDetails) -> None:
    """A named employer is a partner company or the cohort's own operator (which makes the
    hire "hired by the operator"); a brief the hire came through is one of that company's
    briefs that one of the learner's cohorts took, so nobody can claim another's brief."""
    if job.employer_org_id is not None:
        org = db.session.get(Organization, job.employer_org_id)
        if org is None or (
            org.kind != OrganizationKind.COMPANY and org.id != enrollment.cohort.operator_id
        ):
            raise OutcomeError(_l("Choose the employer from the list of partner companies."))
    if job.via_brief_id is None:
        return
    taken = (
        select(ProjectBrief.id)
        .join(BriefVersion, BriefVersion.brief_id == ProjectBrief.id)
        .join(ProjectOffer, ProjectOffer.version_id == BriefVersion.id)
        .join(Enrollment, Enrollment.cohort_id == ProjectOffer.cohort_id)
        .where(
            ProjectBrief.id == job.via_brief_id,
            ProjectBrief.company_id == job.employer_org_id,
            Enrollment.learner_id == enrollment.learner_id,
        )
        .limit(1)
    )
    if db.session.scalar(taken) is None:
        raise OutcomeError(
            _l("Choose a project brief of that company that the learner's cohort took.")
        )


def _add(
    actor: User,
    enrollment: Enrollment,
    record: OutcomeRecord,
    source: OutcomeSource,
    replaces: OutcomeRecord | None,
    note: str,
) -> OutcomeRecord:
    if len(note) > MAX_NOTE:
        raise OutcomeError(_l("The note is too long (2,000 characters at most)."))
    record.enrollment_id = enrollment.id
    record.learner_id = enrollment.learner_id
    record.source = source
    record.note = note.strip()
    record.replaces_id = replaces.id if replaces is not None else None
    record.recorded_by_id = actor.id
    db.session.add(record)
    db.session.flush()
    if source == OutcomeSource.LEARNER:
        _mark_surveys_answered(enrollment)
    signals.outcome_recorded.send(record, actor=actor)
    return record


def _mark_surveys_answered(enrollment: Enrollment) -> None:
    for survey in db.session.scalars(
        select(OutcomeSurvey).where(
            OutcomeSurvey.enrollment_id == enrollment.id, OutcomeSurvey.answered_at.is_(None)
        )
    ):
        survey.answered_at = utcnow()
