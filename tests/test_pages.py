"""The pages learners and trainers use, in French by default and in English on request."""

import re

from lms.extensions import db
from lms.submissions import operations

LESSON = "/learn/python-backend/01-fondamentaux/01-variables-types-chaines"


def test_the_interface_is_french_by_default_and_left_to_right(client, auth, learner):
    auth.login(learner.email)
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    assert "Mes parcours" in page and "Se déconnecter" in page


def test_english_can_be_chosen_and_is_remembered_on_the_account(client, auth, learner):
    auth.login(learner.email)
    response = client.post(
        "/locale", data={"locale": "en", "next": "/", "csrf_token": auth.csrf_token("/")}
    )
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page and "My tracks" in page
    db.session.expire_all()
    assert db.session.get(type(learner), learner.id).locale == "en"


def test_home_shows_the_track_and_progress(client, auth, learner):
    auth.login(learner.email)
    page = client.get("/").get_data(as_text=True)
    assert "Développement back-end Python" in page
    assert re.search(r"0 exercice\(s\) réussi\(s\) sur 8", page)


def test_a_lesson_renders_markdown_with_highlighting_and_an_embedded_exercise(
    client, auth, learner
):
    auth.login(learner.email)
    page = client.get(LESSON).get_data(as_text=True)
    assert '<div class="highlight">' in page
    assert 'class="admonition' in page
    assert 'href="/exercises/python-backend/prix-ttc"' in page
    assert 'rel="next"' in page


def test_every_lesson_of_the_sample_track_renders(client, auth, learner, loaded):
    auth.login(learner.email)
    for lesson in loaded.tracks["python-backend"].lessons:
        url = f"/learn/{lesson.track}/{lesson.module}/{lesson.slug}"
        assert client.get(url).status_code == 200, url


def test_the_exercise_page_has_one_editor_tab_per_file(client, auth, learner):
    auth.login(learner.email)
    page = client.get("/exercises/python-backend/catalogue-sqlite").get_data(as_text=True)
    assert page.count('role="tab"') == 2
    assert 'name="file:modeles.py"' in page and 'name="file:depot.py"' in page
    assert "codemirror.js" in page


def test_a_form_post_without_javascript_also_submits(client, auth, learner):
    auth.login(learner.email)
    token = auth.csrf_token("/exercises/python-backend/prix-ttc")
    response = client.post(
        "/exercises/python-backend/prix-ttc/submissions",
        data={"file:prix.py": "x = 1\n", "csrf_token": token},
    )
    assert response.status_code == 302
    assert re.match(r"/submissions/\d+$", response.headers["Location"])


def test_trainer_grid_shows_best_scores_per_learner_and_exercise(
    client, auth, learner, trainer, loaded
):
    from lms.models import Cohort, Submission, SubmissionStatus

    exercise = loaded.exercises["python-backend/prix-ttc"]
    for score in (4, 9, 7):
        submission = operations.submit(
            learner, exercise, {"prix.py": f"# {score}"}, loaded.commit, 10_000
        )
        submission.status, submission.score = SubmissionStatus.GRADED, score
    db.session.commit()
    latest = db.session.query(Submission).order_by(Submission.id.desc()).first()
    auth.login(trainer.email)
    cohort = db.session.query(Cohort).one()
    page = client.get(f"/trainer/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Salma" in page
    assert f'href="/submissions/{latest.id}">9/10</a>' in page
    code = client.get(f"/submissions/{latest.id}").get_data(as_text=True)
    assert '<div class="highlight">' in code and "Salma" in code


def test_malformed_content_never_takes_the_site_down(
    app, client, auth, tmp_path, create_user, create_cohort, trainer
):
    from lms import content
    from tests.content.builder import make_content, write

    root = make_content(tmp_path / "content")
    write(root, "curricula/demo/01-base/02-suite.md", "pas de front matter")
    write(root, "exercises/demo/somme/exercise.toml", "title = ")
    app.config["LMS_CONTENT_DIR"] = str(root)
    content.reload(app)
    learner = create_user("learner")
    cohort = create_cohort(trainers=[trainer], learners=[learner], track="demo")
    auth.login(learner.email)
    assert client.get("/").status_code == 200
    assert client.get("/learn/demo/01-base/01-intro").status_code == 200
    assert client.get("/learn/demo/01-base/02-suite").status_code == 404
    auth.logout()
    auth.login(trainer.email)
    page = client.get(f"/trainer/cohorts/{cohort.id}").get_data(as_text=True)
    assert "exercises/demo/somme/exercise.toml: invalid TOML" in page


def test_unknown_pages_are_404_in_the_site_language(client, auth, learner):
    auth.login(learner.email)
    response = client.get("/learn/python-backend/99-absent/01-rien")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
