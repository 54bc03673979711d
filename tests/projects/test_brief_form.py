"""The brief form on a French page: a field left empty comes back beside the field, in French,
with status 400 and everything typed kept."""

from __future__ import annotations

import io

from lms.extensions import db
from lms.models import ProjectBrief
from tests.projects.conftest import RUBRIC


def test_a_brief_without_its_title_comes_back_in_french_with_what_was_typed(client, auth, world):
    client.set_cookie("locale", "fr")
    auth.login(world.reviewer.email)
    briefs_before = db.session.query(ProjectBrief).count()
    data = {
        "csrf_token": auth.csrf_token("/company/briefs/new"),
        "title": "",
        "track": "python-backend",
        "skills": "Flask, SQL",
        "team_size_min": "2",
        "team_size_max": "deux",
        "context": "Un hammam de Marrakech veut prendre les réservations en ligne.",
        "deliverables": "Une API et ses tests.",
        "rubric": RUBRIC,
    }
    response = client.post("/company/briefs/new", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    title = html.split('name="title"')[1].split("</label>")[0]
    assert 'aria-describedby="brief-title-error"' in title
    assert '<span class="field-error" id="brief-title-error" role="alert">' in title
    assert "Ce champ est obligatoire." in title, "beside the field, in French"
    sizes = html.split('name="team_size_max"')[1].split("</label>")[0]
    assert 'value="deux"' in sizes and "Les tailles d" in sizes
    assert "Un hammam de Marrakech veut prendre les réservations en ligne.</textarea>" in html
    assert 'value="Flask, SQL"' in html and 'value="python-backend" selected' in html
    assert db.session.query(ProjectBrief).count() == briefs_before

    response = client.post(
        "/company/briefs/new", data={**data, "title": "Réservations", "team_size_max": "3"}
    )
    assert response.status_code == 302
    assert db.session.query(ProjectBrief).count() == briefs_before + 1


def test_the_check_suite_is_uploaded_with_the_brief_form(client, auth, world):
    auth.login(world.reviewer.email)
    form = {
        "csrf_token": auth.csrf_token("/company/briefs/new"),
        "title": "Réservations",
        "track": "python-backend",
        "context": "Contexte",
        "deliverables": "Code",
        "rubric": RUBRIC,
        "check_grader": "python",
    }
    refused = client.post(
        "/company/briefs/new",
        data={**form, "check_tests": [(io.BytesIO(b"x = 1\n"), "notes.txt")]},
        content_type="multipart/form-data",
    )
    assert "notes.txt : les fichiers de test sont des test_*.py" in refused.get_data(as_text=True)
    response = client.post(
        "/company/briefs/new",
        data={
            **form,
            "check_tests": [
                (io.BytesIO(b"def test_a():\n    assert True\n"), "test_a.py"),
                (io.BytesIO(b"def test_b():\n    assert True\n"), "test_b.py"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    brief = db.session.scalars(db.select(ProjectBrief).order_by(ProjectBrief.id.desc())).first()
    assert brief.latest.check_grader == "python"
    assert sorted(brief.latest.check_tests) == ["test_a.py", "test_b.py"]
