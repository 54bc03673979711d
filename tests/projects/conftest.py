"""A small world of projects: two partner companies, two cohorts with their trainers and
learners, one brief offered to the first cohort, two teams."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask_babel import force_locale

from lms.admin import operations as ops
from lms.extensions import db
from lms.models import ProjectOffer, ProjectTeam, User
from lms.models.base import utcnow
from lms.projects import operations as service

RUBRIC = """## Fonctionnel (60)
- Insuffisant : rien ne marche.
- Partiel : l'essentiel marche.
- Complet : tout marche.

## Code (40)
- Illisible : pas de tests.
- Propre : lisible et testé.
"""


def brief_fields(**changes) -> service.BriefFields:
    values = {
        "title": "API de suivi des colis",
        "track": "python-backend",
        "context": "Nous livrons 3 000 colis par jour entre Casablanca et Rabat.",
        "deliverables": "Le code, ses tests et un README.",
        "rubric_text": RUBRIC,
        "team_size_min": 1,
        "team_size_max": 3,
    }
    values.update(changes)
    return service.BriefFields(**values)


def make_zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@dataclass
class World:
    company: object
    reviewer: User
    other_company: object
    other_reviewer: User
    trainer: User
    other_trainer: User
    learners: list[User]
    outsider: User
    auditor: User
    cohort: object
    other_cohort: object
    offer: ProjectOffer
    team: ProjectTeam
    other_team: ProjectTeam


@pytest.fixture
def english_messages(app):
    """Service errors read in English where a test calls the service itself (the interface
    defaults to French; pages are tested in the language they are served in)."""
    with force_locale("en"):
        yield


@pytest.fixture
def world(app, create_user, create_cohort, english_messages) -> World:
    company = ops.create_organization("Transports Atlas", "company")
    other_company = ops.create_organization("Riads de Fès", "company")
    reviewer = create_user("company", email="nadia@atlas.ma", organization=company)
    other_reviewer = create_user("company", email="rachid@riads.ma", organization=other_company)
    trainer = create_user("trainer", email="youssef@op.ma")
    other_trainer = create_user("trainer", email="amina@op.ma")
    learners = [create_user("learner", email=f"l{n}@op.ma", name=f"L{n}") for n in range(1, 5)]
    outsider = create_user("learner", email="outsider@op.ma")
    auditor = create_user("auditor", email="audit@prog.ma")
    cohort = create_cohort(trainers=[trainer], learners=learners)
    other_cohort = create_cohort(trainers=[other_trainer], learners=[outsider])
    version = service.save_brief(reviewer, brief_fields())
    offer = service.offer(
        trainer, cohort, version, (utcnow() + timedelta(days=10)).date(), team_size_max=2
    )
    team = service.create_team(offer, "Équipe Atlas", learners[:2])
    other_team = service.create_team(offer, "Équipe Rif", learners[2:])
    db.session.commit()
    return World(
        company,
        reviewer,
        other_company,
        other_reviewer,
        trainer,
        other_trainer,
        learners,
        outsider,
        auditor,
        cohort,
        other_cohort,
        offer,
        team,
        other_team,
    )


COMMIT = "a" * 40


def deliver(team, learner, **kwargs):
    values = {"repo_url": "https://git.example.ma/atlas/colis.git", "commit": COMMIT}
    values.update(kwargs)
    deliverable = service.submit_deliverable(team, learner, **values)
    db.session.commit()
    return deliverable


def review(team, reviewer, decision="final", levels=None, **kwargs):
    levels = levels if levels is not None else {"Fonctionnel": 2, "Code": 1}
    result = service.submit_review(
        team, reviewer, decision, levels, kwargs.pop("comments", {}), "Bon travail.", **kwargs
    )
    db.session.commit()
    return result
