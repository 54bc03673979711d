"""Role and ownership on every page: each role sees what is theirs and nothing else."""

import pytest

from lms.extensions import db
from lms.models import Submission
from lms.submissions import operations

EXERCISE = "python-backend/prix-ttc"


def _submission_of(user, loaded) -> Submission:
    submission = operations.submit(
        user, loaded.exercises[EXERCISE], {"prix.py": "x = 1"}, loaded.commit, 10_000
    )
    db.session.commit()
    return submission


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for path in [
        "/",
        "/learn/python-backend",
        "/trainer/cohorts",
        "/submissions/1",
        "/exercises/python-backend/prix-ttc",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"]


def test_learner_cannot_read_another_learners_submission(
    client, auth, learner, create_user, create_cohort, loaded
):
    other = create_user("learner")
    create_cohort(learners=[other])
    theirs = _submission_of(other, loaded)
    auth.login(learner.email)
    assert client.get(f"/submissions/{theirs.id}").status_code == 404
    assert client.get(f"/submissions/{theirs.id}/status").status_code == 404
    mine = _submission_of(learner, loaded)
    assert client.get(f"/submissions/{mine.id}").status_code == 200


def test_learner_cannot_open_trainer_pages(client, auth, learner):
    auth.login(learner.email)
    assert client.get("/trainer/cohorts").status_code == 403


def test_learner_without_enrolment_cannot_read_the_track(client, auth, create_user):
    outsider = create_user("learner")
    auth.login(outsider.email)
    assert client.get("/learn/python-backend").status_code == 404
    assert (
        client.get("/learn/python-backend/01-fondamentaux/01-variables-types-chaines").status_code
        == 404
    )
    assert client.get("/exercises/python-backend/prix-ttc").status_code == 404


def test_trainer_sees_own_cohort_learners_work_but_not_other_cohorts(
    client, auth, learner, trainer, create_user, create_cohort, loaded
):
    other_trainer = create_user("trainer")
    stranger = create_user("learner")
    other_cohort = create_cohort(trainers=[other_trainer], learners=[stranger])
    own = _submission_of(learner, loaded)
    foreign = _submission_of(stranger, loaded)

    auth.login(trainer.email)
    assert client.get(f"/submissions/{own.id}").status_code == 200
    assert client.get(f"/submissions/{foreign.id}").status_code == 404
    assert client.get(f"/trainer/cohorts/{other_cohort.id}").status_code == 404
    listing = client.get("/trainer/cohorts").get_data(as_text=True)
    assert other_cohort.name not in listing


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_auditors_and_admins_read_every_cohort(client, auth, create_user, learner, role):
    from lms.models import Cohort

    reader = create_user(role)
    auth.login(reader.email)
    cohort = db.session.query(Cohort).one()
    assert client.get(f"/trainer/cohorts/{cohort.id}").status_code == 200


def test_company_users_have_no_learning_pages(client, auth, create_user):
    company = create_user("company")
    auth.login(company.email)
    assert client.get("/learn/python-backend").status_code == 404
    assert client.get("/trainer/cohorts").status_code == 403


def test_forms_without_csrf_token_are_refused(client, learner):
    response = client.post("/login", data={"email": learner.email, "password": "x"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_browser_submission_without_csrf_token_is_refused(client, auth, learner):
    auth.login(learner.email)
    response = client.post(
        "/exercises/python-backend/prix-ttc/submissions", json={"files": {"prix.py": "x = 1"}}
    )
    assert response.status_code == 400
    assert "CSRF" in response.json["error"]


def test_login_refuses_wrong_password_without_saying_which_part_was_wrong(client, auth, learner):
    response = auth.login(learner.email, "wrong password")
    assert response.status_code == 401
    unknown = auth.login("nobody@test.ma", "wrong password")
    assert unknown.status_code == 401
    assert "incorrect" in response.get_data(as_text=True)


def test_login_does_not_redirect_off_site(client, auth, learner):
    token = auth.csrf_token()
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": learner.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
