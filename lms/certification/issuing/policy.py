"""A track's certification policy (``curricula/<track>/certification.toml``, in git) and the
evaluation of one learner against it: each threshold, what it requires, what the learner
achieved, and the evidence behind it.

```toml
approval = "automatic"            # or "trainer": a trainer approves before issuing
[exercises]
min_average_best_score = 0.7      # mean of best score / max score over the required ones
required = ["python-backend/prix-ttc", ...]
[projects]
min_count = 1                     # company-reviewed projects ...
min_rubric_score = 0.6            # ... scoring at least this share of the rubric
[attendance]
min_rate = 0.8                    # sessions attended / sessions held in the cohort
[modules]
required = ["01-fondamentaux"]    # every exercise of these modules at full marks
```
Every section is optional; a policy with none is refused (it would certify anyone).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from lms.content.model import Content
from lms.extensions import db
from lms.models import Cohort, Review, Submission, SubmissionStatus, TeamMember, User
from lms.models.certification import Attendance, CohortSession
from lms.projects import operations as projects


class PolicyError(ValueError):
    """A certification.toml that cannot be applied, naming the file and the problem."""


@dataclass(frozen=True)
class Policy:
    track: str
    commit: str
    approval: str = "automatic"
    exercises: tuple[str, ...] = ()
    min_average: float | None = None
    project_count: int | None = None
    project_min_score: float = 0.0
    attendance_rate: float | None = None
    modules: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "approval": self.approval,
            "exercises": {"required": list(self.exercises), "min_average": self.min_average},
            "projects": {"min_count": self.project_count, "min_score": self.project_min_score},
            "attendance": {"min_rate": self.attendance_rate},
            "modules": {"required": list(self.modules)},
        }

    @classmethod
    def from_dict(cls, track: str, commit: str, data: dict) -> Policy:
        """The policy a certificate recorded (:meth:`as_dict`), to evaluate it again."""
        exercises, projects = data.get("exercises", {}), data.get("projects", {})
        return cls(
            track=track,
            commit=commit,
            approval=data.get("approval", "automatic"),
            exercises=tuple(exercises.get("required", ())),
            min_average=exercises.get("min_average"),
            project_count=projects.get("min_count"),
            project_min_score=projects.get("min_score") or 0.0,
            attendance_rate=data.get("attendance", {}).get("min_rate"),
            modules=tuple(data.get("modules", {}).get("required", ())),
        )


def load(content: Content, track: str) -> Policy:
    path = Path(content.directory) / "curricula" / track / "certification.toml"
    where = f"curricula/{track}/certification.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"{where}: missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{where}: {exc}") from exc
    policy = _policy(data, track, content.commit, where)
    _check(policy, content, where)
    return policy


#: What certification.toml may hold: anything else is a typo that would silently drop a
#: threshold (a certificate issued on less than the programme asked for).
SECTIONS = {"approval", "exercises", "projects", "attendance", "modules"}


def _policy(data: dict, track: str, commit: str, where: str) -> Policy:
    if unknown := sorted(set(data) - SECTIONS):
        raise PolicyError(f"{where}: unknown section(s) {unknown} (known: {sorted(SECTIONS)})")
    exercises = data.get("exercises", {})
    project = data.get("projects", {})
    attendance = data.get("attendance", {})
    try:
        return Policy(
            track=track,
            commit=commit,
            approval=str(data.get("approval", "automatic")),
            exercises=tuple(exercises.get("required", ())),
            min_average=_share(exercises.get("min_average_best_score")),
            project_count=int(project["min_count"]) if "min_count" in project else None,
            project_min_score=_share(project.get("min_rubric_score")) or 0.0,
            attendance_rate=_share(attendance.get("min_rate")),
            modules=tuple(data.get("modules", {}).get("required", ())),
        )
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"{where}: {exc}") from exc


def _share(value) -> float | None:
    if value is None:
        return None
    share = float(value)
    if not 0 <= share <= 1:
        raise ValueError(f"{value} is not a share between 0 and 1")
    return share


def _check(policy: Policy, content: Content, where: str) -> None:
    if policy.approval not in ("automatic", "trainer"):
        raise PolicyError(f"{where}: approval must be 'automatic' or 'trainer'")
    unknown = [e for e in policy.exercises if e not in content.exercises]
    if unknown:
        raise PolicyError(f"{where}: unknown exercises {unknown}")
    if policy.exercises and policy.min_average is None:
        raise PolicyError(f"{where}: [exercises] needs min_average_best_score")
    track = content.tracks.get(policy.track)
    modules = {m.slug for m in track.modules} if track else set()
    if missing := [m for m in policy.modules if m not in modules]:
        raise PolicyError(f"{where}: unknown modules {missing}")
    if not (policy.exercises or policy.project_count or policy.attendance_rate or policy.modules):
        raise PolicyError(f"{where}: no threshold at all")


# Evaluation ----------------------------------------------------------------------------------


@dataclass
class Threshold:
    name: str  # "exercises" | "projects" | "attendance" | "modules"
    required: float
    achieved: float
    met: bool
    #: What to do to meet it, for the learner ("3 required exercises never passed").
    missing: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "name": self.name,
            "required": self.required,
            "achieved": round(self.achieved, 4),
            "met": self.met,
            "missing": self.missing,
        }


@dataclass
class Evaluation:
    policy: Policy
    learner: User
    cohort: Cohort
    thresholds: list[Threshold]

    @property
    def met(self) -> bool:
        return all(t.met for t in self.thresholds)


def evaluate(policy: Policy, learner: User, cohort: Cohort, content: Content) -> Evaluation:
    thresholds = []
    if policy.exercises:
        best = best_evidence(learner, list(policy.exercises))
        thresholds.append(exercises_threshold(policy, best, content))
    if policy.project_count:
        thresholds.append(_projects(policy, learner))
    if policy.attendance_rate is not None:
        thresholds.append(_attendance(policy, learner, cohort))
    if policy.modules:
        best = best_evidence(learner, module_exercises(policy, content))
        thresholds.append(modules_threshold(policy, best, content))
    return Evaluation(policy, learner, cohort, thresholds)


def best_submissions(learner: User, exercise_ids: list[str]) -> dict[str, Submission]:
    """The learner's best graded submission per exercise (the earliest among equal bests)."""
    rows = db.session.scalars(
        select(Submission)
        .where(
            Submission.learner_id == learner.id,
            Submission.exercise_id.in_(exercise_ids),
            Submission.status == SubmissionStatus.GRADED,
        )
        .order_by(Submission.exercise_id, Submission.score.desc(), Submission.id)
    )
    best: dict[str, Submission] = {}
    for submission in rows:
        best.setdefault(submission.exercise_id, submission)
    return best


