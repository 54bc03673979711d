"""Background work the features hand to the grading workers, registered at
:func:`lms.create_app` and nowhere else.

- **Idle jobs**: what a grading worker of the in-process pool runs when no submission waits (a
  deliverable's automated check). Each claims its own work and commits it in units of its own;
  it returns whether it found any.
- **Chores**: what must happen now and then whoever serves (an audit checkpoint, the placement
  surveys). Each flushes; :func:`run_chore` gives it a unit of work of its own.

The in-process pool (:mod:`lms.submissions.worker`) and ``lms worker``'s housekeeping
(:mod:`lms.queue.housekeeping`) read the same lists, so a chore is declared once for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask

from lms.leases import LeaseTerms
from lms.transactions import unit_of_work

EXTENSION = "lms.background"

#: Runs one waiting job if there is one: (Docker URL, lease terms) -> whether it found work.
IdleJob = Callable[[str | None, LeaseTerms], bool]


@dataclass(frozen=True)
class Chore:
    #: For the logs.
    name: str
    #: Does what is due, if anything (flushes; at most once per period is its own business).
    run: Callable[[], object]


@dataclass(frozen=True)
class Background:
    idle_jobs: tuple[IdleJob, ...] = ()
    chores: tuple[Chore, ...] = ()


def init_app(app: Flask, idle_jobs: Iterable[IdleJob] = (), chores: Iterable[Chore] = ()) -> None:
    app.extensions[EXTENSION] = Background(tuple(idle_jobs), tuple(chores))


def of(app: Flask) -> Background:
    """What ``app`` registered (nothing, for an app built without :func:`lms.create_app`)."""
    return app.extensions.get(EXTENSION, Background())


def run_chore(chore: Chore) -> None:
    """Run a chore in a unit of work of its own: committed, or rolled back if it raises."""
    with unit_of_work():
        chore.run()
