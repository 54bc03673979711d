"""Attendance at a cohort's sessions, recorded by its trainers on the web or from a CSV file.

Every change is announced (:data:`lms.signals.attendance_changed`): the audit chain records it
with the value it replaced, and automatic certification looks at the learner's record. The CSV
import keeps its valid lines and reports each bad one with its line number (in the style of
the content sync, which collects every error instead of stopping at the first): a file with
one typo does not force the trainer to type the other fifty lines again. Operations flush;
callers commit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from lms import signals
from lms.errors import DomainError
from lms.extensions import db
from lms.models import Cohort, Enrollment, User
from lms.models.base import utcnow
from lms.models.certification import Attendance, CohortSession

#: Largest CSV file accepted, in bytes (a cohort of 30 over 200 sessions is about 250 kB).
MAX_CSV_BYTES = 512 * 1024
PRESENT = {"1", "oui", "yes", "present", "présent", "présente", "true", "x"}
ABSENT = {"0", "non", "no", "absent", "absente", "false"}
REQUIRED_COLUMNS = ("date", "email", "present")


class AttendanceError(DomainError, ValueError):
    """Attendance that cannot be recorded (unknown learner, bad file), and why."""


@dataclass
class ImportReport:
    created_sessions: int = 0
    #: Lines applied (a line that repeats the recorded value counts, but is not audited).
    recorded: int = 0
    #: "line 4: unknown email x@y" — one per refused line, in file order.
    errors: list[str] = field(default_factory=list)


@dataclass
class AttendanceGrid:
    sessions: list[CohortSession]
    learners: list[User]
    #: (session id, learner id) -> present; a missing key means nothing recorded yet.
    present: dict[tuple[int, int], bool]

    def rate(self, learner: User) -> float | None:
        if not self.sessions:
            return None
        attended = sum(self.present.get((s.id, learner.id), False) for s in self.sessions)
        return attended / len(self.sessions)


def enrolled_learners(cohort: Cohort) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Enrollment, Enrollment.learner_id == User.id)
            .where(Enrollment.cohort_id == cohort.id)
            .order_by(User.name, User.id)
        )
    )


def sessions_of(cohort: Cohort) -> list[CohortSession]:
    return list(
        db.session.scalars(
            select(CohortSession)
            .where(CohortSession.cohort_id == cohort.id)
            .order_by(CohortSession.held_on, CohortSession.title, CohortSession.id)
        )
    )


def add_session(cohort: Cohort, held_on: date, title: str = "") -> CohortSession:
    """A new session of the cohort; refused when one with that date and title exists."""
    title = title.strip()
    if len(title) > 200:
        raise AttendanceError("a session title has at most 200 characters")
    duplicate = db.session.scalar(
        select(CohortSession.id).where(
            CohortSession.cohort_id == cohort.id,
            CohortSession.held_on == held_on,
            CohortSession.title == title,
        )
    )
    if duplicate is not None:
        raise AttendanceError(f"a session on {held_on.isoformat()} with that title exists")
    session = CohortSession(cohort_id=cohort.id, held_on=held_on, title=title)
    db.session.add(session)
    db.session.flush()
    return session


def is_enrolled(learner: User, cohort: Cohort) -> bool:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Enrollment)
            .where(Enrollment.cohort_id == cohort.id, Enrollment.learner_id == learner.id)
        )
        > 0
    )


def set_attendance(
    session: CohortSession, learner: User, present: bool, trainer: User
) -> Attendance:
    """Record (or correct) whether ``learner`` attended ``session``. A change is audited with
    the value it replaces; recording the same value again changes nothing."""
    if not is_enrolled(learner, session.cohort):
        raise AttendanceError(f"{learner.email} is not enrolled in {session.cohort.name}")
    record = db.session.scalar(
        select(Attendance).where(
            Attendance.session_id == session.id, Attendance.learner_id == learner.id
        )
    )
    previous = record.present if record is not None else None
    if previous is not None and previous == present:
        return record
    if record is None:
        record = Attendance(session_id=session.id, learner_id=learner.id)
    record.present = present
    record.recorded_by_id = trainer.id
    record.recorded_at = utcnow()
    db.session.add(record)
    db.session.flush()
    signals.attendance_changed.send(record, previous=previous, actor=trainer)
    return record


def attendance_grid(cohort: Cohort) -> AttendanceGrid:
    sessions = sessions_of(cohort)
    rows = db.session.execute(
        select(Attendance.session_id, Attendance.learner_id, Attendance.present)
        .join(CohortSession)
        .where(CohortSession.cohort_id == cohort.id)
    )
    present = {(session_id, learner_id): value for session_id, learner_id, value in rows}
    return AttendanceGrid(sessions, enrolled_learners(cohort), present)


# CSV import ------------------------------------------------------------------------------------


def decode_csv(data: bytes, limit: int = MAX_CSV_BYTES) -> str:
    """The uploaded file as text: refused when larger than ``limit`` or not UTF-8."""
    if len(data) > limit:
        raise AttendanceError(f"the file is larger than {limit // 1024} kB")
    try:
        return data.decode("utf-8-sig")  # spreadsheets often save a byte-order mark
    except UnicodeDecodeError as exc:
        raise AttendanceError(
            f"the file is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8"
        ) from exc


def import_csv(cohort: Cohort, text: str, trainer: User) -> ImportReport:
    """Apply a ``date,email,present`` file (optional ``title`` column). Valid lines are kept,
    each refused line is reported with its number; a missing header refuses the whole file.

    Without a ``title`` column a line goes to the cohort's only session on that date, which
    is created when there is none; a date with several sessions needs the title.
    """
    report = ImportReport()
    rows = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header = [column.strip().lower() for column in next(rows, [])]
    if missing := [c for c in REQUIRED_COLUMNS if c not in header]:
        report.errors.append(
            f"line 1: header must name the columns date,email,present "
            f"(missing: {', '.join(missing)})"
        )
        return report
    learners = {u.email.lower(): u for u in enrolled_learners(cohort)}
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            values = dict(zip(header, (cell.strip() for cell in row), strict=False))
            session, learner, present = _parse(cohort, values, learners, report)
        except AttendanceError as exc:
            report.errors.append(f"line {line}: {exc}")
            continue
        key = (session.id, learner.id)
        if key in seen:
            report.errors.append(f"line {line}: same session and learner as line {seen[key]}")
            continue
        seen[key] = line
        set_attendance(session, learner, present, trainer)
        report.recorded += 1
    return report


def _dialect(text: str) -> type[csv.Dialect]:
    # French spreadsheets save with semicolons.
    first = text.split("\n", 1)[0]
    return _Semicolon if first.count(";") > first.count(",") else csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _parse(
    cohort: Cohort, values: dict[str, str], learners: dict[str, User], report: ImportReport
) -> tuple[CohortSession, User, bool]:
    try:
        held_on = date.fromisoformat(values.get("date", ""))
    except ValueError:
        raise AttendanceError(
            f"bad date {values.get('date', '')!r} (expected YYYY-MM-DD)"
        ) from None
    email = values.get("email", "").lower()
    learner = learners.get(email)
    if learner is None:
        known = db.session.scalar(select(User.id).where(func.lower(User.email) == email))
        why = "is not enrolled in this cohort" if known else "is not a known learner"
        raise AttendanceError(f"{email or '(no email)'} {why}")
    present = _presence(values.get("present", ""))
    return _session(cohort, held_on, values.get("title"), report), learner, present


def _presence(value: str) -> bool:
    word = value.strip().lower()
    if word in PRESENT:
        return True
    if word in ABSENT:
        return False
    raise AttendanceError(f"present must be 1/0, oui/non, yes/no or present/absent, not {value!r}")


def _session(
    cohort: Cohort, held_on: date, title: str | None, report: ImportReport
) -> CohortSession:
    query = select(CohortSession).where(
        CohortSession.cohort_id == cohort.id, CohortSession.held_on == held_on
    )
    if title is not None:
        query = query.where(CohortSession.title == title)
    found = list(db.session.scalars(query))
    if len(found) > 1:
        raise AttendanceError(f"several sessions on {held_on.isoformat()}: add a title column")
    if found:
        return found[0]
    report.created_sessions += 1
    return add_session(cohort, held_on, title or "")
