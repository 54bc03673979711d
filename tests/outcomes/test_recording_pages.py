"""The recording pages, role by role: learners report and correct their own situation,
companies confirm the jobs that name them, trainers record graduation, admins record what a
third party documented. Wrong role: 403; not yours: 404; a refused form keeps what was typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.admin import operations as ops
from lms.extensions import db
from lms.models import Enrollment, Notification, OutcomeRecord, OutcomeSource, User

TODAY = date.today()


@dataclass
class Scene:
    learner: User
    enrollment: Enrollment
    other_learner: User
    other_enrollment: Enrollment
    company: object
    company_user: User
    rival_user: User
    trainer: User
    other_trainer: User
    admin: User
    auditor: User


@pytest.fixture
def scene(programme, client) -> Scene:
    """A cohort that started ten days ago (its learners may still state their intent) and
    ended yesterday, another cohort, two partner companies; pages in English."""
    client.set_cookie("locale", "en")
    create = programme.create_user
    trainer, other_trainer = create("trainer"), create("trainer")
    cohort = programme.cohort(
        starts_on=TODAY - timedelta(days=10), ends_on=TODAY - timedelta(days=1)
    )
    other_cohort = programme.cohort()
    ops.assign_trainer(cohort, trainer)
    ops.assign_trainer(other_cohort, other_trainer)
    (enrollment,) = programme.learners(cohort, 1, graduated=False)
    (other_enrollment,) = programme.learners(other_cohort, 1)
    company, company_user = programme.company("Atlas Logiciels")
    _, rival_user = programme.company("Riads Numériques")
    return Scene(
        enrollment.learner,
        enrollment,
        other_enrollment.learner,
        other_enrollment,
        company,
        company_user,
        rival_user,
        trainer,
        other_trainer,
        programme.admin,
        create("auditor"),
    )


def job_form(**changes) -> dict:
    values = {
        "employer_org_id": "",
        "employer_name": "Atlas Logiciels",
        "via_brief_id": "",
        "job_title": "Développeuse back-end",
        "occupation": "2512",
        "employment_status": "permanent",
        "written_contract": "yes",
        "weekly_hours": "44",
        "monthly_pay_mad": "8123",
        "cnss_declared": "yes",
        "started_on": TODAY.isoformat(),
        "ended_on": "",
        "note": "Contrat signé",
    }
    values.update(changes)
    return values


def post(client, auth, path: str, data: dict, csrf: bool = True):
    if csrf:
        data = {**data, "csrf_token": auth.csrf_token("/outcomes/mine")}
    return client.post(path, data=data)


def login(auth, user: User) -> None:
    assert auth.login(user.email).status_code == 302


def records_of(enrollment: Enrollment) -> list[OutcomeRecord]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutcomeRecord)
            .where(OutcomeRecord.enrollment_id == enrollment.id)
            .order_by(OutcomeRecord.id)
        )
    )


def report_job(client, auth, scene: Scene, **changes) -> OutcomeRecord:
    login(auth, scene.learner)
    path = f"/outcomes/mine/{scene.enrollment.id}/job"
    response = post(client, auth, path, job_form(**changes))
    assert response.status_code == 303, response.get_data(as_text=True)
    auth.logout()
    return records_of(scene.enrollment)[-1]


def has_value(html: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', html) is not None


# Roles ---------------------------------------------------------------------------------------


PAGES = {
    "/outcomes/mine": {"learner"},
    "/outcomes/company": {"company"},
    "/outcomes/cohorts/{cohort}/graduation": {"trainer", "admin"},
    "/outcomes/enrollments/{enrollment}": {"admin"},
}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_is_forbidden_to_the_other_roles(client, auth, scene, page):
    path = page.format(cohort=scene.enrollment.cohort_id, enrollment=scene.enrollment.id)
    users = {
        "learner": scene.learner,
        "company": scene.company_user,
        "trainer": scene.trainer,
        "admin": scene.admin,
        "auditor": scene.auditor,
    }
    assert client.get(path).status_code == 302, "anonymous: to the login page"
    for role, user in users.items():
        login(auth, user)
        expected = 200 if role in PAGES[page] else 403
        assert client.get(path).status_code == expected, role
        auth.logout()


def test_posting_as_the_wrong_role_is_forbidden(client, auth, scene):
    login(auth, scene.company_user)
    path = f"/outcomes/mine/{scene.enrollment.id}/job"
    assert post(client, auth, path, job_form()).status_code == 403
    assert records_of(scene.enrollment) == []


def test_a_form_without_its_csrf_token_is_refused(client, auth, scene):
    login(auth, scene.learner)
    path = f"/outcomes/mine/{scene.enrollment.id}/job"
    assert post(client, auth, path, job_form(), csrf=False).status_code == 400
    assert records_of(scene.enrollment) == []


# Learners ------------------------------------------------------------------------------------


def test_a_learner_cannot_report_on_another_learners_enrolment(client, auth, scene):
    login(auth, scene.learner)
    other = scene.other_enrollment.id
    for path, data in (
        (f"/outcomes/mine/{other}/job", job_form()),
        (f"/outcomes/mine/{other}/situation", {"situation": "seeking"}),
        (f"/outcomes/mine/{other}/intent", {"seeking": "yes"}),
        (f"/outcomes/mine/{other}/unchanged", {}),
    ):
        assert post(client, auth, path, data).status_code == 404, path
    assert records_of(scene.other_enrollment) == []


def test_a_learner_cannot_open_another_learners_record(client, auth, scene):
    auth.login(scene.other_learner.email)
    path = f"/outcomes/mine/{scene.other_enrollment.id}/situation"
    data = {"situation": "seeking", "effective_on": TODAY.isoformat()}
    assert post(client, auth, path, data).status_code == 303
    (theirs,) = records_of(scene.other_enrollment)
    auth.logout()
    login(auth, scene.learner)
    correct = f"/outcomes/mine/records/{theirs.id}/correct"
    assert client.get(correct).status_code == 404
    assert (
        post(client, auth, correct, {"kind": "situation", "situation": "seeking"}).status_code
        == 404
    )


def test_the_intent_question_is_asked_once_then_shown_as_fixed(client, auth, scene):
    login(auth, scene.learner)
    page = client.get("/outcomes/mine").get_data(as_text=True)
    assert "will you look for a job in this field?" in page
    path = f"/outcomes/mine/{scene.enrollment.id}/intent"
    assert post(client, auth, path, {"seeking": "no"}).status_code == 303
    page = client.get("/outcomes/mine").get_data(as_text=True)
    assert "will you look for a job in this field?" not in page
    assert "You said you would not look for a job in this field." in page
    again = post(client, auth, path, {"seeking": "yes"})
    assert again.status_code == 422
    assert "The intent was already recorded and cannot change." in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrollment, scene.enrollment.id).seeking_in_field is False


def test_a_refused_job_report_keeps_what_was_typed(client, auth, scene):
    login(auth, scene.learner)
    path = f"/outcomes/mine/{scene.enrollment.id}/job"
    too_early = (TODAY - timedelta(days=30)).isoformat()
    response = post(client, auth, path, job_form(started_on=too_early, weekly_hours="44"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "A job held before the bootcamp started is not a placement." in html
    assert has_value(html, "job_title", "Développeuse back-end")
    assert has_value(html, "monthly_pay_mad", "8123")
    assert has_value(html, "started_on", too_early)
    assert 'value="2512" selected' in html
    assert records_of(scene.enrollment) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weekly_hours": "81"}, "Weekly hours must be between 1 and 80."),
        ({"monthly_pay_mad": "huit mille"}, "Hours and pay are written as whole numbers."),
        ({"occupation": "0000"}, "Choose an occupation from the list."),
        ({"started_on": "24/11/2026"}, "Dates are written YYYY-MM-DD."),
        ({"employment_status": ""}, "Choose an employment status."),
    ],
)
def test_a_job_report_says_what_is_wrong(client, auth, scene, changes, message):
    login(auth, scene.learner)
    response = post(client, auth, f"/outcomes/mine/{scene.enrollment.id}/job", job_form(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_exclusion_without_a_reason_is_refused_and_kept(client, auth, scene):
    login(auth, scene.learner)
    path = f"/outcomes/mine/{scene.enrollment.id}/situation"
    data = {"situation": "excluded", "effective_on": TODAY.isoformat(), "note": "Master à Rabat"}
    response = post(client, auth, path, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "An exclusion, and only an exclusion, needs a reason." in html
    assert "Master à Rabat</textarea>" in html
    assert 'value="excluded" selected' in html


def test_a_reported_job_is_current_and_the_named_company_is_asked_to_confirm(client, auth, scene):
    record = report_job(client, auth, scene, employer_org_id=str(scene.company.id))
    assert record.source == OutcomeSource.LEARNER
    assert record.employer_org_id == scene.company.id
    assert record.employer_name == "Atlas Logiciels"
    (asked,) = db.session.scalars(
        select(Notification).where(Notification.user_id == scene.company_user.id)
    )
    assert asked.kind == "outcome_to_confirm"
    assert asked.link == f"/outcomes/company/records/{record.id}"
    assert not db.session.scalars(
        select(Notification).where(Notification.user_id == scene.rival_user.id)
    ).all()
    login(auth, scene.learner)
    page = client.get("/outcomes/mine").get_data(as_text=True)
    assert f'id="current-{record.id}"' in page
    assert "reported by the learner" in page
    assert f"/outcomes/mine/records/{record.id}/correct" in page


def test_a_correction_replaces_the_self_report_and_the_history_strikes_it(client, auth, scene):
    first = report_job(client, auth, scene, weekly_hours="20")
    login(auth, scene.learner)
    path = f"/outcomes/mine/records/{first.id}/correct"
    form = client.get(path).get_data(as_text=True)
    assert has_value(form, "weekly_hours", "20"), "prefilled with the record"
    response = post(client, auth, path, {"kind": "job", **job_form(weekly_hours="40")})
    assert response.status_code == 303
    old, new = records_of(scene.enrollment)
    assert (old.id, new.replaces_id, new.weekly_hours) == (first.id, first.id, 40)
    page = client.get("/outcomes/mine").get_data(as_text=True)
    replaced_row = page.split(f'id="record-{old.id}"')[1].split("</tr>")[0]
    assert "<del>" in replaced_row and scene.learner.name in replaced_row
    assert f'id="current-{new.id}"' in page and f'id="current-{old.id}"' not in page


def test_a_confirmed_job_cannot_be_corrected_by_the_learner(client, auth, scene):
    reported = report_job(client, auth, scene, employer_org_id=str(scene.company.id))
    login(auth, scene.company_user)
    path = f"/outcomes/company/records/{reported.id}"
    assert post(client, auth, path, job_form()).status_code == 303
    auth.logout()
    confirmed = records_of(scene.enrollment)[-1]
    login(auth, scene.learner)
    page = client.get("/outcomes/mine").get_data(as_text=True)
    current = page.split(f'id="current-{confirmed.id}"')[1].split("</li>")[0]
    assert "confirmed by the employer" in current and ">confirmed<" in current
    assert "/correct" not in current
    forged = post(
        client,
        auth,
        f"/outcomes/mine/records/{confirmed.id}/correct",
        {"kind": "job", **job_form()},
    )
    assert forged.status_code == 422
    assert "A confirmed record can only be changed by the employer or the programme." in (
        forged.get_data(as_text=True)
    )
    assert len(records_of(scene.enrollment)) == 2


def test_the_home_page_asks_for_the_intent_until_it_is_given(client, auth, scene):
    login(auth, scene.learner)
    assert 'id="outcomes-banner"' in client.get("/").get_data(as_text=True)
    post(client, auth, f"/outcomes/mine/{scene.enrollment.id}/intent", {"seeking": "yes"})
    assert 'id="outcomes-banner"' not in client.get("/").get_data(as_text=True)


# Companies -----------------------------------------------------------------------------------


def test_the_company_confirms_with_its_own_figures_and_the_learner_is_told(client, auth, scene):
    reported = report_job(client, auth, scene, employer_org_id=str(scene.company.id))
    login(auth, scene.company_user)
    page = client.get("/outcomes/company").get_data(as_text=True)
    to_confirm = page.split(f'id="to-confirm-{reported.id}"')[1].split("</section>")[0]
    assert scene.learner.name in to_confirm
    assert has_value(to_confirm, "monthly_pay_mad", "8123"), "prefilled with the learner's"
    path = f"/outcomes/company/records/{reported.id}"
    assert post(client, auth, path, job_form(monthly_pay_mad="7000")).status_code == 303
    _, confirmed = records_of(scene.enrollment)
    assert (confirmed.source, confirmed.replaces_id) == (OutcomeSource.EMPLOYER, reported.id)
    assert (confirmed.monthly_pay_mad, confirmed.employer_org_id) == (7000, scene.company.id)
    page = client.get("/outcomes/company").get_data(as_text=True)
    assert f'id="to-confirm-{reported.id}"' not in page
    assert f'id="confirmed-{confirmed.id}"' in page
    (told,) = db.session.scalars(
        select(Notification).where(Notification.user_id == scene.learner.id)
    )
    # In French: the learner chose no language, and French is the default.
    assert told.kind == "outcome_confirmed" and "a corrigé et confirmé" in told.subject


def test_a_refused_confirmation_keeps_the_companys_figures(client, auth, scene):
    reported = report_job(client, auth, scene, employer_org_id=str(scene.company.id))
    login(auth, scene.company_user)
    path = f"/outcomes/company/records/{reported.id}"
    response = post(client, auth, path, job_form(weekly_hours="100", monthly_pay_mad="7000"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Weekly hours must be between 1 and 80." in html
    assert has_value(html, "weekly_hours", "100") and has_value(html, "monthly_pay_mad", "7000")
    assert len(records_of(scene.enrollment)) == 1


def test_a_company_never_sees_a_record_naming_another_company(client, auth, scene):
    reported = report_job(client, auth, scene, employer_org_id=str(scene.company.id))
    free_text = report_job(client, auth, scene, employer_name="Atlas Logiciels")
    login(auth, scene.rival_user)
    assert scene.learner.name not in client.get("/outcomes/company").get_data(as_text=True)
    for record in (reported, free_text):
        path = f"/outcomes/company/records/{record.id}"
        assert client.get(path).status_code == 404
        assert post(client, auth, path, job_form()).status_code == 404
    auth.logout()
    login(auth, scene.company_user)
    assert client.get(f"/outcomes/company/records/{free_text.id}").status_code == 404
    assert len(records_of(scene.enrollment)) == 2


# Trainers and admins -------------------------------------------------------------------------


def test_a_trainer_records_and_clears_graduation_and_sees_intent(client, auth, scene):
    cohort = scene.enrollment.cohort
    login(auth, scene.trainer)
    path = f"/outcomes/cohorts/{cohort.id}/graduation"
    page = client.get(path).get_data(as_text=True)
    assert has_value(page, "graduated_on", cohort.ends_on.isoformat()), "the cohort's end"
    assert "not stated (counts as yes)" in page
    row = f"{path}/{scene.enrollment.id}"
    data = {"graduated_on": cohort.ends_on.isoformat(), "action": "record"}
    assert post(client, auth, row, data).status_code == 303
    db.session.expire_all()
    assert db.session.get(Enrollment, scene.enrollment.id).graduated_on == cohort.ends_on
    assert post(client, auth, row, {"action": "clear"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Enrollment, scene.enrollment.id).graduated_on is None


def test_a_refused_graduation_date_is_kept_with_the_reason(client, auth, scene):
    cohort = scene.enrollment.cohort
    login(auth, scene.trainer)
    path = f"/outcomes/cohorts/{cohort.id}/graduation/{scene.enrollment.id}"
    early = (cohort.starts_on - timedelta(days=3)).isoformat()
    response = post(client, auth, path, {"graduated_on": early, "action": "record"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "A learner cannot graduate before the cohort starts." in html
    assert has_value(html, "graduated_on", early)


def test_graduation_pages_of_other_cohorts_are_not_found(client, auth, scene):
    cohort = scene.enrollment.cohort
    login(auth, scene.other_trainer)
    path = f"/outcomes/cohorts/{cohort.id}/graduation"
    assert client.get(path).status_code == 404
    data = {"graduated_on": cohort.ends_on.isoformat(), "action": "record"}
    assert post(client, auth, f"{path}/{scene.enrollment.id}", data).status_code == 404
    auth.logout()
    login(auth, scene.trainer)
    other = f"{path}/{scene.other_enrollment.id}"  # a learner of another cohort
    assert post(client, auth, other, data).status_code == 404
    assert client.get("/outcomes/cohorts/999999/graduation").status_code == 404


def test_an_admin_records_a_third_party_exclusion_and_sees_the_history(client, auth, scene):
    learner_record = report_job(client, auth, scene)
    login(auth, scene.admin)
    path = f"/outcomes/enrollments/{scene.enrollment.id}/situation"
    data = {
        "situation": "excluded",
        "effective_on": TODAY.isoformat(),
        "exclusion_reason": "",
        "replaces": str(learner_record.id),
        "note": "Appel téléphonique du 20/11",
    }
    refused = post(client, auth, path, data)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "An exclusion, and only an exclusion, needs a reason." in html
    assert "Appel téléphonique du 20/11</textarea>" in html
    assert f'value="{learner_record.id}" selected' in html
    assert post(client, auth, path, {**data, "exclusion_reason": "emigrated"}).status_code == 303
    _, exclusion = records_of(scene.enrollment)
    assert exclusion.source == OutcomeSource.THIRD_PARTY
    assert exclusion.replaces_id == learner_record.id
    page = client.get(f"/outcomes/enrollments/{scene.enrollment.id}").get_data(as_text=True)
    assert "documented by the programme" in page and "Emigrated" in page
    assert "<del>" in page.split(f'id="record-{learner_record.id}"')[1].split("</tr>")[0]
    assert client.get("/outcomes/enrollments/999999").status_code == 404
