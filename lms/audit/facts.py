"""What an event records about its source row, and how to tell that the row still says so.

Each kind of event (:mod:`lms.audit.kinds`) is registered by the feature that owns it, at
:func:`lms.create_app` (:func:`init_app`): a :class:`FactSource` when its facts live on in a
table, :class:`ChainOnly` when they do not. The same ``facts`` function builds the event's data
when it is recorded and, at verification, is applied to the row as it is now: any difference
means the row was changed behind the application's back (an ``UPDATE submissions SET score =
...``), even though the chain itself is intact.

The chain records on the features' signals (:mod:`lms.signals`): a registration names the
signal its kind is recorded on, and the event is appended in the transaction that sent it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from blinker import NamedSignal
from flask import Flask, current_app
from sqlalchemy import String, cast, exists, literal, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import ColumnElement

from lms.audit import kinds
from lms.audit.chain import record
from lms.models import AuditEvent, User

EXTENSION = "lms.audit"


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
    #: The signal whose sender (the row) is recorded; None when recorded by a direct call.
    signal: NamedSignal | None = None

    def subject(self, row) -> str:
        return f"{self.prefix}:{row.id}"


@dataclass(frozen=True)
class ChainOnly:
    """A kind whose events record a change and what it replaced: no row keeps what they say,
    so the chain alone vouches for them."""

    #: The signal it is recorded on (None: recorded by a direct call to :func:`record`).
    signal: NamedSignal | None = None
    #: The event's subject and data, from the signal's sender and arguments.
    subject: Callable[[object], str] | None = None
    data: Callable[..., dict] | None = None


Registration = FactSource | ChainOnly


class UnknownKind(LookupError):
    """A kind of event nobody registered: it would be recorded, or verified, unchecked."""


class Registry:
    """The app's registrations, one per kind of event."""

    def __init__(self, registrations: Mapping[str, Registration] = ()) -> None:
        self.registrations: dict[str, Registration] = {}
        for kind, registration in dict(registrations).items():
            self.register(kind, registration)

    def register(self, kind: str, registration: Registration) -> None:
        if kind in kinds.WITH_FACTS and not isinstance(registration, FactSource):
            raise ValueError(f"{kind} records facts about a row: it needs a FactSource")
        self.registrations[kind] = registration

    @property
    def sources(self) -> dict[str, FactSource]:
        return {k: r for k, r in self.registrations.items() if isinstance(r, FactSource)}

    def source(self, kind: str) -> FactSource:
        registration = self.registrations.get(kind)
        if not isinstance(registration, FactSource):
            raise UnknownKind(f"no fact source is registered for {kind!r}")
        return registration

    def unregistered(self, found: set[str]) -> list[str]:
        """Kinds declared, or ``found`` in the chain, that nobody registered."""
        return sorted((kinds.DECLARED | found) - set(self.registrations))

    def on(self, signal_name: str) -> list[tuple[str, Registration]]:
        return [
            (kind, r)
            for kind, r in self.registrations.items()
            if r.signal is not None and r.signal.name == signal_name
        ]


def init_app(app: Flask, registrations: Mapping[str, Registration]) -> None:
    """Register every kind of event the chain records, and connect what records them to their
    signals. Refuses to build an app that leaves a declared kind out."""
    registry = Registry(registrations)
    if missing := registry.unregistered(set()):
        raise UnknownKind(f"audit kinds declared but not registered: {', '.join(missing)}")
    app.extensions[EXTENSION] = registry
    for registration in registrations.values():
        if registration.signal is not None:
            registration.signal.connect(_receiver(registration.signal.name), weak=False)


def registry() -> Registry:
    """The current app's registrations."""
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        raise UnknownKind("no audit kind is registered: build the app with lms.create_app")
    return found


def register(kind: str, registration: Registration) -> None:
    """Register one more kind on the current app (a plug-in's, a test's)."""
    registry().register(kind, registration)


#: One receiver per signal for the whole process, so that every app connects the same one.
_RECEIVERS: dict[str, Callable] = {}


def _receiver(signal_name: str) -> Callable:
    def record_signalled(sender, actor: User | None = None, **data) -> None:
        for kind, registration in registry().on(signal_name):
            if isinstance(registration, FactSource):
                record(kind, registration.subject(sender), registration.facts(sender), actor)
            else:
                subject, facts = registration.subject(sender), registration.data(sender, **data)
                record(kind, subject, facts, actor)

    return _RECEIVERS.setdefault(signal_name, record_signalled)


def record_fact(kind: str, row, actor: User | None = None) -> AuditEvent:
    """Record ``kind`` about ``row`` with the facts its source defines."""
    source = registry().source(kind)
    return record(kind, source.subject(row), source.facts(row), actor)


def check(session: Session, events: list[AuditEvent]) -> list[tuple[int, str]]:
    """(seq, reason) for each event whose source row is gone or says something else."""
    found = []
    for kind, source in registry().sources.items():
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
    for kind, source in registry().sources.items():
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


def unregistered_in(session: Session) -> list[str]:
    """Kinds declared, or present in the chain, that the current app has no registration
    for: verifying would skip their facts."""
    found = set(session.scalars(select(AuditEvent.kind).distinct()))
    return registry().unregistered(found)
