"""Demo projects for ``lms init --demo``: two partner companies, a brief from each offered to
the demo cohort, teams, deliverables and one final review per company, so that every project
page and every permission boundary can be seen at once. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, Organization, ProjectBrief, User
from lms.models.base import utcnow
from lms.projects import operations as service

FIRST_BRIEF = service.BriefFields(
    title="API de suivi des colis pour un transporteur régional",
    track="python-backend",
    skills=["Flask", "SQLite", "tests", "API REST"],
    team_size_min=2,
    team_size_max=3,
    context="""Notre entreprise livre chaque jour 3 000 colis entre Casablanca, Rabat et
Marrakech. Les clients nous appellent pour savoir où est leur colis : nous voulons une **API**
que notre application mobile interrogera.

- Un colis a un numéro de suivi, un expéditeur, un destinataire et une ville de destination.
- Chaque passage dans une agence ajoute un **événement** (date, agence, statut).
""",
    deliverables="""1. Le code de l'API (Flask), avec ses tests automatisés.
2. Un `README` qui explique comment la lancer.
3. Une démonstration de 10 minutes à notre équipe technique.
""",
    rubric_text="""## Le produit répond au besoin (40)
- Insuffisant : les routes principales manquent ou ne marchent pas.
- Partiel : on suit un colis, mais les erreurs (numéro inconnu) ne sont pas gérées.
- Complet : suivi, historique et erreurs claires, comme demandé.

## Qualité du code et tests (40)
- Insuffisant : pas de tests, code difficile à lire.
- Correct : quelques tests, code lisible.
- Excellent : tests des cas d'erreur, code découpé et clair.

## Démonstration (20)
- Insuffisante : on ne peut pas juger le travail.
- Claire : l'équipe montre ce qui marche.
- Convaincante : l'équipe explique ses choix et leurs limites.
""",
)

SECOND_BRIEF = service.BriefFields(
    title="Tableau de bord des réservations d'un riad à Fès",
    track="python-backend",
    skills=["Python", "SQL", "rapports"],
    team_size_min=2,
    team_size_max=2,
    context="""Nous gérons quatre riads dans la médina de Fès. Les réservations arrivent
par trois plateformes et par téléphone ; nous voulons un service qui calcule le taux
d'occupation par mois et par riad, et signale les doubles réservations.""",
    deliverables="""Un dépôt git avec le service, ses tests, et un court rapport sur les
limites de la solution.""",
    rubric_text="""## Calculs justes (50)
- Faux : le taux d'occupation est mal calculé.
- Juste : calculs justes sur les données fournies.

## Doubles réservations (30)
- Non détectées : aucune détection.
- Partielles : détectées pour un même canal seulement.
- Complètes : détectées entre tous les canaux.

## Rapport (20)
- Absent : pas de rapport.
- Présent : le rapport explique les limites.
""",
)


def create_demo_projects(cohort: Cohort, first: Organization, second: Organization) -> None:
    if db.session.scalar(select(ProjectBrief.id).where(ProjectBrief.company_id == first.id)):
        return
    trainer = cohort.trainers[0]
    learners = sorted((e.learner for e in cohort.enrollments), key=lambda u: u.email)
    deadline = (utcnow() + timedelta(days=30)).date()
    tracks = {cohort.track}
    reviews = [
        (first, FIRST_BRIEF, [("Équipe Atlas", learners[:2]), ("Équipe Rif", learners[2:])]),
        (second, SECOND_BRIEF, [("Binôme Zellige", learners[:2])]),
    ]
    for company, fields, teams in reviews:
        reviewer = _reviewer(company)
        version = service.save_brief(reviewer, fields, known_tracks=tracks)
        offer = service.offer(trainer, cohort, version, deadline)
        for index, (name, members) in enumerate(teams):
            team = service.create_team(offer, name, members)
            _deliver(team, members[0], index)
        _final_review(offer.teams[0], reviewer, version.rubric)


def _reviewer(company: Organization) -> User:
    return db.session.scalar(
        select(User).where(User.organization_id == company.id).order_by(User.id)
    )


def _deliver(team, learner: User, index: int) -> None:
    service.submit_deliverable(
        team,
        learner,
        repo_url=f"https://git.demo.test/{team.name.split()[-1].lower()}/projet.git",
        commit=f"{index + 1:x}" * 40,
        report="Nous avons livré l'API et ses tests ; la démonstration est prête.",
    )


def _final_review(team, reviewer: User, rubric: list[dict]) -> None:
    top = {c["name"]: len(c["levels"]) - 1 for c in rubric}
    top[rubric[-1]["name"]] = max(0, top[rubric[-1]["name"]] - 1)
    comments = {rubric[0]["name"]: "Tout ce que nous avions demandé fonctionne."}
    service.submit_review(
        team,
        reviewer,
        "final",
        top,
        comments,
        "Très bon travail d'équipe ; nous recevrions volontiers ces apprenants en stage.",
    )
