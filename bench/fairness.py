"""How long a learner waits for her grading while others flood the queue, in the fair order
with the cap (lms/submissions/fairness.py) and first come, first served without it.

    .venv/bin/python bench/fairness.py [--samples 4] [--workers 2] [--flood 30] [--rushers 10]

Real gradings: a live server (HTTP, the JSON API), the in-process pool grading in real boxes
with warm containers, as bench/grading.py does; nothing is stubbed. Learner B ("the victim")
submits the reference solution of one exercise, one submission at a time, ``--samples`` times,
and her submit -> graded time is read from the server's own timestamps (queued_at ->
finished_at). Measured in the same run:

  * alone: nobody else submits (at the start and at the end: the baseline is the median of
    both);
  * learner_flood: learner A, of B's cohort, keeps ``--flood`` submissions waiting (the attack:
    30 in 0.4 s), resubmitting as soon as one is graded, and straight after a refusal (429);
  * cohort_rush: ``--rushers`` learners of another cohort each keep 3 submissions waiting (a
    deadline rush: every one of them at the cap).

each under three settings of the same server, switched between phases:

  * fifo_no_cap: the code before (LMS_GRADING_ORDER=fifo, no cap);
  * fair_no_cap: the fair order alone (what the order does without the cap);
  * fair_cap: the fair order and the cap of 3 (the defaults now).

Figures per scenario and setting: B's p50 and max, and ``ratio_to_alone`` (B's p50 over her p50
alone). ``improvement`` divides the before's ratio by the fair_cap one: how many times shorter
B's wait is now. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import urllib.error
from datetime import date
from pathlib import Path

from grading import PASSWORD, Api, percentile

EXERCISE = "python-backend/prix-ttc"
SETTINGS = {
    "fifo_no_cap": ("fifo", 10_000),
    "fair_no_cap": ("fair", 10_000),
    "fair_cap": ("fair", 3),
}
#: Each rusher keeps this many waiting: the cap, so that the cap changes nothing in the rush.
RUSH_DEPTH = 3


def start_server(instance: Path, workers: int, rushers: int):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from lms import content, create_app
    from lms.admin import operations as ops
    from lms.extensions import db
    from lms.submissions.worker import start_pool

    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.sqlite3'}",
            "LMS_GRADING": "off",
            "LMS_WORKERS": workers,
            "LMS_WARM_CONTAINERS": 2,
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        tracks = set(content.current().tracks)
        operator = ops.create_organization("Opérateur banc", "operator")

        def cohort(name: str, emails: list[str]) -> None:
            made = ops.create_cohort(
                name,
                operator,
                "python-backend",
                "Casablanca-Settat",
                date(2026, 9, 1),
                date(2027, 2, 1),
                tracks,
            )
            for email in emails:
                ops.enrol(made, ops.create_user(email, email, "learner", PASSWORD))

        cohort("Cohorte Y", ["b@bench.test", "a@bench.test"])
        cohort("Cohorte X", [f"rusher{n}@bench.test" for n in range(rushers)])
        db.session.commit()
    pool = start_pool(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, pool


class Learner:
    """One learner's API client."""

    def __init__(self, base: str, email: str, files: dict) -> None:
        self.api = Api(base)
        self.api.token = self.api.call(
            "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD}
        )["token"]
        self.files = files
        self.refused = 0

    def submit(self) -> int | None:
        """The new submission's id; None when the cap refused it."""
        try:
            path = f"/api/v1/exercises/{EXERCISE}/submissions"
            return self.api.call("POST", path, {"files": self.files})["id"]
        except urllib.error.HTTPError as refused:
            if refused.code != 429:
                raise
            self.refused += 1
            return None

    def status(self, submission_id: int) -> dict:
        return self.api.call("GET", f"/api/v1/submissions/{submission_id}")


class Flood(threading.Thread):
    """Keeps ``depth`` of each learner's submissions waiting until stopped: submits again as
    soon as one is graded, and right after a refusal (a bot does not read Retry-After). What
    was graded is read from the database, not polled over HTTP: the bench's own requests must
    not take the cores the gradings need."""

    def __init__(self, app, learners: list[Learner], depth: int) -> None:
        super().__init__(daemon=True)
        self.app, self.learners, self.depth = app, learners, depth
        self.pending: dict[Learner, set[int]] = {learner: set() for learner in learners}
        self.stop = threading.Event()
        self.sent = 0

    def run(self) -> None:
        while not self.stop.is_set():
            graded = self._graded()
            for learner, pending in self.pending.items():
                pending -= graded
                while len(pending) < self.depth and not self.stop.is_set():
                    submission_id = learner.submit()
                    if submission_id is None:
                        break  # capped: try again next round
                    pending.add(submission_id)
                    self.sent += 1
            self.stop.wait(0.1)

    def _graded(self) -> set[int]:
        from sqlalchemy import select

        from lms.extensions import db
        from lms.models import Submission, SubmissionStatus

        ids = set().union(*self.pending.values())
        if not ids:
            return set()
        with self.app.app_context():
            return set(
                db.session.scalars(
                    select(Submission.id).where(
                        Submission.id.in_(ids), Submission.status == SubmissionStatus.GRADED
                    )
                )
            )


