"""The job fair's talent pool, as its operations behave: opt-in profiles, what companies see
and find, and an interest's way from a bookmark to a hire. Pages are in test_talent_pages.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from lms import audit, content
from lms.admin import operations as ops
from lms.extensions import db
from lms.models import (
    Certificate,
    CertificateStatus,
    InterestStatus,
    Notification,
    OutcomeCategory,
    OutcomeRecord,
    OutcomeSource,
    Situation,
    SubmissionStatus,
)
from lms.models.base import utcnow
from lms.outcomes.recording.categories import Facts, categorise
from lms.outcomes.talent import operations as talent
from lms.outcomes.talent.operations import NotInPool, ProfileFields, SearchFilters, TalentError
from lms.projects import operations as projects
from lms.submissions import operations
from tests.outcomes.conftest import AS_OF, job
from tests.projects.conftest import brief_fields, deliver, review

FUNDAMENTALS = "Les fondamentaux de Python"


@pytest.fixture
def english(app):
    """Service errors read in English (the interface defaults to French)."""
    with force_locale("en"):
        yield


@pytest.fixture
def pool(programme, english):
    """A company, a python-backend cohort in Casablanca, three learners, none opted in."""
    company, recruiter = programme.company("Atlas Logiciels")
    cohort = programme.cohort()
    enrollments = programme.learners(cohort, 3)
    return company, recruiter, cohort, [e.learner for e in enrollments]


def opt_in(learner, headline="", about="", name_display="full", visible=True):
    profile = talent.update_profile(learner, ProfileFields(visible, headline, about, name_display))
    db.session.commit()
    return profile


def certificate(learner, cohort, status, index):
    cert = Certificate(
        public_id=f"cert-{index}",
        learner_id=learner.id,
        cohort_id=cohort.id,
        track=cohort.track,
        status=status,
        policy_commit="c" * 40,
        policy={},
        evaluation=[],
        manifest={},
        manifest_sha256="0" * 64,
        status_index=index,
        issued_at=utcnow() if status != CertificateStatus.PENDING else None,
    )
    db.session.add(cert)
    db.session.commit()
    return cert


def passed(learner, exercise_ids, share=1.0):
    """Graded submissions at ``share`` of each exercise's points."""
    loaded = content.current()
    for exercise_id in exercise_ids:
        exercise = loaded.exercises[exercise_id]
        submission = operations.submit(
            learner, exercise, exercise.solution(), loaded.commit, 1_000_000
        )
        submission.status = SubmissionStatus.GRADED
        submission.score = round(exercise.max_score * share)
    db.session.commit()


def module_ids(track, number):
    loaded = content.current()
    return talent.module_exercises(loaded, loaded.tracks[track].modules[number])


def found(filters=None, **kwargs):
    return [e.learner_id for e in talent.search(filters or SearchFilters(**kwargs)).entries]


def accepted(recruiter, learner):
    interest = talent.invite(recruiter, learner.id, "Entretien lundi 10 h, Casablanca.")
    talent.respond(learner, interest, accept=True)
    db.session.commit()
    return interest


def notifications(user, kind):
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


# Profiles --------------------------------------------------------------------------------------


