"""A learner whose record can be made to meet, or miss, the python-backend policy: graded
submissions, attendance and company reviews written as the services write them."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import pytest

from lms import audit, content
from lms.certification.issuing import policy as policies
from lms.extensions import db
from lms.models import CohortSession, Submission, SubmissionStatus
from lms.models.base import utcnow
from lms.models.certification import Attendance
from lms.submissions import operations
from tests.projects.conftest import brief_fields


@pytest.fixture
def keys_config(app, tmp_path):
    app.config["LMS_KEYS_DIR"] = str(tmp_path / "keys")
    app.config["LMS_BASE_URL"] = "https://lms.example.ma"


@pytest.fixture
def record(app, keys_config, learner, trainer):
    """Helpers to give ``learner`` (in a cohort taught by ``trainer``) a record."""
    loaded = content.current()
    cohort = trainer_cohort(trainer)

    class Record:
        def __init__(self):
            self.learner, self.trainer, self.cohort, self.loaded = learner, trainer, cohort, loaded

        def graded(self, exercise_id: str, share: float) -> Submission:
            """A submission graded at ``share`` of the exercise's points (grading itself is
            tested in tests/submissions with real containers)."""
            exercise = loaded.exercises[exercise_id]
            submission = operations.submit(
                learner, exercise, exercise.solution(), loaded.commit, 1_000_000
            )
            submission.status = SubmissionStatus.GRADED
            submission.score = round(exercise.max_score * share)
            submission.image_digest = "sha256:" + "d" * 64
            submission.finished_at = utcnow()
            audit.record_fact("submission.graded", submission)  # as the worker's _finish does
            db.session.commit()
            return submission

        def all_exercises(self, share: float = 1.0) -> None:
            for exercise_id in self.policy().exercises:
                self.graded(exercise_id, share)

        def sessions(self, held: int, attended: int) -> None:
            for n in range(held):
                session = CohortSession(
                    cohort=cohort, held_on=date(2026, 9, 1) + timedelta(days=n), title=f"J{n}"
                )
                db.session.add(session)
                db.session.flush()
                db.session.add(
                    Attendance(
                        session_id=session.id,
                        learner_id=learner.id,
                        present=n < attended,
                        recorded_by_id=trainer.id,
                    )
                )
            db.session.commit()

        def project(self, share: float, company_user) -> None:
            from lms.projects import operations as service

            version = service.save_brief(company_user, brief_fields())
            offer = service.offer(trainer, cohort, version, (utcnow() + timedelta(days=3)).date())
            team = service.create_team(offer, f"Équipe {version.id}", [learner])
            service.submit_deliverable(
                team, learner, repo_url="https://git.example.ma/x.git", commit="f" * 40
            )
            levels = {"Fonctionnel": 2 if share >= 0.6 else 0, "Code": 1 if share >= 1 else 0}
            service.submit_review(team, company_user, "final", levels, {}, "Évalué.")
            db.session.commit()

        def meet_everything(self, company_user) -> policies.Evaluation:
            """Every exercise at full marks, every session attended, one project at 100 %."""
            self.all_exercises(1.0)
            self.sessions(held=5, attended=5)
            self.project(1.0, company_user)
            evaluation = self.evaluate()
            assert evaluation.met
            return evaluation

        def policy(self) -> policies.Policy:
            return policies.load(loaded, "python-backend")

        def evaluate(self, policy: policies.Policy | None = None) -> policies.Evaluation:
            return policies.evaluate(policy or self.policy(), learner, cohort, loaded)

    return Record()


def trainer_cohort(trainer):
    from lms import access

    return access.trainer_cohorts(trainer)[0]


@pytest.fixture
def company_user(create_user):
    from lms.admin import operations as ops

    company = ops.create_organization("Transports Atlas", "company")
    return create_user("company", email="nadia@atlas.ma", organization=company)


@pytest.fixture
def issued(record, company_user):
    """An issued certificate of ``record``'s learner, signed with a fresh issuer key."""
    from lms.certification.issuing import operations as service
    from lms.models import CertificateStatus

    certificate = service.issue(record.meet_everything(company_user))
    db.session.commit()
    assert certificate.status == CertificateStatus.ISSUED
    return certificate


# A track certified on quizzes -----------------------------------------------------------------

QUIZ_POLICY = """\
[exercises]
min_average_best_score = 0.7
required = ["demo/verifier-bases", "demo/etat-des-lieux"]
"""
SECOND_QUIZ = """\
+++
title = "État des lieux"
+++
::: quiz etat-des-lieux
Titre du quiz : État des lieux
? Quel mot-clé importe un module ?
- [ ] include
- [x] import

? Quelle commande installe un paquet ?
= pip install
:::
"""


@pytest.fixture
def quiz_world(app, keys_config, tmp_path, create_user, create_cohort, trainer):
    """A track whose policy asks for two quizzes (graded in the application, so re-grading
    them is real grading without a container), a cohort on it, and a helper that records a
    submission at any score, as the old graders did when their verdict was forged."""
    from lms.admin import operations as ops
    from lms.certification.issuing import operations as service
    from lms.content import quiz, releases
    from tests.content.builder import make_content, write

    root = make_content(tmp_path / "quiz-content")
    write(root, "curricula/demo/certification.toml", QUIZ_POLICY)
    write(root, "curricula/demo/01-base/03-etat-des-lieux.md", SECOND_QUIZ)
    app.config["LMS_CONTENT_DIR"] = str(root)
    loaded = content.reload(app)
    assert not loaded.problems, loaded.problems
    # The working tree has no git commit: its snapshot is what re-grading reads the exercise at.
    shutil.copytree(root, releases.releases_root(app.instance_path) / loaded.commit)
    cohort = create_cohort(trainers=[trainer], track="demo")

    class QuizWorld:
        def __init__(self):
            self.loaded, self.cohort, self.trainer = loaded, cohort, trainer

        def answers(self, exercise_id: str, right: int) -> dict[str, str]:
            """Answers to the quiz with only the first ``right`` questions answered right."""
            solution = json.loads(loaded.exercises[exercise_id].solution()["answers.json"])
            kept = dict(list(solution.items())[:right])
            return {"answers.json": json.dumps(kept)}

        def recorded(self, learner, exercise_id: str, files: dict, score: int) -> Submission:
            """A graded submission of ``files`` recorded at ``score``; at full marks, its
            result says every test passed, as a fooled grader's report did."""
            exercise = loaded.exercises[exercise_id]
            submission = operations.submit(learner, exercise, files, loaded.commit, 1_000_000)
            submission.status = SubmissionStatus.GRADED
            submission.score = score
            if score == exercise.max_score:
                solution = quiz.grade(exercise.quiz, exercise.solution()["answers.json"])
                submission.result = {"tests": solution["tests"], "feedback": ""}
            submission.image_digest = "in-app:quiz"
            submission.finished_at = utcnow()
            audit.record_fact("submission.graded", submission)  # as the worker's _finish does
            db.session.commit()
            return submission

        def certified(self, name: str, right: dict[str, int], recorded: dict[str, int]):
            """A learner certified on quizzes answered with ``right`` right answers each,
            recorded at ``recorded`` points each."""
            learner = create_user("learner", name=name)
            ops.enrol(cohort, learner)
            db.session.commit()
            for exercise_id, points in recorded.items():
                self.recorded(
                    learner, exercise_id, self.answers(exercise_id, right[exercise_id]), points
                )
            policy = policies.load(loaded, "demo")
            certificate = service.issue(policies.evaluate(policy, learner, cohort, loaded))
            db.session.commit()
            return certificate

    return QuizWorld()
