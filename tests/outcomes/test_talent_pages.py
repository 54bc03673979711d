"""The talent pool's pages: who may open them, and the way from a search to a hire as
learners and companies click through it. The rules themselves are in test_talent.py."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import InterestStatus, OutcomeRecord, TalentInterest
from lms.outcomes.talent import operations as talent
from lms.outcomes.talent.operations import ProfileFields
from tests.conftest import AuthActions
from tests.outcomes.conftest import ENDED

COMPANY_PAGES = ["/talent/", "/talent/interests", "/talent/learners/{id}"]


@pytest.fixture
def fair(programme):
    """A company with a recruiter, a learner who opted in, a cohort that ended in February."""
    company, recruiter = programme.company("Atlas Logiciels")
    cohort = programme.cohort()
    (enrollment,) = programme.learners(cohort, 1)
    learner = enrollment.learner
    talent.update_profile(learner, ProfileFields(True, "Développeuse Django", "", "full"))
    db.session.commit()
    return company, recruiter, learner


@pytest.fixture
def signed_in(app):
    """A client of its own per user, signed in, reading English pages."""

    def sign_in(user):
        client = app.test_client()
        client.set_cookie("locale", "en")
        AuthActions(client).login(user.email)
        return client

    return sign_in


def csrf(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post(client, path, data, form_page):
    return client.post(path, data={**data, "csrf_token": csrf(client, form_page)})


@pytest.mark.parametrize("role", ["learner", "trainer", "auditor", "admin"])
def test_only_company_users_open_the_pool(programme, fair, signed_in, role):
    learner = fair[2]
    client = signed_in(programme.create_user(role))
    for path in COMPANY_PAGES:
        assert client.get(path.format(id=learner.id)).status_code == 403, path


def test_only_learners_have_a_profile_page(fair, signed_in):
    _company, recruiter, learner = fair
    assert signed_in(recruiter).get("/talent/profile").status_code == 403
    assert signed_in(recruiter).get("/talent/invitations").status_code == 403
    assert signed_in(learner).get("/talent/profile").status_code == 200


def test_the_profile_form_saves_and_previews_what_companies_see(programme, signed_in):
    cohort = programme.cohort()
    (enrollment,) = programme.learners(cohort, 1)
    client = signed_in(enrollment.learner)
    page = client.get("/talent/profile").get_data(as_text=True)
    assert "Your profile is hidden" in page
    response = post(
        client,
        "/talent/profile",
        {
            "visible": "1",
            "headline": "Analyste junior",
            "about": "Je **code** <script>alert(1)</script>",
            "name_display": "initials",
        },
        "/talent/profile",
    )
    assert response.status_code == 302
    page = client.get("/talent/profile").get_data(as_text=True)
    assert "Partner companies can find your profile." in page
    assert "Analyste junior" in page and "<strong>code</strong>" in page
    assert "<script>alert" not in page, "the presentation's raw HTML is escaped"
    initials = " ".join(f"{p[0]}." for p in enrollment.learner.name.split())
    assert initials in page


def test_a_too_long_headline_is_refused_with_a_message(fair, signed_in):
    client = signed_in(fair[2])
    response = post(
        client,
        "/talent/profile",
        {"visible": "1", "headline": "x" * 201, "name_display": "full"},
        "/talent/profile",
    )
    assert response.status_code == 200
    assert "200 characters at most" in response.get_data(as_text=True)


def test_a_hidden_profile_is_not_found_and_not_listed(programme, fair, signed_in):
    _company, recruiter, learner = fair
    hidden = programme.learners(programme.cohort(), 1)[0].learner
    client = signed_in(recruiter)
    assert client.get(f"/talent/learners/{hidden.id}").status_code == 404
    assert client.get(f"/talent/learners/{learner.id}").status_code == 200
    listing = client.get("/talent/").get_data(as_text=True)
    assert f"/talent/learners/{learner.id}" in listing
    assert f"/talent/learners/{hidden.id}" not in listing
    assert (
        client.post(
            f"/talent/learners/{hidden.id}/interest",
            data={"csrf_token": csrf(client, "/talent/")},
        ).status_code
        == 404
    )


def test_the_search_form_filters_and_pages(programme, fair, signed_in):
    recruiter, learner = fair[1], fair[2]
    for enrollment in programme.learners(programme.cohort(region="Souss-Massa"), 21):
        talent.update_profile(enrollment.learner, ProfileFields(True, "", "", "full"))
    db.session.commit()
    client = signed_in(recruiter)
    first = client.get("/talent/?region=Souss-Massa").get_data(as_text=True)
    assert "Profiles found: 21" in first and "Page 1 of 2" in first
    assert f"/talent/learners/{learner.id}" not in first
    assert 'rel="next"' in first and "region=Souss-Massa" in first
    second = client.get("/talent/?region=Souss-Massa&page=2").get_data(as_text=True)
    assert second.count('<tr id="learner-') == 1
    found = client.get("/talent/?q=django").get_data(as_text=True)
    assert "Profiles found: 1" in found and f"/talent/learners/{learner.id}" in found


def test_from_invitation_to_hire(fair, signed_in):
    company, recruiter, learner = fair
    company_client, learner_client = signed_in(recruiter), signed_in(learner)
    profile_page = f"/talent/learners/{learner.id}"

    post(company_client, f"{profile_page}/invite", {"message": "Lundi 10 h."}, profile_page)
    page = company_client.get(profile_page).get_data(as_text=True)
    assert learner.email not in page, "no e-mail before the learner accepts"
    invitations = learner_client.get("/talent/invitations").get_data(as_text=True)
    assert "Atlas Logiciels" in invitations and "Lundi 10 h." in invitations

    interest = db.session.scalar(select(TalentInterest))
    post(
        learner_client,
        f"/talent/invitations/{interest.id}",
        {"answer": "accept"},
        "/talent/invitations",
    )
    page = company_client.get(profile_page).get_data(as_text=True)
    assert learner.email in page and 'id="hire-form"' in page
    assert learner.email in company_client.get("/talent/interests").get_data(as_text=True)

    response = post(
        company_client,
        f"{profile_page}/hire",
        {
            "employer_name": "Atlas Logiciels",
            "job_title": "Développeuse back-end",
            "occupation": "2512",
            "employment_status": "permanent",
            "started_on": ENDED.replace(month=3).isoformat(),
            "weekly_hours": "44",
            "monthly_pay_mad": "8000",
            "written_contract": "yes",
            "cnss_declared": "yes",
        },
        profile_page,
    )
    assert response.status_code == 302
    record = db.session.scalar(select(OutcomeRecord))
    assert record.via_talent_pool and record.employer_org_id == company.id
    db.session.refresh(interest)
    assert interest.status == InterestStatus.HIRED and interest.placement_id == record.id


def test_a_hire_with_a_bad_date_keeps_the_form_and_says_why(fair, signed_in):
    _company, recruiter, learner = fair
    interest = talent.invite(recruiter, learner.id, "Lundi.")
    talent.respond(learner, interest, accept=True)
    db.session.commit()
    client = signed_in(recruiter)
    page = f"/talent/learners/{learner.id}"
    response = post(
        client,
        f"{page}/hire",
        {"job_title": "Stagiaire", "employment_status": "permanent", "started_on": "demain"},
        page,
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "YYYY-MM-DD" in text and 'value="Stagiaire"' in text


def test_companies_never_reach_each_others_interests(programme, fair, signed_in):
    _company, recruiter, learner = fair
    _other, other_recruiter = programme.company("Riads de Fès")
    interest = talent.invite(recruiter, learner.id, "Lundi 10 h, Casablanca.")
    talent.respond(learner, interest, accept=True)
    db.session.commit()
    client = signed_in(other_recruiter)
    assert "Lundi 10 h" not in client.get("/talent/interests").get_data(as_text=True)
    page = client.get(f"/talent/learners/{learner.id}").get_data(as_text=True)
    assert "Lundi 10 h" not in page and learner.email not in page
    hire = client.post(
        f"/talent/learners/{learner.id}/hire",
        data={
            "csrf_token": csrf(client, "/talent/"),
            "employment_status": "permanent",
            "started_on": "2026-03-01",
        },
    )
    assert hire.status_code == 404


def test_a_learner_cannot_answer_another_learners_invitation(programme, fair, signed_in):
    _company, recruiter, learner = fair
    interest = talent.invite(recruiter, learner.id, "Lundi.")
    db.session.commit()
    other = programme.learners(programme.cohort(), 1)[0].learner
    client = signed_in(other)
    response = client.post(
        f"/talent/invitations/{interest.id}",
        data={"csrf_token": csrf(client, "/talent/invitations"), "answer": "accept"},
    )
    assert response.status_code == 404


def test_a_withdrawn_profile_shows_as_withdrawn_in_the_company_list(fair, signed_in):
    _company, recruiter, learner = fair
    talent.mark_interest(recruiter, learner.id)
    talent.update_profile(learner, ProfileFields(False, "Développeuse Django", "", "full"))
    db.session.commit()
    client = signed_in(recruiter)
    listing = client.get("/talent/interests").get_data(as_text=True)
    assert "profile withdrawn" in listing and learner.name not in listing
    assert client.get(f"/talent/learners/{learner.id}").status_code == 404
