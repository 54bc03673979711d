"""Who may record what about a graduate, what a record must hold to be accepted, and that
every record is in the audit chain; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from lms import audit
from lms.admin import operations as ops
from lms.extensions import db
from lms.models import (
    AuditEvent,
    ExclusionReason,
    OutcomeSource,
    OutcomeSurvey,
    Situation,
)
from lms.outcomes.recording import operations as recording
from lms.outcomes.recording.operations import OutcomeError
from lms.projects import operations as projects
from tests.outcomes.conftest import AS_OF, ENDED, STARTED, job
from tests.projects.conftest import brief_fields


@pytest.fixture(autouse=True)
def english_messages(app):
    with force_locale("en"):
        yield


@pytest.fixture
def cohort(programme):
    return programme.cohort()


@pytest.fixture
def enrollment(programme, cohort):
    (found,) = programme.learners(cohort, 1)
    return found


def offer_brief(programme, company_user, cohort):
    """The company's brief, offered to ``cohort`` by one of its trainers."""
    trainer = programme.create_user("trainer")
    ops.assign_trainer(cohort, trainer)
    version = projects.save_brief(company_user, brief_fields())
    projects.offer(trainer, cohort, version, date.today() + timedelta(days=10))
    db.session.commit()
    return version.brief


# Who records what ----------------------------------------------------------------------------


def test_a_learner_cannot_report_for_another_learner(programme, cohort):
    mine, theirs = programme.learners(cohort, 2)
    with pytest.raises(OutcomeError, match="your own situation"):
        recording.report_job(mine.learner, theirs, job(), today=AS_OF)
    with pytest.raises(OutcomeError, match="your own situation"):
        recording.report_situation(mine.learner, theirs, Situation.SEEKING, ENDED, today=AS_OF)


def test_a_learner_cannot_state_another_learners_intent(programme, cohort):
    mine, theirs = programme.learners(cohort, 2)
    with pytest.raises(OutcomeError, match="your own intent"):
        recording.record_intent(mine.learner, theirs, True, STARTED)


def test_trainers_and_auditors_record_no_outcome(programme, enrollment):
    for role in ("trainer", "auditor"):
        with pytest.raises(OutcomeError, match="Only learners, companies and the programme"):
            recording.report_job(programme.create_user(role), enrollment, job(), today=AS_OF)


def test_a_learner_corrects_their_own_self_report_by_replacing_it(programme, enrollment):
    first = programme.job(enrollment, weekly_hours=20)
    corrected = recording.report_job(
        enrollment.learner, enrollment, job(weekly_hours=40), replaces=first, today=AS_OF
    )
    db.session.commit()
    assert corrected.replaces_id == first.id
    assert recording.current_records(enrollment) == [corrected]
    assert recording.history(enrollment) == [first, corrected]


def test_a_learner_cannot_replace_an_employer_confirmed_record(programme, enrollment):
    org, company_user = programme.company()
    reported = programme.job(enrollment, employer_org_id=org.id)
    confirmed = recording.report_job(
        company_user, enrollment, job(monthly_pay_mad=7000), replaces=reported, today=AS_OF
    )
    db.session.commit()
    assert confirmed.source == OutcomeSource.EMPLOYER and confirmed.confirmed
    with pytest.raises(OutcomeError, match="confirmed record can only be changed"):
        recording.report_job(
            enrollment.learner, enrollment, job(monthly_pay_mad=9000), replaces=confirmed
        )
    with pytest.raises(OutcomeError, match="already replaced"):
        recording.report_job(enrollment.learner, enrollment, job(), replaces=reported)


def test_a_company_cannot_confirm_a_job_naming_another_company(programme, enrollment):
    atlas, _ = programme.company("Atlas Logiciels")
    _, rival = programme.company("Riads Numériques")
    reported = programme.job(enrollment, employer_org_id=atlas.id)
    with pytest.raises(OutcomeError, match="jobs at your own company"):
        recording.report_job(rival, enrollment, job(), replaces=reported, today=AS_OF)


