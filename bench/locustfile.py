"""Learners of a cohort at work, for Locust; run by bench/load.py, which prepares the accounts.

Each simulated learner takes one of the accounts listed in $LMS_LOAD_PLAN (a JSON file written
by bench/load.py: e-mails, API tokens, lesson and exercise paths), signs in through the login
form (CSRF token and all, as a browser does), then reads lessons, opens exercises, and submits
solutions through the API with her bearer token, reading the submission back once. Think time
between actions: $LMS_LOAD_WAIT ("min,max" seconds). Any unexpected status is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LMS_LOAD_PLAN"], encoding="utf-8").read())
WAIT = [float(s) for s in os.environ.get("LMS_LOAD_WAIT", "2,6").split(",")]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_accounts = itertools.cycle(PLAN["accounts"])
_accounts_lock = threading.Lock()


class Learner(FastHttpUser):
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        with _accounts_lock:
            self.account = next(_accounts)
        self.api = {"Authorization": f"Bearer {self.account['token']}"}
        self.sign_in()

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

    @task(6)
    def read_lesson(self) -> None:
        self.page(random.choice(PLAN["lessons"]), "lesson")

    @task(2)
    def open_exercise(self) -> None:
        self.page(random.choice(PLAN["exercises"]), "exercise page")

    @task(2)
    def submit(self) -> None:
        exercise = random.choice(PLAN["submittable"])
        files = dict.fromkeys(exercise["files"], f"# attempt by {self.account['email']}\n")
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
        self.client.get(
            f"/api/v1/submissions/{submission}", headers=self.api, name="submission (API)"
        )

    def page(self, path: str, name: str) -> None:
        # No redirect followed: a lost session must show as a failure, not as a login page.
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
