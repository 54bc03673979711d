"""The 90- and 180-day surveys: the LMS asks each learner what they do now, in the app and by
e-mail, when the window after their cohort's end has come.

Rules:

- A window is due on the cohort's last day plus 90 (180) days, and from then on.
- Learners who withdrew, whose account is inactive, or whose current record excludes them
  (further studies, health, deceased...) are not asked.
- Only the latest due window is asked. When the 180-day window is already due the first time
  the LMS looks (the worker was down, or the cohort ended before the surveys existed), asking
  about day 90 as well would send two e-mails for one answer, so day 90 is skipped and gets
  no survey row: a row means the learner was asked.
- Each (enrolment, window) is asked once (a unique constraint); ``send_due`` is idempotent
  and does at most ``BATCH`` learners per call, so a backlog is spread over several calls.
- A survey is answered when the learner reports anything
  (:mod:`lms.outcomes.recording.operations`), or says that what they reported still holds
  (:func:`answer_unchanged`).

Operations flush; callers commit. :func:`send_if_due` is a periodic chore of the grading workers
(:mod:`lms.queue.chores`), like :func:`lms.certification.auditing.checkpoints.make_if_due`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, select, text
from sqlalchemy.orm import aliased, contains_eager

from lms.extensions import db
from lms.models import Cohort, Enrollment, OutcomeRecord, OutcomeSurvey, Situation, User
from lms.models.base import utcnow
from lms.outcomes.recording import notices
from lms.outcomes.recording import operations as recording
from lms.outcomes.recording.operations import OutcomeError

WINDOWS = (90, 180)
#: Learners asked per call at most: one call stays short, the next one continues.
BATCH = 500
#: The worker looks for due surveys at most this often per process.
WORKER_PERIOD_SECONDS = 3600
#: PostgreSQL advisory lock id of the survey senders (any constant no other feature uses).
_LOCK_KEY = 9_001_180


@dataclass(frozen=True)
class Prompt:
    """What the learner's home page asks them to do about outcomes."""

    surveys: list[OutcomeSurvey]
    intent_open: list[Enrollment]

    def __bool__(self) -> bool:
        return bool(self.surveys or self.intent_open)


def send_due(today: date, limit: int = BATCH) -> int:
    """Ask every learner whose window is due and who was not asked about it yet; returns how
    many were asked (at most ``limit``)."""
    _take_turn()
    due = _due(today, limit)
    for enrollment, window in due:
        _ask(enrollment, window)
    return len(due)


def due_window(ends_on: date, today: date) -> int | None:
    """The latest window due on ``today`` for a cohort that ended on ``ends_on``."""
    due = [w for w in WINDOWS if ends_on + timedelta(days=w) <= today]
    return max(due) if due else None


def prompt(learner: User, today: date) -> Prompt:
    """The learner's unanswered surveys and the enrolments whose intent question is open."""
    surveys = list(
        db.session.scalars(
            select(OutcomeSurvey)
            .join(Enrollment)
            .where(Enrollment.learner_id == learner.id, OutcomeSurvey.answered_at.is_(None))
            .order_by(OutcomeSurvey.id)
        )
    )
    enrollments = db.session.scalars(
        select(Enrollment).where(
            Enrollment.learner_id == learner.id, Enrollment.seeking_in_field.is_(None)
        )
    )
    return Prompt(surveys, [e for e in enrollments if recording.intent_open(e, today)])


def answer_unchanged(learner: User, enrollment: Enrollment) -> int:
    """The learner says what they reported still holds: their open surveys are answered.
    Returns how many were."""
    if enrollment.learner_id != learner.id:
        raise OutcomeError(_l("You can only report your own situation."))
    if not recording.current_records(enrollment):
        raise OutcomeError(_l("Nothing is recorded yet: report your situation first."))
    surveys = db.session.scalars(
        select(OutcomeSurvey).where(
            OutcomeSurvey.enrollment_id == enrollment.id, OutcomeSurvey.answered_at.is_(None)
        )
    ).all()
    for survey in surveys:
        survey.answered_at = utcnow()
    db.session.flush()
    return len(surveys)


class _Hourly:
    """Lets the first caller through, then nobody for ``period`` seconds (per process: every
    worker thread shares it)."""

    def __init__(self, period: float) -> None:
        self.period = period
        self._last: float | None = None
        self._lock = threading.Lock()

    def due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if self._last is not None and now - self._last < self.period:
                return False
            self._last = now
            return True


_worker_clock = _Hourly(WORKER_PERIOD_SECONDS)


def send_if_due() -> int:
    """What the grading workers do now and then: at most once an hour, ask the learners whose
    window came (flushed; the chore's unit of work commits)."""
    if not _worker_clock.due():
        return 0
    return send_due(date.today())


# Finding and asking --------------------------------------------------------------------------


def _due(today: date, limit: int) -> list[tuple[Enrollment, int]]:
    longest, shortest = max(WINDOWS), min(WINDOWS)
    window = case((Cohort.ends_on <= today - timedelta(days=longest), longest), else_=shortest)
    asked = exists().where(
        OutcomeSurvey.enrollment_id == Enrollment.id, OutcomeSurvey.window == window
    )
    query = (
        select(Enrollment, window)
        .join(Enrollment.cohort)
        .join(Enrollment.learner)
        .options(contains_eager(Enrollment.cohort), contains_eager(Enrollment.learner))
        .where(
            Cohort.ends_on <= today - timedelta(days=shortest),
            Enrollment.withdrawn_on.is_(None),
            User.active,
            ~asked,
            ~_excluded(),
        )
        .order_by(Cohort.ends_on, Enrollment.id)
        .limit(limit)
    )
    return [(enrollment, int(w)) for enrollment, w in db.session.execute(query)]


def _excluded():
    """SQL condition: a current record excludes the enrolment's learner."""
    record = aliased(OutcomeRecord)
    newer = aliased(OutcomeRecord)
    return exists().where(
        and_(
            record.enrollment_id == Enrollment.id,
            record.situation == Situation.EXCLUDED,
            ~exists().where(newer.replaces_id == record.id),
        )
    )


def _take_turn() -> None:
    """Senders in several processes take turns until the end of their transaction, so the
    second one finds what the first one sent rather than failing on the unique constraint.
    SQLite needs nothing: it lets one writer at a time anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _ask(enrollment: Enrollment, window: int) -> None:
    db.session.add(OutcomeSurvey(enrollment_id=enrollment.id, window=window))
    notices.survey_sent(enrollment, window)  # flushes the survey with the notification
