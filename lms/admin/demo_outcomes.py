"""Demo placement outcomes for ``lms init --demo``: four past cohorts (three operators, three
regions, four tracks) whose 90- or 180-day windows have elapsed, with intents, graduations and
situations in every CIRR category, recorded through the same operations as real ones (so the
audit chain covers them). Deterministic and idempotent.

The figures are synthetic. :func:`draw_outcome` is also what ``bench/outcomes.py`` uses to
generate a national-scale programme, so the demo and the benchmark have the same shape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from lms import signals
from lms.admin import operations as ops
from lms.extensions import db
from lms.models import (
    Cohort,
    EmploymentStatus,
    Enrollment,
    ExclusionReason,
    Organization,
    Role,
    Situation,
    TalentProfile,
    User,
)
from lms.outcomes.recording import operations as recording
from lms.outcomes.recording.operations import JobDetails
from lms.outcomes.talent import operations as talent

FIRST_NAMES = (
    "Amine", "Salma", "Yassine", "Imane", "Hamza", "Khadija", "Othmane", "Zineb", "Ayoub",
    "Fatima-Zahra", "Mehdi", "Sara", "Anas", "Hiba", "Reda", "Nour", "Ilyas", "Meryem",
)  # fmt: skip
LAST_NAMES = (
    "Bennani", "El Idrissi", "Alaoui", "Tazi", "Chraibi", "Berrada", "Ouazzani", "Fassi",
    "Amrani", "Lahlou", "Benjelloun", "Kettani", "Skalli", "Naciri", "Zniber", "Hajji",
)  # fmt: skip
EMPLOYERS = (
    "Inwi Digital", "Maroc Datacenter", "CasaTech Services", "Souss Web Agency",
    "Atlas Fintech", "Bank Al Maghrib (prestataire)", "Fès Logistique", "OCP Solutions IT",
)  # fmt: skip
OUT_OF_FIELD = (("5223", "Vendeur en boutique"), ("4222", "Téléconseiller"), ("9", "Manutention"))

#: name, operator, track, region, start, end.
PAST_COHORTS = (
    ("Cohorte démo Python 2025 (Casablanca)", "Opérateur Démo Casablanca", "python-backend",
     "Casablanca-Settat", date(2025, 1, 6), date(2025, 6, 27)),
    ("Cohorte démo Données 2025 (Fès)", "Opérateur Démo Fès", "analyse-donnees",
     "Fès-Meknès", date(2025, 2, 3), date(2025, 7, 25)),
    ("Cohorte démo Cybersécurité 2025 (Agadir)", "Opérateur Démo Agadir", "cybersecurite",
     "Souss-Massa", date(2025, 9, 1), date(2026, 2, 27)),
    ("Cohorte démo JavaScript 2026 (Casablanca)", "Opérateur Démo Casablanca",
     "javascript-frontend", "Casablanca-Settat", date(2026, 1, 5), date(2026, 6, 26)),
)  # fmt: skip
LEARNERS_PER_COHORT = 14

#: Outcome kinds and their weights among graduates, roughly what bootcamps report.
OUTCOME_WEIGHTS = {
    "permanent": 33,
    "contract": 12,
    "short_term": 10,
    "operator": 3,
    "founder": 3,
    "out_of_field": 12,
    "seeking": 12,
    "not_seeking": 4,
    "excluded": 2,
    "silent": 9,
}


@dataclass(frozen=True)
class DrawnOutcome:
    kind: str
    job: JobDetails | None = None
    situation: Situation | None = None
    effective_after_days: int = 0
    exclusion_reason: ExclusionReason | None = None
    #: A self-reported "seeking" before the job, N days after the end (shows 90 vs 180).
    sought_first: bool = False


def draw_outcome(
    rng: random.Random, cohort_end: date, operator_id: int | None, kind: str | None = None
) -> DrawnOutcome:
    """One graduate's outcome, drawn with :data:`OUTCOME_WEIGHTS` unless ``kind`` is given."""
    kind = kind or rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
    after = rng.randint(5, 170)
    if kind in ("seeking", "not_seeking"):
        situation = Situation.SEEKING if kind == "seeking" else Situation.NOT_SEEKING
        return DrawnOutcome(kind, situation=situation, effective_after_days=rng.randint(3, 60))
    if kind == "excluded":
        reason = rng.choice(list(ExclusionReason))
        return DrawnOutcome(kind, situation=Situation.EXCLUDED, exclusion_reason=reason)
    if kind == "silent":
        return DrawnOutcome(kind)
    start = cohort_end + timedelta(days=after)
    return DrawnOutcome(kind, job=_job(rng, kind, start, operator_id), sought_first=after > 90)