def test_a_profile_is_hidden_until_the_learner_opts_in(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    assert talent.profile_of(learner).visible is False
    opt_in(learner, "Développeuse back-end", visible=False)
    assert found() == []
    with pytest.raises(NotInPool):
        talent.company_view(recruiter, learner.id)
    opt_in(learner, "Développeuse back-end")
    assert found() == [learner.id]
    assert talent.company_view(recruiter, learner.id).headline == "Développeuse back-end"


def test_headline_about_and_name_display_have_limits(pool):
    learner = pool[3][0]
    with pytest.raises(TalentError, match="200 characters"):
        opt_in(learner, headline="x" * 201)
    with pytest.raises(TalentError, match="2,000 characters"):
        opt_in(learner, about="x" * 2001)
    with pytest.raises(TalentError, match="in full or as initials"):
        opt_in(learner, name_display="nickname")
    assert opt_in(learner, "x" * 200, "y" * 2000, "initials").name_display == "initials"


def test_initials_hide_the_name_everywhere_a_company_looks(pool, create_user):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    learner.name = "Salma Benali"
    opt_in(learner, name_display="initials")
    assert talent.company_view(recruiter, learner.id).name == "S. B."
    assert [e.name for e in talent.search(SearchFilters()).entries] == ["S. B."]
    assert found(text="Benali") == [], "a name shown as initials is not searchable"


def test_the_preview_is_what_a_company_sees_before_any_acceptance(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    opt_in(learner, "Data", "Je **cherche** un stage.")
    assert talent.preview(learner) == talent.company_view(recruiter, learner.id)
    assert talent.preview(learner).email is None


# What companies see -----------------------------------------------------------------------------


def test_companies_see_issued_certificates_only_with_their_verification_links(pool, app):
    _company, recruiter, cohort, (learner, *_rest) = pool
    app.config["LMS_BASE_URL"] = "https://lms.example.ma"
    pending_learner, revoked_learner = pool[3][1], pool[3][2]
    certificate(learner, cohort, CertificateStatus.ISSUED, 1)
    certificate(pending_learner, cohort, CertificateStatus.PENDING, 2)
    certificate(revoked_learner, cohort, CertificateStatus.REVOKED, 3)
    opt_in(learner)
    opt_in(pending_learner)
    opt_in(revoked_learner)
    (link,) = talent.company_view(recruiter, learner.id).certificates
    assert link.url == "https://lms.example.ma/certificates/cert-1"
    assert link.track == "Développement back-end Python"
    assert talent.company_view(recruiter, pending_learner.id).certificates == ()
    assert talent.company_view(recruiter, revoked_learner.id).certificates == ()


def test_skills_are_the_modules_whose_every_exercise_was_passed(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    passed(learner, module_ids("python-backend", 0))
    second = module_ids("python-backend", 1)
    passed(learner, second[:-1])
    passed(learner, second[-1:], share=0.5)  # graded, not passed
    opt_in(learner)
    assert talent.company_view(recruiter, learner.id).skills == (FUNDAMENTALS,)


def test_project_results_show_the_company_review_without_teammates(pool, trainer):
    _company, recruiter, cohort, (learner, mate, _third) = pool
    ops.assign_trainer(cohort, trainer)
    version = projects.save_brief(recruiter, brief_fields())
    offer = projects.offer(
        trainer, cohort, version, (utcnow() + timedelta(days=5)).date(), team_size_max=2
    )
    team = projects.create_team(offer, "Équipe Atlas", [learner, mate])
    db.session.commit()
    deliver(team, learner)
    review(team, recruiter, comments={"Code": "Tests clairs."})
    opt_in(learner)
    (result,) = talent.company_view(recruiter, learner.id).projects
    assert (result.brief, result.company) == ("API de suivi des colis", "Atlas Logiciels")
    assert (result.score, result.max_score) == (100.0, 100.0)
    assert result.overall_comment == "Bon travail."
    assert ("Code", "Propre", "Tests clairs.") in [
        (c.name, c.level, c.comment) for c in result.criteria
    ]
    assert mate.name not in repr(result)


# Search ----------------------------------------------------------------------------------------


def test_search_filters_by_track_region_and_certificate(programme, pool):
    _company, _recruiter, cohort, (casablanca, certified, _third) = pool
    rabat_cohort = programme.cohort(track="analyse-donnees", region="Rabat-Salé-Kénitra")
    (rabat,) = [e.learner for e in programme.learners(rabat_cohort, 1)]
    certificate(certified, cohort, CertificateStatus.ISSUED, 1)
    certificate(casablanca, cohort, CertificateStatus.REVOKED, 2)
    for learner in (casablanca, certified, rabat):
        opt_in(learner)
    assert set(found(track="python-backend")) == {casablanca.id, certified.id}
    assert found(track="analyse-donnees") == [rabat.id]
    assert found(region="Rabat-Salé-Kénitra") == [rabat.id]
    assert found(certified_only=True) == [certified.id]
    assert found(track="analyse-donnees", certified_only=True) == []


def test_region_is_that_of_the_latest_cohort(programme, pool):
    learner = pool[3][0]
    later = programme.cohort(
        region="Souss-Massa", starts_on=AS_OF, ends_on=AS_OF + timedelta(days=120)
    )
    ops.enrol(later, learner)
    db.session.commit()
    opt_in(learner)
    assert found(region="Souss-Massa") == [learner.id]
    assert found(region="Casablanca-Settat") == []
    (entry,) = talent.search(SearchFilters()).entries
    assert entry.region == "Souss-Massa"


def test_search_by_skill_finds_learners_who_passed_the_whole_module(pool):
    _company, _recruiter, _cohort, (whole, partial, _third) = pool
    passed(whole, module_ids("python-backend", 0))
    passed(partial, module_ids("python-backend", 0)[:-1])
    opt_in(whole)
    opt_in(partial)
    assert found(skill="fondamentaux") == [whole.id]
    assert found(skill="FONDAMENTAUX DE PYTHON") == [whole.id]
    assert found(skill="SQL") == []
    assert found(skill="no such module") == []


def test_search_by_words_reads_headline_about_and_full_name(pool):
    _company, _recruiter, _cohort, (by_headline, by_about, by_name) = pool
    by_name.name = "Yassine Tazi"
    opt_in(by_headline, headline="Développeur Django")
    opt_in(by_about, about="J'aime **Django** et PostgreSQL.")
    opt_in(by_name)
    assert set(found(text="django")) == {by_headline.id, by_about.id}
    assert found(text="tazi") == [by_name.id]
    assert found(text="100%_") == [], "% and _ are searched literally"


def test_search_pages_hold_twenty_profiles(programme, english):
    cohort = programme.cohort()
    for enrollment in programme.learners(cohort, 45):
        opt_in(enrollment.learner)
    first = talent.search(SearchFilters())
    assert (first.total, first.pages, len(first.entries)) == (45, 3, 20)
    assert not first.has_previous and first.has_next
    last = talent.search(SearchFilters(page=3))
    assert len(last.entries) == 5 and not last.has_next
    everyone = {
        e.learner_id for p in (1, 2, 3) for e in talent.search(SearchFilters(page=p)).entries
    }
    assert len(everyone) == 45
    assert talent.search(SearchFilters(page=99)).page == 3


def test_a_withdrawn_profile_leaves_search_and_the_company_list(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    learner.name = "Salma Benali"
    opt_in(learner, "Back-end")
    talent.mark_interest(recruiter, learner.id)
    db.session.commit()
    opt_in(learner, "Back-end", visible=False)
    assert found() == []
    with pytest.raises(NotInPool):
        talent.company_view(recruiter, learner.id)
    with pytest.raises(NotInPool):
        talent.invite(recruiter, learner.id, "Entretien ?")
    (entry,) = talent.pipeline(recruiter)
    assert entry.withdrawn and entry.name is None and entry.email is None


# Interests -------------------------------------------------------------------------------------


def test_marking_interest_twice_keeps_one_interest_the_learner_is_not_told(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    opt_in(learner)
    first = talent.mark_interest(recruiter, learner.id)
    assert talent.mark_interest(recruiter, learner.id) is first
    assert first.status == InterestStatus.INTERESTED
    assert talent.invitations(learner) == []
    assert notifications(learner, "talent_invitation") == []


def test_an_invitation_needs_a_message_and_tells_the_learner_in_their_language(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    learner.locale = "fr"
    opt_in(learner)
    with pytest.raises(TalentError, match="which role"):
        talent.invite(recruiter, learner.id, "   ")
    with pytest.raises(TalentError, match="2,000 characters"):
        talent.invite(recruiter, learner.id, "x" * 2001)
    talent.invite(recruiter, learner.id, "Entretien lundi 10 h.")
    db.session.commit()
    (notice,) = notifications(learner, "talent_invitation")
    assert "Atlas Logiciels" in notice.subject
    assert notice.body == "Entretien lundi 10 h."
    assert notice.link == "/talent/invitations"


def test_accepting_tells_the_company_and_reveals_the_email_to_it_only(programme, pool):
    company, recruiter, _cohort, (learner, *_rest) = pool
    colleague = programme.create_user("company", organization=company)
    _other, other_recruiter = programme.company("Riads de Fès")
    opt_in(learner)
    talent.invite(other_recruiter, learner.id, "Entretien mardi.")
    interest = talent.invite(recruiter, learner.id, "Entretien lundi.")
    db.session.commit()
    assert talent.company_view(recruiter, learner.id).email is None
    talent.respond(learner, interest, accept=True)
    db.session.commit()
    assert talent.company_view(recruiter, learner.id).email == learner.email
    assert talent.company_view(other_recruiter, learner.id).email is None
    assert talent.pipeline(recruiter)[0].email == learner.email
    assert talent.pipeline(other_recruiter)[0].email is None
    for user in (recruiter, colleague):
        (notice,) = notifications(user, "talent_accepted")
        assert learner.email in notice.body
    assert notifications(other_recruiter, "talent_accepted") == []


def test_declining_tells_the_company_and_it_cannot_invite_again(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    opt_in(learner)
    interest = talent.invite(recruiter, learner.id, "Entretien lundi.")
    talent.respond(learner, interest, accept=False)
    db.session.commit()
    assert notifications(recruiter, "talent_declined")
    with pytest.raises(TalentError, match="cannot be asked again"):
        talent.invite(recruiter, learner.id, "Et maintenant ?")
    with pytest.raises(TalentError, match="open invitation"):
        talent.respond(learner, interest, accept=True)


def test_a_learner_may_withdraw_an_acceptance_which_hides_the_email_again(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    opt_in(learner)
    interest = accepted(recruiter, learner)
    talent.respond(learner, interest, accept=False)
    db.session.commit()
    assert interest.status == InterestStatus.DECLINED
    assert talent.company_view(recruiter, learner.id).email is None


def test_accepting_needs_a_visible_profile(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    opt_in(learner)
    interest = talent.invite(recruiter, learner.id, "Entretien lundi.")
    opt_in(learner, visible=False)
    with pytest.raises(TalentError, match="visible"):
        talent.respond(learner, interest, accept=True)
    talent.respond(learner, interest, accept=False)  # saying no is always possible
    assert interest.status == InterestStatus.DECLINED


def test_a_learner_answers_only_their_own_invitations(pool):
    _company, recruiter, _cohort, (learner, other, _third) = pool
    opt_in(learner)
    interest = talent.invite(recruiter, learner.id, "Entretien lundi.")
    with pytest.raises(NotInPool):
        talent.respond(other, interest, accept=True)
    with pytest.raises(NotInPool):
        talent.invitation(other, interest.id)


def test_a_company_sees_only_its_own_interests(programme, pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    _other, other_recruiter = programme.company("Riads de Fès")
    opt_in(learner)
    talent.invite(recruiter, learner.id, "Entretien lundi.")
    db.session.commit()
    assert talent.pipeline(other_recruiter) == []
    assert talent.interest_of(other_recruiter, learner.id) is None
    with pytest.raises(NotInPool):
        talent.record_hire(other_recruiter, learner.id, job())


# Hires -----------------------------------------------------------------------------------------


def test_a_hire_needs_an_accepted_invitation(pool):
    _company, recruiter, _cohort, (learner, *_rest) = pool
    opt_in(learner)
    talent.invite(recruiter, learner.id, "Entretien lundi.")
    with pytest.raises(TalentError, match="accepted your invitation"):
        talent.record_hire(recruiter, learner.id, job(), today=AS_OF)


def test_a_hire_is_an_employer_documented_placement_via_the_pool(pool):
    company, recruiter, cohort, (learner, *_rest) = pool
    opt_in(learner)
    accepted(recruiter, learner)
    details = job(employer_name="Atlas Logiciels", employer_org_id=None)
    interest = talent.record_hire(recruiter, learner.id, details, today=AS_OF)
    db.session.commit()

    record = db.session.get(OutcomeRecord, interest.placement_id)
    assert interest.status == InterestStatus.HIRED
    assert record.source == OutcomeSource.EMPLOYER and record.confirmed
    assert record.via_talent_pool is True
    assert record.employer_org_id == company.id
    assert record.learner_id == learner.id and record.recorded_by_id == recruiter.id
    expected = categorise(
        Facts(
            situation=Situation.WORKING,
            in_field=True,
            employment_status=details.employment_status,
            weekly_hours=details.weekly_hours,
            started_on=details.started_on,
        )
    )
    assert record.category == expected == OutcomeCategory.FULL_TIME_EMPLOYEE
    (notice,) = notifications(learner, "talent_hired")
    assert "Atlas Logiciels" in notice.subject
    assert audit.verify(db.session).ok
    with pytest.raises(TalentError, match="accepted your invitation"):
        talent.record_hire(recruiter, learner.id, details, today=AS_OF)
    assert cohort.id == record.enrollment.cohort_id


def test_a_hire_follows_the_placement_rules(pool):
    _company, recruiter, cohort, (learner, *_rest) = pool
    opt_in(learner)
    accepted(recruiter, learner)
    too_early = job(started_on=cohort.starts_on - timedelta(days=1))
    with pytest.raises(talent.OutcomeError, match="before the bootcamp"):
        talent.record_hire(recruiter, learner.id, too_early, today=AS_OF)