def best_evidence(learner: User, exercise_ids: list[str]) -> dict[str, dict]:
    """The evidence item of each exercise's best submission, keyed by exercise."""
    best = best_submissions(learner, exercise_ids)
    return {exercise: _submission_evidence(s) for exercise, s in best.items()}


def _submission_evidence(submission: Submission) -> dict:
    return {
        "type": "submission",
        "id": submission.id,
        "exercise": submission.exercise_id,
        "score": submission.score,
        "max_score": submission.max_score,
        "content_commit": submission.content_commit,
        "image_digest": submission.image_digest,
        "sha256": submission.code_hash,
        "graded_at": submission.finished_at.isoformat() + "Z" if submission.finished_at else None,
    }


# The thresholds gradings feed take evidence items ({"exercise", "score", "max_score", ...})
# rather than rows: the same arithmetic then judges a learner's record as it is now and a
# certificate's recorded evidence scored anew (:func:`rescore`).


def exercises_threshold(policy: Policy, best: Mapping[str, dict], content: Content) -> Threshold:
    shares = [_share_of(best.get(e)) for e in policy.exercises]
    average = sum(shares) / len(shares)
    missing = [_title(content, e) for e in policy.exercises if e not in best]
    return Threshold(
        "exercises",
        policy.min_average,
        average,
        average >= policy.min_average,
        missing,
        [best[e] for e in policy.exercises if e in best],
    )


def _share_of(item: dict | None) -> float:
    return item["score"] / item["max_score"] if item and item["max_score"] else 0.0


def _title(content: Content, exercise_id: str) -> str:
    exercise = content.exercises.get(exercise_id)
    return exercise.title if exercise else exercise_id