def _job(rng: random.Random, kind: str, start: date, operator_id: int | None) -> JobDetails:
    occupation, title = rng.choice(
        (("2512", "Développeur·se"), ("2513", "Développeur·se web"), ("2519", "Data analyst"),
         ("2529", "Analyste sécurité"), ("3512", "Technicien·ne support"))
    )  # fmt: skip
    values = {
        "employer_name": rng.choice(EMPLOYERS),
        "job_title": title,
        "occupation": occupation,
        "employment_status": EmploymentStatus.PERMANENT,
        "started_on": start,
        "written_contract": True,
        "weekly_hours": 44,
        "monthly_pay_mad": rng.randrange(5500, 13000, 250),
        "cnss_declared": rng.random() < 0.92,
    }
    if kind == "contract":
        status = rng.choice([EmploymentStatus.FIXED_TERM, EmploymentStatus.APPRENTICE_INTERN])
        months = rng.choice((6, 9, 12))
        values |= {"employment_status": status, "ended_on": start + timedelta(days=30 * months)}
        values["monthly_pay_mad"] = rng.randrange(3000, 8000, 250)
    elif kind == "short_term":
        values |= {
            "employment_status": rng.choice(
                [EmploymentStatus.CASUAL, EmploymentStatus.OWN_ACCOUNT, EmploymentStatus.PERMANENT]
            ),
            "weekly_hours": rng.choice((12, 20, 25)),
            "monthly_pay_mad": rng.randrange(1500, 4500, 250),
            "cnss_declared": rng.random() < 0.35,
            "written_contract": rng.random() < 0.5,
        }
    elif kind == "operator":
        values |= {
            "employer_name": "Opérateur de formation",
            "employer_org_id": operator_id,
            "job_title": "Formateur·rice assistant·e",
        }
    elif kind == "founder":
        values |= {
            "employer_name": "Start-up du diplômé",
            "employment_status": EmploymentStatus.OWN_ACCOUNT,
            "founded_company": True,
            "monthly_pay_mad": rng.randrange(2000, 9000, 500),
        }
    elif kind == "out_of_field":
        occupation, title = rng.choice(OUT_OF_FIELD)
        values |= {
            "occupation": occupation,
            "job_title": title,
            "monthly_pay_mad": rng.randrange(2800, 4800, 100),
            "cnss_declared": rng.random() < 0.6,
        }
    if kind in ("permanent", "contract") and rng.random() < 0.12:
        values["ended_on"] = start + timedelta(days=rng.randint(100, 300))  # left the job
    if kind == "permanent" and rng.random() < 0.1:
        values["monthly_pay_mad"] = rng.randrange(2500, 3400, 100)  # under the minimum wage
    return JobDetails(**values)


# The demo ---------------------------------------------------------------------------------


def create_demo_outcomes(
    known_tracks: set[str], companies: list[Organization], password_hash: str
) -> int:
    """Add the past cohorts and their outcomes; returns how many records were made (0 when
    they exist already)."""
    if db.session.scalar(select(Cohort.id).where(Cohort.name == PAST_COHORTS[0][0])):
        return 0
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    made = 0
    for index, spec in enumerate(PAST_COHORTS):
        cohort = _past_cohort(spec, known_tracks)
        rng = random.Random(f"demo-outcomes-{index}")  # noqa: S311 - synthetic demo data
        for n in range(LEARNERS_PER_COHORT):
            enrollment = _enrol(cohort, index, n, rng, password_hash, admin)
            # The first cohort shows every kind of outcome at least once, whatever the draw.
            kind = list(OUTCOME_WEIGHTS)[n] if index == 0 and n < len(OUTCOME_WEIGHTS) else None
            made += _outcome(enrollment, rng, admin, companies, kind)
    return made


