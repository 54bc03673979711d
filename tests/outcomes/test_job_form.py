"""The one job form, on French pages: the talent pool's hire and the learner's own report read
the wage the same way ("8 000" with any of its spaces), refuse junk in French, and a field left
empty comes back beside the field with everything typed kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutcomeRecord
from lms.outcomes.talent import operations as talent
from lms.outcomes.talent.operations import ProfileFields
from tests.conftest import AuthActions
from tests.outcomes.conftest import ENDED

NARROW_NBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def hiring(programme, app):
    """A company whose invitation a learner in the pool accepted; the recruiter signed in on a
    French page."""
    company, recruiter = programme.company("Atlas Logiciels")
    (enrollment,) = programme.learners(programme.cohort(), 1)
    learner = enrollment.learner
    talent.update_profile(learner, ProfileFields(True, "Développeuse Django", "", "full"))
    interest = talent.invite(recruiter, learner.id, "Lundi 10 h.")
    talent.respond(learner, interest, accept=True)
    db.session.commit()
    client = app.test_client()
    client.set_cookie("locale", "fr")
    AuthActions(client).login(recruiter.email)
    return client, learner


def csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def hire(**changes) -> dict:
    values = {
        "employer_name": "Atlas Logiciels",
        "job_title": "Développeuse back-end",
        "occupation": "2512",
        "employment_status": "permanent",
        "started_on": ENDED.replace(month=3).isoformat(),
        "weekly_hours": "44",
        "monthly_pay_mad": f"8{NARROW_NBSP}000",
        "written_contract": "yes",
        "cnss_declared": "yes",
    }
    return values | changes


def test_a_hire_without_a_job_title_comes_back_in_french_with_what_was_typed(hiring):
    client, learner = hiring
    page = f"/talent/learners/{learner.id}"
    response = client.post(
        f"{page}/hire", data={**hire(job_title=""), "csrf_token": csrf(client, page)}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    title = html.split('name="job_title"')[1].split("</label>")[0]
    assert 'aria-describedby="hire-job_title-error"' in title
    assert "Ce champ est obligatoire." in title, "beside the field, in French"
    assert (
        f'name="monthly_pay_mad" inputmode="numeric" maxlength="20" value="8{NARROW_NBSP}000"'
        in html
    )
    assert 'value="Atlas Logiciels"' in html and 'value="2512" selected' in html
    assert db.session.scalars(select(OutcomeRecord)).all() == []


def test_a_hire_with_junk_for_a_wage_is_refused_in_french(hiring):
    client, learner = hiring
    page = f"/talent/learners/{learner.id}"
    data = {**hire(monthly_pay_mad="huit mille"), "csrf_token": csrf(client, page)}
    response = client.post(f"{page}/hire", data=data)
    assert response.status_code == 400
    pay = response.get_data(as_text=True).split('name="monthly_pay_mad"')[1].split("</label>")[0]
    assert "Les heures et le salaire s&#39;écrivent en nombres entiers." in pay
    assert 'value="huit mille"' in pay


@pytest.mark.parametrize("pay", ["8000", "8 000", f"8{NBSP}000", f"8{NARROW_NBSP}000"])
def test_a_hire_reads_the_wage_however_its_thousands_are_spaced(hiring, pay):
    client, learner = hiring
    page = f"/talent/learners/{learner.id}"
    data = {**hire(monthly_pay_mad=pay), "csrf_token": csrf(client, page)}
    assert client.post(f"{page}/hire", data=data).status_code == 302
    assert db.session.scalar(select(OutcomeRecord.monthly_pay_mad)) == 8000


def test_the_learners_own_report_reads_the_wage_the_same_way(programme, app):
    (enrollment,) = programme.learners(programme.cohort(), 1)
    client = app.test_client()
    client.set_cookie("locale", "fr")
    AuthActions(client).login(enrollment.learner.email)
    path = f"/outcomes/mine/{enrollment.id}/job"
    token = csrf(client, "/outcomes/mine")
    refused = client.post(path, data={**hire(monthly_pay_mad="8.000"), "csrf_token": token})
    assert refused.status_code == 422
    assert "Les heures et le salaire s&#39;écrivent en nombres entiers." in refused.get_data(
        as_text=True
    )
    reported = client.post(path, data={**hire(monthly_pay_mad=f"8{NBSP}000"), "csrf_token": token})
    assert reported.status_code == 303
    assert db.session.scalar(select(OutcomeRecord.monthly_pay_mad)) == 8000
