"""Projects through the web and the API, as each role uses them: a brief posted, offered,
teamed, handed in (repository and archive), reviewed; and each role seeing only its own."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

from lms.extensions import db
from lms.models import Deliverable, Notification, ProjectBrief, Review
from tests.projects.conftest import RUBRIC, deliver, make_zip, review


def _form(auth, path: str) -> str:
    return auth.csrf_token(path)


def test_a_company_posts_a_brief_with_its_rubric(client, auth, world):
    auth.login(world.reviewer.email)
    token = _form(auth, "/company/briefs/new")
    response = client.post(
        "/company/briefs/new",
        data={
            "csrf_token": token,
            "title": "Application de réservation de hammam",
            "track": "python-backend",
            "skills": "Flask, SQL",
            "team_size_min": "2",
            "team_size_max": "3",
            "context": "Un hammam de **Marrakech** veut prendre les réservations en ligne.",
            "deliverables": "Une API et ses tests.",
            "rubric": RUBRIC,
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Application de réservation de hammam" in page
    assert "<strong>Marrakech</strong>" in page, "the context is rendered from Markdown"
    assert "Fonctionnel" in page and "Complet" in page, "the rubric is shown"
    brief = db.session.scalars(db.select(ProjectBrief).order_by(ProjectBrief.id.desc())).first()
    assert brief.company_id == world.company.id and brief.latest.skills == ["Flask", "SQL"]


def test_a_malformed_rubric_is_refused_and_the_form_keeps_what_was_typed(client, auth, world):
    auth.login(world.reviewer.email)
    token = _form(auth, "/company/briefs/new")
    response = client.post(
        "/company/briefs/new",
        data={
            "csrf_token": token,
            "title": "Projet",
            "track": "python-backend",
            "context": "Contexte précis",
            "deliverables": "Code",
            "rubric": "## Code (40)\n- Un seul niveau : non\n",
            "team_size_min": "1",
            "team_size_max": "2",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "between 2 and" in page or "entre 2 et" in page
    assert "Contexte précis" in page


def test_a_trainer_offers_a_brief_and_the_cohort_is_told(client, auth, world, create_cohort):
    cohort = create_cohort(trainers=[world.trainer], learners=[])
    auth.login(world.trainer.email)
    path = f"/trainer/cohorts/{cohort.id}/projects"
    page = client.get(path).get_data(as_text=True)
    assert "API de suivi des colis" in page
    response = client.post(
        path,
        data={
            "csrf_token": _form(auth, path),
            "version_id": str(world.offer.version_id),
            "deadline": "2099-06-30",
        },
    )
    assert response.status_code == 302
    assert "2099-06-30" in client.get(path).get_data(as_text=True)
    told = db.session.scalars(db.select(Notification.user_id)).all()
    assert world.reviewer.id in told, "the company hears its brief was taken"


def test_a_team_hands_in_an_archive_kept_byte_for_byte(client, auth, world):
    learner = world.learners[0]
    auth.login(learner.email)
    path = f"/projects/teams/{world.team.id}"
    archive = make_zip({"colis/app.py": "print('ok')\n", "colis/README.md": "# Colis\n"})
    response = client.post(
        f"{path}/deliverables",
        data={
            "csrf_token": _form(auth, path),
            "repo_url": "https://git.example.ma/atlas/colis.git",
            "commit": "A" * 40,
            "report": "Nous avons fait **tout** le suivi.",
            "archive": (io.BytesIO(archive), "colis.zip"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    deliverable = db.session.scalars(db.select(Deliverable)).one()
    assert deliverable.commit == "a" * 40
    assert deliverable.archive_sha256 == hashlib.sha256(archive).hexdigest()
    download = client.get(f"/projects/deliverables/{deliverable.id}/archive")
    assert download.status_code == 200 and download.data == archive
    page = client.get(path).get_data(as_text=True)
    assert "<strong>tout</strong>" in page and deliverable.archive_sha256 in page


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("evil.zip", make_zip({"../../etc/cron.d/x": "* * * * * root sh"}), "cron.d/x"),
        ("notes.zip", b"just text, not an archive", "zip"),
        ("projet.tar.gz", b"\x1f\x8b\x08\x00rest", ".zip"),
    ],
)
def test_an_attacking_archive_is_refused_clearly_and_nothing_is_kept(
    client, auth, world, name, data, reason
):
    auth.login(world.learners[0].email)
    path = f"/projects/teams/{world.team.id}"
    response = client.post(
        f"{path}/deliverables",
        data={"csrf_token": _form(auth, path), "archive": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "flash-error" in page and re.search(re.escape(reason), page, re.I), page[-2000:]
    assert db.session.scalars(db.select(Deliverable)).all() == []


def test_an_oversized_upload_is_stopped_with_a_clear_error(app, client, auth, world):
    app.config["LMS_MAX_ARCHIVE_BYTES"] = 32 * 1024
    auth.login(world.learners[0].email)
    path = f"/projects/teams/{world.team.id}"
    response = client.post(
        f"{path}/deliverables",
        data={"csrf_token": _form(auth, path), "archive": (io.BytesIO(b"\0" * 400_000), "x.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "larger than the server accepts" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Deliverable)).all() == []


def test_the_review_form_saves_drafts_and_submits_a_signed_review(client, auth, world):
    deliver(world.team, world.learners[0])
    auth.login(world.reviewer.email)
    path = f"/projects/teams/{world.team.id}/review"
    token = _form(auth, path)
    saved = client.post(
        f"{path}/draft",
        json={"levels": {"Fonctionnel": 1}, "comments": {"Code": "Tests ?"}, "overall": ""},
        headers={"X-CSRFToken": token},
    )
    assert saved.status_code == 200 and saved.json["saved_at"]
    page = client.get(path).get_data(as_text=True)
    assert "Tests ?" in page, "the draft comes back in the form"
    refused = client.post(
        path,
        data={"csrf_token": token, "decision": "final", "level:Fonctionnel": "2", "overall": "Ok"},
        follow_redirects=True,
    )
    assert "Code" in refused.get_data(as_text=True)
    draft = db.session.scalars(db.select(Review)).one()
    assert draft.levels == {"Fonctionnel": 2}, "what was typed before the refusal is kept"
    done = client.post(
        path,
        data={
            "csrf_token": token,
            "decision": "final",
            "level:Fonctionnel": "2",
            "level:Code": "1",
            "comment:Code": "Bien testé",
            "overall": "Excellent travail",
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    final = db.session.get(Review, draft.id)
    assert final.status == "final" and final.score == 100.0 and len(final.digest) == 64
    team_page = client.get(f"/projects/teams/{world.team.id}").get_data(as_text=True)
    assert final.digest in team_page and "Bien testé" in team_page


def test_everyone_sees_only_their_own_projects(client, auth, world):
    deliver(world.team, world.learners[0])
    deliver(world.other_team, world.learners[2])
    team, other_team = world.team.id, world.other_team.id
    brief = world.offer.version.brief_id
    cases = {
        world.other_reviewer: [
            f"/briefs/{brief}",
            f"/projects/teams/{team}",
            f"/projects/teams/{team}/review",
            f"/company/briefs/{brief}/edit",
            "/projects/deliverables/1/archive",
            f"/projects/offers/{world.offer.id}",
        ],
        world.learners[0]: [f"/projects/teams/{other_team}"],
        world.outsider: [
            f"/briefs/{brief}",
            f"/projects/offers/{world.offer.id}",
            f"/projects/teams/{team}",
        ],
        world.other_trainer: [
            f"/projects/offers/{world.offer.id}",
            f"/projects/teams/{team}",
            f"/trainer/cohorts/{world.cohort.id}/projects",
        ],
    }
    for user, paths in cases.items():
        auth.login(user.email)
        for path in paths:
            assert client.get(path).status_code in (403, 404), (user.email, path)
        auth.logout()
    auth.login(world.learners[0].email)
    assert client.get(f"/projects/teams/{team}").status_code == 200
    assert client.get("/company/briefs").status_code == 403
    assert client.get(f"/projects/teams/{team}/review").status_code == 403
    auth.logout()
    auth.login(world.auditor.email)
    assert client.get(f"/projects/teams/{team}").status_code == 200
    path = f"/projects/teams/{team}/review"
    assert (
        client.post(path, data={"csrf_token": _form(auth, "/"), "decision": "final"}).status_code
        == 403
    )


def test_project_results_api_lists_what_each_role_may_see(client, world, api_token):
    deliver(world.team, world.learners[0])
    deliver(world.other_team, world.learners[2])
    mine = review(world.team, world.reviewer, comments={"Code": "Très propre"})
    review(world.other_team, world.reviewer, levels={"Fonctionnel": 0, "Code": 0})

    def results(user):
        response = client.get("/api/v1/project-results", headers=api_token(user))
        assert response.status_code == 200
        return response.json

    everything = results(world.auditor)
    assert len(everything) == 2
    entry = next(e for e in everything if e["id"] == mine.id)
    assert entry["company"] == "Transports Atlas" and entry["team"] == "Équipe Atlas"
    assert entry["learners"] == ["L1", "L2"] and entry["reviewer"] == world.reviewer.name
    assert entry["score"] == 100.0 and entry["max_score"] == 100.0
    assert entry["criteria"][1] == {
        "name": "Code",
        "weight": 40.0,
        "level": "Propre",
        "comment": "Très propre",
    }
    assert entry["deliverable"] == {
        "version": 1,
        "repo": "https://git.example.ma/atlas/colis.git",
        "commit": "a" * 40,
        "archive_sha256": None,
    }
    assert entry["reviewed_at"].endswith("Z")
    assert [e["team"] for e in results(world.learners[0])] == ["Équipe Atlas"]
    assert [e["team"] for e in results(world.learners[2])] == ["Équipe Rif"]
    assert results(world.outsider) == []
    assert len(results(world.reviewer)) == 2
    assert results(world.other_reviewer) == []
    assert len(results(world.trainer)) == 2
    assert results(world.other_trainer) == []
    assert client.get("/api/v1/project-results").status_code == 401


def test_a_learner_profile_shows_project_results(client, auth, world):
    deliver(world.team, world.learners[0])
    review(world.team, world.reviewer)
    auth.login(world.learners[0].email)
    page = client.get(f"/learners/{world.learners[0].id}/profile").get_data(as_text=True)
    assert "API de suivi des colis" in page and "100 / 100" in page
    assert client.get(f"/learners/{world.learners[2].id}/profile").status_code == 404


def test_the_trainer_moves_the_deadline_and_others_cannot(client, auth, world):
    path = f"/projects/offers/{world.offer.id}"
    auth.login(world.learners[0].email)
    data = {"csrf_token": _form(auth, path), "deadline": "2099-01-31"}
    assert client.post(f"{path}/deadline", data=data).status_code == 403
    auth.logout()
    auth.login(world.trainer.email)
    data = {"csrf_token": _form(auth, path), "deadline": "2099-01-31"}
    assert client.post(f"{path}/deadline", data=data).status_code == 302
    db.session.expire_all()
    assert world.offer.deadline.date().isoformat() in ("2099-01-30", "2099-01-31")
    past = {"csrf_token": data["csrf_token"], "deadline": "2001-01-01"}
    page = client.post(f"{path}/deadline", data=past, follow_redirects=True).get_data(as_text=True)
    assert "flash-error" in page
