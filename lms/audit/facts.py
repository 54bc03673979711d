"""What an event records about its source row, and how to tell that the row still says so.

Each kind of event whose facts live on in a table registers a :class:`FactSource`. The same
``facts`` function builds the event's data when it is recorded and, at verification, is
applied to the row as it is now: any difference means the row was changed behind the
application's back (an ``UPDATE submissions SET score = ...``), even though the chain itself
is intact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import String, cast, exists, literal, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import ColumnElement

from lms.audit.chain import record
from lms.models import AuditEvent, Review, ReviewStatus, Submission, SubmissionStatus, User


@dataclass(frozen=True)
class FactSource:
    #: The table the facts come from; subjects are "<prefix>:<row id>".
    model: type
    prefix: str
    #: The facts about one row, as recorded in the event's data.
    facts: Callable[[object], dict]
    #: Which rows must have been recorded (graded submissions, submitted reviews).
    recorded: Callable[[], ColumnElement[bool]]
    #: Why a row is inconsistent in itself (a digest that no longer matches), or None.
    problem: Callable[[object], str | None] = lambda row: None
    #: Relationships ``facts`` and ``problem`` read, loaded with the rows.
    load: tuple = ()

    def subject(self, row) -> str:
        return f"{self.prefix}:{row.id}"


def submission_facts(submission: Submission) -> dict:
    return {
        "submission": submission.id,
        "learner_id": submission.learner_id,
        "exercise_id": submission.exercise_id,
        "score": submission.score,
        "max_score": submission.max_score,
        "code_hash": submission.code_hash,
        "image_digest": submission.image_digest,
        "content_commit": submission.content_commit,
    }


def submission_problem(submission: Submission) -> str | None:
    # Imported here: lms.submissions.operations imports this package to record gradings.
    from lms.submissions.operations import code_hash

    if submission.status != SubmissionStatus.GRADED:
        return f"submission {submission.id} is {submission.status}, no longer graded"
    if code_hash(submission.files) != submission.code_hash:
        return f"submission {submission.id}'s files no longer match its code_hash"
    return None


def review_facts(review: Review) -> dict:
    return {
        "review": review.id,
        "team_id": review.team_id,
        "status": str(review.status),
        "score": review.score,
        "max_score": review.max_score,
        "digest": review.digest,
    }


def review_problem(review: Review) -> str | None:
    from lms.projects.operations import verify_review  # it records reviews through this package

    if not verify_review(review):
        return f"review {review.id} no longer matches its digest"
    return None


SOURCES: dict[str, FactSource] = {
    "submission.graded": FactSource(
        Submission,
        "submission",
        submission_facts,
        lambda: Submission.status == SubmissionStatus.GRADED,
        submission_problem,
    ),
    "review.submitted": FactSource(
        Review,
        "review",
        review_facts,
        lambda: Review.status != ReviewStatus.DRAFT,
        review_problem,
        (Review.reviewer, Review.deliverable),
    ),
}


def register(kind: str, source: FactSource) -> None:
    """Let another feature (certificates, attendance) have its events checked too."""
    SOURCES[kind] = source


def record_fact(kind: str, row, actor: User | None = None) -> AuditEvent:
    """Record ``kind`` about ``row`` with the facts its source defines."""
    source = SOURCES[kind]
    return record(kind, source.subject(row), source.facts(row), actor)


def check(session: Session, events: list[AuditEvent]) -> list[tuple[int, str]]:
    """(seq, reason) for each event whose source row is gone or says something else."""
    found = []
    for kind, source in SOURCES.items():
        wanted = {e.seq: _row_id(e.subject, source.prefix) for e in events if e.kind == kind}
        if not wanted:
            continue
        rows = {
            row.id: row
            for row in session.scalars(
                select(source.model)
                .where(source.model.id.in_(set(wanted.values()) - {None}))
                .options(*(selectinload(rel) for rel in source.load))
            )
        }
        for event in (e for e in events if e.seq in wanted):
            reason = _compare(source, event, rows.get(wanted[event.seq]))
            if reason:
                found.append((event.seq, reason))
    return found


def _compare(source: FactSource, event: AuditEvent, row) -> str | None:
    if row is None:
        return f"{event.kind}: {event.subject} no longer exists"
    now = source.facts(row)
    changed = sorted(
        key for key in event.data.keys() | now.keys() if event.data.get(key) != now.get(key)
    )
    if changed:
        detail = ", ".join(f"{k} {event.data.get(k)!r} -> {now.get(k)!r}" for k in changed)
        return f"{event.kind}: {event.subject} was changed since: {detail}"
    return source.problem(row)


def _row_id(subject: str, prefix: str) -> int | None:
    kind, _, row_id = subject.partition(":")
    return int(row_id) if kind == prefix and row_id.isdigit() else None


def unrecorded(session: Session) -> str | None:
    """A row that should have been recorded but never was (inserted behind the application's
    back, e.g. a graded submission out of nowhere), or None."""
    for kind, source in SOURCES.items():
        subject = literal(f"{source.prefix}:") + cast(source.model.id, String)
        recorded = exists().where(AuditEvent.kind == kind, AuditEvent.subject == subject)
        row_id = session.scalar(
            select(source.model.id)
            .where(source.recorded(), ~recorded)
            .order_by(source.model.id)
            .limit(1)
        )
        if row_id is not None:
            return f"{source.prefix} {row_id} has no {kind} event: it was not recorded"
    return None