def test_a_company_records_jobs_at_its_own_company_only(programme, enrollment):
    atlas, atlas_user = programme.company("Atlas Logiciels")
    rival, _ = programme.company("Riads Numériques")
    record = recording.report_job(
        atlas_user, enrollment, job(employer_org_id=rival.id), today=AS_OF
    )
    assert record.employer_org_id == atlas.id
    with pytest.raises(OutcomeError, match="job at the company"):
        recording.report_situation(atlas_user, enrollment, Situation.SEEKING, ENDED, today=AS_OF)


def test_the_programme_records_a_third_party_exclusion(programme, enrollment):
    record = recording.report_situation(
        programme.admin,
        enrollment,
        Situation.EXCLUDED,
        ENDED + timedelta(days=20),
        exclusion_reason=ExclusionReason.FURTHER_STUDIES,
        note="Attestation d'inscription en master",
        today=AS_OF,
    )
    assert record.source == OutcomeSource.THIRD_PARTY and record.confirmed
    assert record.category == "excluded"


# What a record must hold ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"started_on": STARTED - timedelta(days=1)}, "before the bootcamp started"),
        ({"started_on": AS_OF + timedelta(days=181)}, "more than six months from now"),
        ({"ended_on": ENDED}, "cannot end before it starts"),
        ({"weekly_hours": 0}, "between 1 and 80"),
        ({"weekly_hours": 81}, "between 1 and 80"),
        ({"monthly_pay_mad": -1}, "between 0 and 1,000,000"),
        ({"monthly_pay_mad": 1_000_001}, "between 0 and 1,000,000"),
        ({"occupation": "9999"}, "occupation from the list"),
        ({"job_title": "  "}, "employer and the job title"),
        ({"employer_name": "x" * 201}, "employer and the job title"),
        ({"founded_company": True}, "founder works on their own account"),
    ],
)
def test_a_job_outside_the_rules_is_refused(enrollment, changes, message):
    with pytest.raises(OutcomeError, match=message):
        recording.report_job(enrollment.learner, enrollment, job(**changes), today=AS_OF)


def test_the_limits_themselves_are_accepted(enrollment):
    record = recording.report_job(
        enrollment.learner,
        enrollment,
        job(started_on=STARTED, weekly_hours=80, monthly_pay_mad=0),
        today=AS_OF,
    )
    assert (record.weekly_hours, record.monthly_pay_mad) == (80, 0)


@pytest.mark.parametrize(
    ("situation", "reason", "message"),
    [
        (Situation.EXCLUDED, None, "only an exclusion, needs a reason"),
        (Situation.SEEKING, ExclusionReason.HEALTH, "only an exclusion, needs a reason"),
        (Situation.WORKING, None, "recorded with its details"),
    ],
)
def test_an_exclusion_and_only_an_exclusion_has_a_reason(enrollment, situation, reason, message):
    with pytest.raises(OutcomeError, match=message):
        recording.report_situation(
            enrollment.learner, enrollment, situation, ENDED, exclusion_reason=reason, today=AS_OF
        )


def test_a_situation_starts_between_the_cohort_start_and_today(enrollment):
    learner = enrollment.learner
    with pytest.raises(OutcomeError, match="in the future"):
        recording.report_situation(
            learner, enrollment, Situation.SEEKING, AS_OF + timedelta(days=1), today=AS_OF
        )
    with pytest.raises(OutcomeError, match="before the cohort did"):
        recording.report_situation(
            learner, enrollment, Situation.SEEKING, STARTED - timedelta(days=1), today=AS_OF
        )


def test_the_employer_is_a_partner_company_or_the_cohorts_operator(programme, cohort):
    hired_by_operator, other = programme.learners(cohort, 2)
    record = programme.job(hired_by_operator, employer_org_id=cohort.operator_id)
    assert record.category == "hired_by_operator"
    another_operator = programme.operator("Opérateur B")
    with pytest.raises(OutcomeError, match="list of partner companies"):
        recording.report_job(
            other.learner, other, job(employer_org_id=another_operator.id), today=AS_OF
        )
    with pytest.raises(OutcomeError, match="list of partner companies"):
        recording.report_job(other.learner, other, job(employer_org_id=999_999), today=AS_OF)