def _instant(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.rstrip("Z")).timestamp()


def victim_waits(victim: Learner, samples: int) -> list[float]:
    """B's submit -> graded, one submission at a time, from the server's timestamps."""
    waits = []
    for _ in range(samples):
        submission_id = victim.submit()
        if submission_id is None:
            raise RuntimeError("the victim herself was refused: she has one waiting at most")
        deadline = time.monotonic() + 600
        while (body := victim.status(submission_id))["status"] != "graded":
            if time.monotonic() > deadline:
                raise RuntimeError(f"submission {submission_id} not graded in 10 minutes")
            time.sleep(0.1)
        waits.append(_instant(body["finished_at"]) - _instant(body["queued_at"]))
        time.sleep(0.3)  # a learner reads her result before she submits again
    return waits


def drain(app, timeout: float = 900) -> None:
    """Wait until nothing is queued or running."""
    from sqlalchemy import func, select

    from lms.extensions import db
    from lms.models import Submission, SubmissionStatus

    deadline = time.monotonic() + timeout
    with app.app_context():
        while time.monotonic() < deadline:
            left = db.session.scalar(
                select(func.count(Submission.id)).where(
                    Submission.status.in_([SubmissionStatus.QUEUED, SubmissionStatus.RUNNING])
                )
            )
            db.session.rollback()
            if not left:
                return
            time.sleep(0.5)
    raise RuntimeError("the queue did not drain")


def summary(waits: list[float]) -> dict:
    return {
        "victim_p50_s": round(statistics.median(waits), 2),
        "victim_p95_s": round(percentile(waits, 0.95), 2),
        "victim_max_s": round(max(waits), 2),
    }


def scenario(app, victim: Learner, flooders: list[Learner], depth: int, samples: int) -> dict:
    results = {}
    for name, (order, cap) in SETTINGS.items():
        app.config["LMS_GRADING_ORDER"], app.config["LMS_MAX_WAITING_PER_LEARNER"] = order, cap
        drain(app)
        flood = Flood(app, flooders, depth)
        flood.start()
        time.sleep(1.0)  # the flood is in the queue before B submits
        waits = victim_waits(victim, samples)
        flood.stop.set()
        flood.join(30)
        results[name] = {
            **summary(waits),
            "flood_submissions": flood.sent,
            "flood_refused": sum(learner.refused for learner in flooders),
            "waits_s": [round(w, 2) for w in waits],
        }
        for learner in flooders:
            learner.refused = 0
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=4, help="B's submissions per phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flood", type=int, default=30, help="A's waiting submissions")
    parser.add_argument("--rushers", type=int, default=10, help="learners of the rushing cohort")
    args = parser.parse_args()

    from lms import content, grading

    with tempfile.TemporaryDirectory() as tmp:
        app, server, pool = start_server(Path(tmp), args.workers, args.rushers)
        base = f"http://127.0.0.1:{server.server_port}"
        with app.app_context():
            solution = content.current().exercises[EXERCISE].solution()
        victim = Learner(base, "b@bench.test", solution)
        flooder = Learner(base, "a@bench.test", solution)
        rushers = [Learner(base, f"rusher{n}@bench.test", solution) for n in range(args.rushers)]
        victim_waits(victim, 3)  # warm-up: the first gradings start the warm containers
        alone = victim_waits(victim, args.samples)
        figures = {
            "learner_flood": scenario(app, victim, [flooder], args.flood, args.samples),
            "cohort_rush": scenario(app, victim, rushers, RUSH_DEPTH, args.samples),
        }
        # Alone again at the end, so that a machine busier or calmer than at the start does not
        # pass for the order's doing: the baseline is the median of both.
        alone += victim_waits(victim, args.samples)
        alone_p50 = statistics.median(alone)
        server.shutdown()
        pool.stop()
        grading.close_warm_pools()
    for results in figures.values():
        for name in results:
            results[name]["ratio_to_alone"] = round(results[name]["victim_p50_s"] / alone_p50, 2)
    print(
        json.dumps(
            {
                "grading": f"real: in-process pool of {args.workers} workers, boxes with warm "
                "containers, HTTP API; no stub",
                "exercise": EXERCISE,
                "samples_per_phase": args.samples,
                "victim_alone": {**summary(alone), "waits_s": [round(w, 2) for w in alone]},
                **figures,
                "improvement": {
                    scenario_name: round(
                        results["fifo_no_cap"]["ratio_to_alone"]
                        / results["fair_cap"]["ratio_to_alone"],
                        1,
                    )
                    for scenario_name, results in figures.items()
                },
            }
        )
    )


if __name__ == "__main__":
    main()
