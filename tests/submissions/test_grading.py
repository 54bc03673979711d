"""The grading pipeline: the submission row is the truth; nothing queued is ever lost."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from lms import content as content_module
from lms.extensions import db
from lms.models import Notification, Submission, SubmissionStatus
from lms.models.base import utcnow
from lms.submissions import operations
from lms.submissions.worker import WorkerPool
from tests.content.builder import make_content, write

EXERCISE = "python-backend/prix-ttc"


def _submit(learner, loaded, files=None, exercise=EXERCISE) -> Submission:
    ex = loaded.exercises[exercise]
    submission = operations.submit(learner, ex, files or ex.solution(), loaded.commit, 100_000)
    db.session.commit()
    return submission


def _reload(submission_id: int) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def test_submission_records_the_hash_of_the_exact_files(learner, loaded):
    files = {"prix.py": "x = 1\n"}
    submission = _submit(learner, loaded, files)
    assert submission.code_hash == operations.code_hash(files)
    assert submission.code_hash != operations.code_hash({"prix.py": "x = 2\n"})
    assert submission.status == SubmissionStatus.QUEUED and submission.queued_at is not None


@pytest.mark.docker
def test_graded_submission_records_phase_times_digest_and_commit(learner, loaded, grade_all):
    submission_id = _submit(learner, loaded).id
    assert grade_all() == 1
    graded = _reload(submission_id)
    assert graded.status == SubmissionStatus.GRADED
    assert graded.score == graded.max_score == 10
    assert graded.queued_at <= graded.started_at <= graded.finished_at
    assert 0 < graded.duration < 10
    assert graded.image_digest.startswith("sha256:")
    assert graded.content_commit == loaded.commit
    assert graded.worker is None and graded.lease_until is None


@pytest.mark.docker
def test_a_wrong_answer_is_graded_with_per_test_messages(learner, loaded, grade_all):
    submission_id = _submit(
        learner, loaded, {"prix.py": loaded.exercises[EXERCISE].starter()["prix.py"]}
    ).id
    grade_all()
    graded = _reload(submission_id)
    assert graded.status == SubmissionStatus.GRADED and graded.score < 10
    failing = [t for t in graded.tests if t["outcome"] != "passed"]
    assert failing and all(t["message"] for t in failing)


@pytest.mark.docker
def test_a_timeout_is_graded_with_limit_hit_and_score_zero(learner, loaded, grade_all):
    solution = loaded.exercises[EXERCISE].solution()["prix.py"]
    submission_id = _submit(learner, loaded, {"prix.py": solution + "\nwhile True:\n    pass\n"}).id
    grade_all()
    graded = _reload(submission_id)
    assert graded.status == SubmissionStatus.GRADED
    assert graded.limit_hit == "timeout" and graded.score == 0


@pytest.mark.docker
def test_submissions_left_running_by_a_dead_worker_are_graded_after_restart(
    learner, loaded, grade_all
):
    submission = _submit(learner, loaded)
    # What a crash leaves behind: claimed, lease running out, never finished.
    submission.status = SubmissionStatus.RUNNING
    submission.worker = "crashed-host:1:1"
    submission.lease_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    submission_id = submission.id
    assert grade_all() == 0, "a running submission is not due before it is re-queued"
    assert operations.requeue_stale() == 1
    assert grade_all() == 1
    assert _reload(submission_id).status == SubmissionStatus.GRADED


def test_a_live_lease_is_not_stolen(learner, loaded):
    submission = _submit(learner, loaded)
    claimed = operations.claim_next("worker-a", 3, timedelta(minutes=5))
    assert claimed.id == submission.id
    assert operations.claim_next("worker-b", 3, timedelta(minutes=5)) is None
    assert operations.requeue_stale() == 0


def test_a_result_from_a_worker_that_lost_its_lease_is_dropped(learner, loaded):
    submission = _submit(learner, loaded)
    operations.claim_next("worker-a", 3, timedelta(seconds=-1))
    operations.requeue_stale()
    operations.claim_next("worker-b", 3, timedelta(minutes=5))
    operations._finish(submission.id, "worker-a", status=SubmissionStatus.GRADED, score=10)
    assert _reload(submission.id).status == SubmissionStatus.RUNNING
    assert _reload(submission.id).worker == "worker-b"


def test_when_docker_is_unreachable_submissions_wait_and_lessons_still_serve(
    app, client, auth, learner, loaded
):
    app.config["LMS_DOCKER_URL"] = "unix:///nonexistent/docker.sock"
    submission_id = _submit(learner, loaded).id
    assert operations.grade_next(loaded, 3, app.config["LMS_DOCKER_URL"])
    waiting = _reload(submission_id)
    assert waiting.status == SubmissionStatus.QUEUED
    assert "grading unavailable" in waiting.status_detail
    assert waiting.attempts == 0
    assert waiting.available_at > utcnow()
    auth.login(learner.email)
    assert (
        client.get("/learn/python-backend/01-fondamentaux/01-variables-types-chaines").status_code
        == 200
    )
    page = client.get(f"/submissions/{submission_id}").get_data(as_text=True)
    assert "grading unavailable" in page


@pytest.mark.docker
def test_a_broken_grader_is_retried_then_marked_error_and_the_trainer_is_alerted(
    app, tmp_path, learner, trainer, create_cohort, client, auth
):
    root = make_content(tmp_path / "content")
    app.config["LMS_CONTENT_DIR"] = str(root)
    loaded = content_module.reload(app)
    cohort = create_cohort(trainers=[trainer], learners=[learner], track="demo")
    submission_id = _submit(learner, loaded, exercise="demo/somme").id
    # The tests change behind the loaded release: the harness now scores out of 4, not 3.
    write(root, "exercises/demo/somme/tests/test_extra.py", "def test_extra():\n    pass\n")
    for attempt in range(1, 4):
        db.session.execute(db.update(Submission).values(available_at=utcnow()))
        db.session.commit()
        assert operations.grade_next(loaded, 3)
        failed = _reload(submission_id)
        assert failed.status == SubmissionStatus.ERROR and failed.attempts == attempt
        assert "scored out of 4, the content says 3" in failed.status_detail
    assert "grading failed 3 times" in failed.status_detail
    alerts = db.session.scalars(
        db.select(Notification).where(
            Notification.user_id == trainer.id, Notification.kind == "grading.failed"
        )
    ).all()
    assert [a.link for a in alerts] == [f"/submissions/{submission_id}"]
    db.session.execute(db.update(Submission).values(available_at=utcnow()))
    db.session.commit()
    assert not operations.grade_next(loaded, 3), "no retry after the last attempt"
    auth.login(trainer.email)
    page = client.get(f"/trainer/cohorts/{cohort.id}").get_data(as_text=True)
    assert "n'ont pas pu être corrigées par la plateforme" in page
    assert f"#{submission_id}" in page


@pytest.mark.docker
def test_the_worker_pool_grades_what_is_queued(app, learner, loaded):
    app.config["LMS_WORKERS"] = 2
    ids = [_submit(learner, loaded).id for _ in range(3)]
    pool = WorkerPool(app, 2)
    pool.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            statuses = {_reload(i).status for i in ids}
            if statuses == {SubmissionStatus.GRADED}:
                break
            time.sleep(0.2)
    finally:
        pool.stop()
    assert {_reload(i).score for i in ids} == {10}


@pytest.mark.docker
def test_the_site_keeps_serving_while_hostile_code_is_graded(app, client, auth, learner, loaded):
    bombs = [
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        "while True:\n    pass\n",
    ]
    ids = [_submit(learner, loaded, {"prix.py": code}).id for code in bombs]
    honest = _submit(learner, loaded).id
    pool = WorkerPool(app, 2)
    pool.start()
    auth.login(learner.email)
    slowest = 0.0
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            started = time.monotonic()
            response = client.get(
                "/learn/python-backend/01-fondamentaux/01-variables-types-chaines"
            )
            slowest = max(slowest, time.monotonic() - started)
            assert response.status_code == 200
            if all(_reload(i).status == SubmissionStatus.GRADED for i in [*ids, honest]):
                break
            time.sleep(0.2)
    finally:
        pool.stop()
    assert [_reload(i).limit_hit for i in ids] == ["timeout", "timeout"]
    assert _reload(honest).score == 10
    assert slowest < 1.0