def _projects(policy: Policy, learner: User) -> Threshold:
    teams = select(TeamMember.team_id).where(TeamMember.learner_id == learner.id)
    reviews = db.session.scalars(projects.final_reviews().where(Review.team_id.in_(teams)))
    passing = [
        r for r in reviews if r.max_score and r.score / r.max_score >= policy.project_min_score
    ]
    evidence = [
        {
            "type": "review",
            "id": r.id,
            "brief": r.team.offer.version.title,
            "company": r.team.offer.version.brief.company.name,
            "score": r.score,
            "max_score": r.max_score,
            "reviewer": r.reviewer.name,
            "reviewed_at": r.submitted_at.isoformat() + "Z",
            "sha256": r.digest,
            "deliverable": {
                "repo": r.deliverable.repo_url,
                "commit": r.deliverable.commit,
                "archive_sha256": r.deliverable.archive_sha256,
            },
        }
        for r in passing
    ]
    return Threshold(
        "projects",
        policy.project_count,
        len(passing),
        len(passing) >= policy.project_count,
        [] if len(passing) >= policy.project_count else ["company-reviewed project"],
        evidence,
    )


def _attendance(policy: Policy, learner: User, cohort: Cohort) -> Threshold:
    held = db.session.scalar(
        select(func.count()).select_from(CohortSession).where(CohortSession.cohort_id == cohort.id)
    )
    records = list(
        db.session.scalars(
            select(Attendance)
            .join(CohortSession)
            .where(
                CohortSession.cohort_id == cohort.id,
                Attendance.learner_id == learner.id,
                Attendance.present.is_(True),
            )
            .order_by(CohortSession.held_on)
        )
    )
    rate = len(records) / held if held else 0.0
    evidence = [
        {
            "type": "attendance",
            "id": a.id,
            "session": a.session.held_on.isoformat(),
            "recorded_by": a.recorded_by_id,
            "recorded_at": a.recorded_at.isoformat() + "Z",
        }
        for a in records
    ]
    met = bool(held) and rate >= policy.attendance_rate
    return Threshold(
        "attendance",
        policy.attendance_rate,
        rate,
        met,
        [] if met else ["attendance"],
        evidence,
    )


def module_exercises(policy: Policy, content: Content) -> list[str]:
    """Every exercise of the policy's required modules."""
    return [e for ids in _module_layout(policy, content).values() for e in ids]


def _module_layout(policy: Policy, content: Content) -> dict[str, list[str]]:
    track = content.tracks.get(policy.track)
    if track is None:
        raise PolicyError(f"track {policy.track} is not in content {content.commit}")
    return {
        m.slug: [e for lesson in m.lessons for e in lesson.exercises]
        for m in track.modules
        if m.slug in policy.modules
    }


def modules_threshold(policy: Policy, best: Mapping[str, dict], content: Content) -> Threshold:
    wanted = _module_layout(policy, content)
    done = [
        slug
        for slug, ids in wanted.items()
        if all(e in best and best[e]["score"] == best[e]["max_score"] for e in ids)
    ]
    return Threshold(
        "modules",
        len(policy.modules),
        len(done),
        len(done) == len(policy.modules),
        [m for m in policy.modules if m not in done],
        list(best.values()),
    )


# A certificate's evidence scored anew --------------------------------------------------------


def rescore(
    policy: Policy, recorded: list[dict], scores: Mapping[int, tuple[int, int]], content: Content
) -> list[Threshold]:
    """A certificate's thresholds (``recorded``: its manifest's, with their evidence) evaluated
    again once the submissions in ``scores`` ({submission id: (score, max score)}) are scored
    anew; the others keep their recorded score. Thresholds no grading feeds (projects,
    attendance) are kept as recorded: a re-grade says nothing about them."""
    thresholds = []
    for threshold in recorded:
        best = {
            item["exercise"]: _rescored(item, scores)
            for item in threshold["evidence"]
            if item["type"] == "submission"
        }
        if threshold["name"] == "exercises":
            thresholds.append(exercises_threshold(policy, best, content))
        elif threshold["name"] == "modules":
            thresholds.append(modules_threshold(policy, best, content))
        else:
            thresholds.append(
                Threshold(
                    threshold["name"],
                    threshold["required"],
                    threshold["achieved"],
                    threshold["met"],
                    list(threshold.get("missing", [])),
                    threshold["evidence"],
                )
            )
    return thresholds


def _rescored(item: dict, scores: Mapping[int, tuple[int, int]]) -> dict:
    if item["id"] not in scores:
        return item
    score, max_score = scores[item["id"]]
    return {**item, "score": score, "max_score": max_score}
