"""Learners of a cohort at work, for Locust; run by bench/load.py, which prepares the accounts.

Each simulated learner takes one of the accounts listed in $LMS_LOAD_PLAN (a JSON file written
by bench/load.py: e-mails, API tokens, lesson and exercise paths, answers), signs in through the
login form (CSRF token and all, as a browser does), then reads lessons, opens exercises, and
submits through the API with her bearer token: the exercise's reference solution or its starter
code, one or the other at random. Then she reads the submission back once or, when
$LMS_LOAD_FOLLOW is set (grading is on), follows it every second, as the exercise page does,
until it is graded or that many seconds have passed. Think time between actions:
$LMS_LOAD_WAIT ("min,max" seconds); the submit task's weight, beside 6 for lessons and 2 for
exercise pages: $LMS_LOAD_SUBMIT_WEIGHT (default 2; a fraction is fine, the weights are scaled
by 10). Any unexpected status is a failure.

When Locust quits, the file writes $LMS_LOAD_RECORD (JSON): every request (name, start time,
milliseconds, failed), the moment the last learner had signed in (the end of the ramp-up), and
every submission the server accepted (id, exercise, right answer or not), so that bench/load.py
can separate the ramp-up from the steady state and check each submission's outcome.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LMS_LOAD_PLAN"], encoding="utf-8").read())
WAIT = [float(s) for s in os.environ.get("LMS_LOAD_WAIT", "2,6").split(",")]
SUBMIT_WEIGHT = float(os.environ.get("LMS_LOAD_SUBMIT_WEIGHT", "2"))
FOLLOW_SECONDS = float(os.environ.get("LMS_LOAD_FOLLOW", "0"))
FINAL = {"graded", "error"}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_accounts = itertools.cycle(PLAN["accounts"])
_accounts_lock = threading.Lock()

#: What bench/load.py reads back (see the module docstring).
RECORD: dict = {"requests": [], "submissions": [], "signed_in": 0, "ramp_end": None}


@events.request.add_listener
def _record_request(name, response_time, exception, start_time=None, **_kwargs) -> None:
    started = start_time if start_time is not None else time.time() - response_time / 1000
    RECORD["requests"].append([name, round(started, 3), round(response_time, 1), bool(exception)])


@events.test_start.add_listener
def _record_start(**_kwargs) -> None:
    RECORD["started"] = time.time()


@events.quitting.add_listener
def _write_record(**_kwargs) -> None:
    RECORD["stopped"] = time.time()
    with open(os.environ["LMS_LOAD_RECORD"], "w", encoding="utf-8") as out:
        json.dump(RECORD, out)


class Learner(FastHttpUser):
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        with _accounts_lock:
            self.account = next(_accounts)
        self.api = {"Authorization": f"Bearer {self.account['token']}"}
        self.sign_in()
        RECORD["signed_in"] += 1
        # The ramp-up ends when every learner has signed in, whatever the sign-ins cost.
        if RECORD["signed_in"] == len(PLAN["accounts"]):
            RECORD["ramp_end"] = time.time()

    def sign_in(self) -> None:
        with self.client.get("/login", name="login form", catch_response=True) as response:
            token = CSRF.search(response.text or "")
            if response.status_code != 200 or token is None:
                response.failure(f"no login form ({response.status_code})")
                return
        form = {
            "csrf_token": token[1],
            "email": self.account["email"],
            "password": PLAN["password"],
        }
        with self.client.post(
            "/login", data=form, name="sign in", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302 or "/login" in response.headers.get("Location", ""):
                response.failure(f"sign-in refused ({response.status_code})")

    # Weights times 10, so that the submit task's can be a fraction of the others'.
    @task(60)
    def read_lesson(self) -> None:
        self.page(random.choice(PLAN["lessons"]), "lesson")

    @task(20)
    def open_exercise(self) -> None:
        self.page(random.choice(PLAN["exercises"]), "exercise page")

    @task(round(10 * SUBMIT_WEIGHT))
    def submit(self) -> None:
        exercise = random.choice(PLAN["submittable"])
        right = random.random() < 0.5
        files = exercise["right"] if right else exercise["wrong"]
        with self.client.post(
            exercise["path"],
            json={"files": files},
            headers=self.api,
            name="submit (API)",
            catch_response=True,
        ) as response:
            if response.status_code != 202:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                return
            submission = response.json()["id"]
        RECORD["submissions"].append([submission, exercise["id"], right])
        self.follow(submission)

    def follow(self, submission: int) -> None:
        """Read the submission back; with grading on, until it is graded, as the page does."""
        deadline = time.monotonic() + FOLLOW_SECONDS
        while True:
            with self.client.get(
                f"/api/v1/submissions/{submission}",
                headers=self.api,
                name="submission (API)",
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                    return
                status = response.json()["status"]
            if status in FINAL or time.monotonic() >= deadline:
                return
            gevent.sleep(1.0)

    def page(self, path: str, name: str) -> None:
        # No redirect followed: a lost session must show as a failure, not as a login page.
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