def test_a_hire_comes_through_a_brief_of_that_company_the_learners_cohort_took(
    programme, cohort, enrollment
):
    atlas, atlas_user = programme.company("Atlas Logiciels")
    rival, rival_user = programme.company("Riads Numériques")
    taken = offer_brief(programme, atlas_user, cohort)
    not_taken = projects.save_brief(rival_user, brief_fields()).brief
    db.session.commit()
    record = programme.job(enrollment, employer_org_id=atlas.id, via_brief_id=taken.id)
    assert record.via_brief_id == taken.id
    for org, brief in ((rival, taken), (rival, not_taken), (None, taken)):
        with pytest.raises(OutcomeError, match="brief of that company"):
            recording.report_job(
                enrollment.learner,
                enrollment,
                job(employer_org_id=org.id if org else None, via_brief_id=brief.id),
                today=AS_OF,
            )


# Intent and graduation -----------------------------------------------------------------------


def test_intent_is_stated_once_and_then_fixed(enrollment):
    recording.record_intent(enrollment.learner, enrollment, False, STARTED)
    db.session.commit()
    assert enrollment.seeking_in_field is False and enrollment.intent_recorded_at
    assert not recording.intent_open(enrollment, STARTED)
    with pytest.raises(OutcomeError, match="cannot change"):
        recording.record_intent(enrollment.learner, enrollment, True, STARTED)


def test_intent_is_open_for_the_first_two_weeks_only(enrollment):
    last_day = STARTED + recording.INTENT_GRACE
    assert recording.intent_open(enrollment, last_day)
    assert not recording.intent_open(enrollment, last_day + timedelta(days=1))
    with pytest.raises(OutcomeError, match="first two weeks"):
        recording.record_intent(enrollment.learner, enrollment, True, last_day + timedelta(days=1))
    assert enrollment.seeking_in_field is None


def test_graduation_is_between_the_cohort_start_and_today(programme, enrollment):
    admin = programme.admin
    with pytest.raises(OutcomeError, match="before the cohort starts"):
        recording.record_graduation(admin, enrollment, STARTED - timedelta(days=1))
    with pytest.raises(OutcomeError, match="in the future"):
        recording.record_graduation(admin, enrollment, date.today() + timedelta(days=2))
    recording.record_graduation(admin, enrollment, None)
    assert enrollment.graduated_on is None


# Surveys and the audit chain -----------------------------------------------------------------


def test_a_learners_report_answers_their_open_surveys(programme, enrollment):
    survey = OutcomeSurvey(enrollment_id=enrollment.id, window=90)
    db.session.add(survey)
    db.session.commit()
    programme.situation(enrollment, Situation.SEEKING)
    assert survey.answered_at is not None


def test_every_record_and_intent_is_chained_and_an_edited_pay_is_found(programme, enrollment):
    org, company_user = programme.company()
    recording.record_intent(enrollment.learner, enrollment, True, STARTED)
    reported = programme.job(enrollment, employer_org_id=org.id, monthly_pay_mad=8000)
    confirmed = recording.report_job(
        company_user, enrollment, job(monthly_pay_mad=7500), replaces=reported, today=AS_OF
    )
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(e.kind, e.subject) for e in events] == [
        ("enrollment.intent", f"enrollment:{enrollment.id}"),
        ("outcome.recorded", f"outcome:{reported.id}"),
        ("outcome.recorded", f"outcome:{confirmed.id}"),
    ]
    assert events[1].data["monthly_pay_mad"] == 8000
    assert audit.verify(db.session).ok

    db.session.execute(
        text("UPDATE outcome_records SET monthly_pay_mad = 12000 WHERE id = :id"),
        {"id": reported.id},
    )
    db.session.commit()
    db.session.expire_all()
    report = audit.verify(db.session)
    assert not report.ok and report.first_broken_seq == events[1].seq
    assert "monthly_pay_mad 8000 -> 12000" in report.reason
