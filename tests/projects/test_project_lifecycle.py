"""A brief's life, by the rules: posted and edited by its company, versioned once a cohort
takes it, offered, worked on by teams, handed in until the deadline, reviewed against its
rubric with one revision at most, and signed reviews that are superseded, never edited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.extensions import db
from lms.models import ReviewStatus
from lms.models.base import utcnow
from lms.projects import operations as service
from lms.projects import rubric
from tests.projects.conftest import RUBRIC, brief_fields, deliver, review


def test_a_rubric_is_markdown_that_round_trips_and_scores_by_level():
    criteria = rubric.parse(RUBRIC)
    assert [(c["name"], c["weight"], len(c["levels"])) for c in criteria] == [
        ("Fonctionnel", 60.0, 3),
        ("Code", 40.0, 2),
    ]
    assert rubric.parse(rubric.to_text(criteria)) == criteria
    assert rubric.score(criteria, {"Fonctionnel": 1, "Code": 1}) == 70.0
    assert rubric.score(criteria, {"Fonctionnel": 0, "Code": 0}) == 0.0
    assert rubric.max_score(criteria) == 100.0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- Bas : rien\n", "Line 1"),
        ("## Code (40)\n- Seul : un seul niveau\n", "between 2 and"),
        ("## Code (0)\n- A : a\n- B : b\n", "above zero"),
        ("## Code\n- A : a\n", "Line 1"),
        ("## Code (1)\n- A : a\n- B : b\n## Code (2)\n- A : a\n- B : b\n", "twice"),
        ("", "at least one criterion"),
    ],
)
def test_a_malformed_rubric_is_refused_saying_where(text, reason):
    with pytest.raises(rubric.RubricError) as refused:
        rubric.parse(text)
    assert reason in str(refused.value)


def test_a_brief_is_edited_in_place_until_a_cohort_takes_it(world):
    brief = service.save_brief(world.reviewer, brief_fields(title="Premier jet")).brief
    db.session.commit()
    edited = service.save_brief(world.reviewer, brief_fields(title="Version revue"), brief)
    db.session.commit()
    assert edited.number == 1 and len(brief.versions) == 1 and edited.title == "Version revue"


def test_once_offered_an_edit_makes_a_new_version_and_says_why(world):
    brief = world.offer.version.brief
    with pytest.raises(service.ProjectError, match="say what changes"):
        service.save_brief(world.reviewer, brief_fields(title="Changé en douce"), brief)
    db.session.rollback()
    second = service.save_brief(
        world.reviewer, brief_fields(title="API v2"), brief, change_note="Ajout du suivi SMS"
    )
    db.session.commit()
    assert second.number == 2 and second.change_note == "Ajout du suivi SMS"
    first = world.offer.version
    assert first.number == 1 and first.title == "API de suivi des colis"
    assert world.offer.version_id == first.id, "the cohort keeps the version it took"


def test_offering_checks_track_deadline_and_team_size(world, create_cohort):
    version = world.offer.version
    data_cohort = create_cohort(trainers=[world.trainer], track="analyse-donnees")
    past = (utcnow() - timedelta(days=1)).date()
    future = (utcnow() + timedelta(days=5)).date()
    with pytest.raises(service.ProjectError, match="another track"):
        service.offer(world.trainer, data_cohort, version, future)
    other = create_cohort(trainers=[world.trainer])
    with pytest.raises(service.ProjectError, match="past"):
        service.offer(world.trainer, other, version, past)
    with pytest.raises(service.ProjectError, match="teams of 1 to 3"):
        service.offer(world.trainer, other, version, future, team_size_max=5)
    with pytest.raises(service.ProjectError, match="already offered"):
        service.offer(world.trainer, world.cohort, version, future)


def test_teams_hold_cohort_learners_once_and_within_the_size(world, create_user):
    with pytest.raises(service.ProjectError, match="already in a team"):
        service.create_team(world.offer, "Doublon", [world.learners[0]])
    with pytest.raises(service.ProjectError, match="not in this cohort"):
        service.create_team(world.offer, "Intrus", [world.outsider])
    db.session.rollback()
    with pytest.raises(service.ProjectError, match="trainer forms the teams"):
        service.join_team(world.team, world.learners[2])


def test_every_version_is_kept_until_the_deadline(world):
    first = deliver(world.team, world.learners[0])
    second = deliver(world.team, world.learners[1], commit="b" * 40, report="Corrigé")
    assert [d.number for d in world.team.deliverables] == [1, 2]
    assert first.commit == "a" * 40 and second.commit == "b" * 40
    world.offer.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(service.ProjectError, match="deadline has passed"):
        deliver(world.team, world.learners[0])


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"repo_url": "", "commit": ""}, "or both"),
        ({"repo_url": "https://git.example.ma/x.git", "commit": ""}, "exact commit"),
        ({"repo_url": "file:///etc/passwd", "commit": "a" * 40}, "must start with"),
        ({"repo_url": "https://git.example.ma/x.git", "commit": "main"}, "full hash"),
    ],
)
def test_a_deliverable_names_an_exact_commit(world, values, reason):
    with pytest.raises(service.ProjectError, match=reason):
        service.submit_deliverable(world.team, world.learners[0], **values)


def test_a_draft_keeps_half_done_work_and_only_the_reviewer_sees_it(world):
    deliver(world.team, world.learners[0])
    draft = service.save_draft(
        world.team, world.reviewer, {"Fonctionnel": "2", "Code": "7"}, {"Code": "À voir"}, ""
    )
    db.session.commit()
    assert draft.status == ReviewStatus.DRAFT
    assert draft.levels == {"Fonctionnel": 2}, "an unknown level is dropped, not stored"
    assert draft.comments == {"Code": "À voir"}
    again = service.save_draft(world.team, world.reviewer, {"Code": 1}, {}, "Presque fini")
    assert again.id == draft.id, "one draft per reviewer and team, updated"
    assert service.draft_of(world.team, world.other_reviewer) is None


def test_a_final_review_needs_every_criterion_and_an_overall_comment(world):
    deliver(world.team, world.learners[0])
    with pytest.raises(service.ProjectError, match="Code"):
        review(world.team, world.reviewer, levels={"Fonctionnel": 2})
    db.session.rollback()
    with pytest.raises(service.ProjectError, match="overall comment"):
        service.submit_review(
            world.team, world.reviewer, "final", {"Fonctionnel": 2, "Code": 1}, {}, " "
        )


def test_one_revision_then_the_final_review_closes_the_project(world):
    deliver(world.team, world.learners[0])
    asked = review(world.team, world.reviewer, "revision", {"Fonctionnel": 1, "Code": 0})
    assert asked.status == ReviewStatus.REVISION and asked.score == 30.0
    with pytest.raises(service.ProjectError, match="already asked once"):
        review(world.team, world.reviewer, "revision")
    db.session.rollback()
    deliver(world.team, world.learners[1], commit="c" * 40)
    final = review(world.team, world.reviewer)
    assert final.score == 100.0 and final.max_score == 100.0
    assert final.deliverable.number == 2, "the newest version is the one reviewed"
    with pytest.raises(service.ProjectError, match="closed"):
        deliver(world.team, world.learners[0])


def test_a_revision_asked_after_the_deadline_reopens_for_a_week(world):
    deliver(world.team, world.learners[0])
    world.offer.deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    review(world.team, world.reviewer, "revision", {"Fonctionnel": 1, "Code": 0})
    assert service.open_until(world.team) > utcnow() + timedelta(days=6)
    assert deliver(world.team, world.learners[0], commit="d" * 40).number == 2


def test_a_signed_review_is_superseded_with_a_reason_never_edited(world):
    deliver(world.team, world.learners[0])
    first = review(world.team, world.reviewer, levels={"Fonctionnel": 1, "Code": 1})
    assert service.verify_review(first)
    with pytest.raises(service.ProjectError, match="say why"):
        review(world.team, world.reviewer)
    db.session.rollback()
    second = review(world.team, world.reviewer, supersede_reason="Erreur de saisie sur le code")
    assert second.supersedes_id == first.id and service.current_final(world.team) == second
    first.score = 100.0  # an edit behind the application's back ...
    assert not service.verify_review(first)  # ... no longer matches its signature
    db.session.rollback()
    current = db.session.scalars(service.final_reviews()).all()
    assert [r.id for r in current] == [second.id], "superseded reviews are not results"