def _past_cohort(spec: tuple, known_tracks: set[str]) -> Cohort:
    name, operator_name, track, region, starts_on, ends_on = spec
    try:
        operator = ops.find_organization(operator_name)
    except ops.AdminError:
        operator = ops.create_organization(operator_name, "operator")
    return ops.create_cohort(name, operator, track, region, starts_on, ends_on, known_tracks)


def _enrol(
    cohort: Cohort, index: int, n: int, rng: random.Random, password_hash: str, admin: User
) -> Enrollment:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    learner = User(
        email=f"alumni{index + 1}-{n + 1:02d}@demo.test",
        name=name,
        role=Role.LEARNER,
        organization_id=cohort.operator_id,
        password_hash=password_hash,
    )
    db.session.add(learner)
    enrollment = Enrollment(cohort=cohort, learner=learner)
    db.session.add(enrollment)
    db.session.flush()
    _intent(enrollment, rng.choices((True, False, None), weights=(80, 10, 10))[0])
    if rng.random() < 0.86:
        late = rng.random() < 0.1
        graduated_on = cohort.ends_on + timedelta(days=rng.randint(10, 40) if late else 0)
        recording.record_graduation(admin, enrollment, graduated_on)
    return enrollment


def _intent(enrollment: Enrollment, seeking: bool | None) -> None:
    """Stated at enrolment back then: recorded as it would have been, audited."""
    if seeking is None:
        return
    enrollment.seeking_in_field = seeking
    enrollment.intent_recorded_at = enrollment.enrolled_at
    db.session.flush()
    signals.intent_recorded.send(enrollment, actor=enrollment.learner)


def _outcome(
    enrollment: Enrollment,
    rng: random.Random,
    admin: User,
    companies: list[Organization],
    kind: str | None,
) -> int:
    if enrollment.graduated_on is None and kind is None:
        return 0
    cohort, learner = enrollment.cohort, enrollment.learner
    if enrollment.graduated_on is None:
        recording.record_graduation(admin, enrollment, cohort.ends_on)
    drawn = draw_outcome(rng, cohort.ends_on, cohort.operator_id, kind)
    if drawn.situation is not None:
        actor = admin if drawn.situation == Situation.EXCLUDED else learner
        recording.report_situation(
            actor,
            enrollment,
            drawn.situation,
            cohort.ends_on + timedelta(days=drawn.effective_after_days),
            exclusion_reason=drawn.exclusion_reason,
        )
        return 1
    if drawn.job is None:
        return 0
    made = 0
    if drawn.sought_first:
        recording.report_situation(
            learner, enrollment, Situation.SEEKING, cohort.ends_on + timedelta(days=20)
        )
        made += 1
    job = drawn.job
    at_partner = drawn.kind == "permanent" and companies and rng.random() < 0.3
    if at_partner:
        company = rng.choice(companies)
        job = JobDetails(**{**job.__dict__, "employer_name": company.name,
                            "employer_org_id": company.id})  # fmt: skip
    record = recording.report_job(learner, enrollment, job)
    made += 1
    if at_partner and rng.random() < 0.75:
        confirmer = db.session.scalar(
            select(User).where(User.organization_id == job.employer_org_id).order_by(User.id)
        )
        if confirmer is not None:
            recording.report_job(confirmer, enrollment, job, replaces=record)
            made += 1
    return made


def create_demo_talent(learners: list[User], company_user: User) -> None:
    """Two learners of the demo cohort in the job fair's pool; the demo company marked one
    and invited the other to an interview."""
    if db.session.scalar(select(TalentProfile.id).limit(1)) is not None:
        return
    profiles = (
        ("Développeuse back-end Python, API et bases de données", "full"),
        ("Back-end Python, tests automatisés, SQL", "initials"),
    )
    for learner, (headline, display) in zip(learners, profiles, strict=False):
        about = "Disponible après la formation, à Casablanca ou en télétravail."
        talent.update_profile(learner, talent.ProfileFields(True, headline, about, display))
    talent.mark_interest(company_user, learners[0].id)
    if len(learners) > 1:
        talent.invite(
            company_user,
            learners[1].id,
            "Entretien technique (45 min) le mardi à 10 h, dans nos locaux de Casablanca, "
            "pour un poste de développeur·se back-end junior.",
        )
