"""Demo data for ``lms init --demo``: one account per role, a second partner company, a cohort
and its company projects, and past cohorts with placement outcomes. Idempotent."""

from __future__ import annotations

from datetime import date

from lms.admin import operations as ops
from lms.admin.demo_outcomes import create_demo_outcomes, create_demo_talent
from lms.admin.demo_projects import create_demo_projects
from lms.extensions import db
from lms.models import Cohort, User

DEMO_PASSWORD = "demo1234"  # noqa: S105 - documented demo credential
OPERATOR = "Opérateur Démo Casablanca"
COMPANY = "Entreprise Partenaire Démo"
COMPANY2 = "Atlas Logiciels (démo)"
COHORT = "Cohorte démo Python back-end 2026"


def create_demo(known_tracks: set[str], track: str = "python-backend") -> Cohort:
    operator = _organization(OPERATOR, "operator")
    company = _organization(COMPANY, "company")
    company2 = _organization(COMPANY2, "company")
    programme = _organization("Programme national (démo)", "programme")
    users = {
        "learner": ("Salma Bennani", operator),
        "trainer": ("Youssef El Amrani", operator),
        "company": ("Nadia Tazi", company),
        "auditor": ("Karim Idrissi", programme),
        "admin": ("Admin Programme", programme),
    }
    accounts = {
        role: _user(f"{role}@demo.test", name, role, org) for role, (name, org) in users.items()
    }
    learners = [accounts["learner"]] + [
        _user(f"learner{n}@demo.test", name, "learner", operator)
        for n, name in enumerate(["Omar Alaoui", "Imane Chraibi", "Mehdi Berrada"], start=2)
    ]
    cohort = _cohort(operator, track, known_tracks)
    ops.assign_trainer(cohort, accounts["trainer"])
    _user("company2@demo.test", "Rachid Benjelloun", "company", company2)
    for learner in learners:
        ops.enrol(cohort, learner)
    db.session.flush()
    if cohort.track == "python-backend":
        create_demo_projects(cohort, company, company2)
    create_demo_outcomes(known_tracks, [company, company2], accounts["learner"].password_hash)
    create_demo_talent(learners[:2], accounts["company"])
    return cohort


def _organization(name: str, kind: str):
    try:
        return ops.find_organization(name)
    except ops.AdminError:
        return ops.create_organization(name, kind)


def _user(email: str, name: str, role: str, organization) -> User:
    return ops.find_user(email, required=False) or ops.create_user(
        email, name, role, DEMO_PASSWORD, organization
    )


def _cohort(operator, track: str, known_tracks: set[str]) -> Cohort:
    try:
        return ops.find_cohort(COHORT)
    except ops.AdminError:
        return ops.create_cohort(
            COHORT,
            operator,
            track,
            "Casablanca-Settat",
            date(2026, 9, 1),
            date(2027, 2, 26),
            known_tracks,
        )
