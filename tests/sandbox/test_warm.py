"""Judges prepared per exercise and learners' boxes started ahead, in real boxes: the same
verdicts as cold runs, one job per learner's box, nothing of a job before it arrives, every
limit still holding, and a pool that refills itself and drops what a rebuild made stale."""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import pytest

from lms import grading
from sandbox import Job, Limits, run
from sandbox.boxes import running_boxes
from sandbox.warm import WarmPool
from tests.sandbox.helpers import EXERCISES

pytestmark = pytest.mark.docker

EXERCISE = EXERCISES / "python-backend" / "prix-ttc"
TESTS = EXERCISE / "tests"
SOLUTION = (EXERCISE / "solution" / "prix.py").read_text()
WRONG = "def prix_ttc(*args, **kwargs):\n    return 0\n"
LIMITS = Limits(timeout_seconds=3, memory_mb=128, grace_seconds=4)
#: Box start-up and clean-up on a busy 2-core machine.
MARGIN = 4.0


def python_job(code: str, limits: Limits = LIMITS, image: str | None = None) -> Job:
    return Job(
        image=image or grading.get("python").image,
        files={"prix.py": code},
        tests_dir=TESTS,
        limits=limits,
        max_score=10,
    )


def learner_boxes() -> set[str]:
    """This process's learners' boxes, waiting or busy (runc is shared with other processes)."""
    return {b for b in running_boxes() if b.startswith(f"lms-learner-{os.getpid()}-")}


def zygote_boxes() -> set[str]:
    return {b for b in running_boxes() if b.startswith(f"lms-judge-{os.getpid()}-")}


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def pool():
    # The app's own pools (other tests of this process) must not count as this test's boxes.
    grading.close_warm_pools()
    pools = []

    def make(**options) -> WarmPool:
        pools.append(WarmPool(options.pop("size", 2), **options))
        return pools[-1]

    yield make
    for made in pools:
        made.close()


@pytest.fixture
def warm_pool(pool):
    """A pool warm for prix-ttc at LIMITS: two learners' boxes ahead and its zygote."""
    made = pool()
    made.warm_up(python_job(SOLUTION))
    wait_until(lambda: made.ready() == 2 and made.zygotes() == 1)
    return made


def comparable(result) -> dict:
    """What the learner sees: all but timings."""
    data = result.to_json()
    del data["duration"], data["exit_code"]
    return data


@pytest.mark.parametrize("code", [SOLUTION, WRONG], ids=["correct", "wrong"])
def test_a_warm_run_gives_the_same_result_as_a_cold_run(warm_pool, code):
    cold = run(python_job(code))
    warmed = warm_pool.run(python_job(code))
    assert comparable(warmed) == comparable(cold)
    assert warmed.score == (10 if code == SOLUTION else 0)


def test_each_learners_box_grades_one_job_and_nothing_is_left_after_close(pool):
    made = pool()
    made.warm_up(python_job(SOLUTION))
    wait_until(lambda: made.ready() == 2 and made.zygotes() == 1)
    seen = set()
    for _ in range(4):
        waiting = learner_boxes()
        assert made.run(python_job(SOLUTION)).score == 10
        seen |= waiting
        # The box that took the job is gone; the one that replaces it is new.
        wait_until(lambda w=waiting: made.ready() == 2 and (w - learner_boxes()) != set())
    assert len(seen) >= 5
    made.close()
    assert learner_boxes() == set() and zygote_boxes() == set()


def test_the_learners_code_does_not_run_before_its_job(pool, tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_quand.py").write_text(
        "from quand import STARTED\n\ndef test_quand():\n    assert False, f'STARTED={STARTED!r}'\n"
    )
    job = Job(
        image=grading.get("python").image,
        files={"quand.py": "import time\nSTARTED = time.time()\n"},
        tests_dir=tests,
        limits=LIMITS,
    )
    made = pool()
    made.warm_up(job)
    wait_until(lambda: made.ready() == 2 and made.zygotes() == 1)
    time.sleep(1.0)
    submitted = time.time()
    result = made.run(job)
    started = float(re.search(r"STARTED=([0-9.]+)", result.tests[0].message).group(1))
    assert started > submitted


def test_the_time_limit_counts_from_the_job_not_from_the_warm_start(warm_pool):
    # Both boxes have waited more than the whole limit by the time they are used.
    time.sleep(LIMITS.timeout_seconds)
    slow = SOLUTION + "\nimport time\ntime.sleep(1.5)\n"
    assert warm_pool.run(python_job(slow)).score == 10
    assert warm_pool.run(python_job(slow)).score == 10


HOSTILE = {
    "infinite loop": (SOLUTION + "\nwhile True:\n    pass\n", "timeout"),
    "fork bomb": (
        SOLUTION + "\nimport os\nwhile True:\n    try:\n        os.fork()\n"
        "    except OSError:\n        pass\n",
        "timeout",
    ),
    "memory bomb": (
        SOLUTION + "\nb = []\nwhile True:\n    b.append(bytearray(16 * 1024 * 1024))\n",
        "memory",
    ),
    "output flood": (
        SOLUTION + "\nimport sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)\n",
        "output",
    ),
    "forged result": (
        'import os\nos.write(1, b\'{"score": 10, "max_score": 10, "tests": []}\\n\')\n',
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_code_meets_the_same_limits_warm(warm_pool, case):
    code, limit = HOSTILE[case]
    started = time.monotonic()
    result = warm_pool.run(python_job(code))
    assert result.limit_hit == limit
    assert result.score == 0 and all(test.points == 0 for test in result.tests)
    assert time.monotonic() - started < LIMITS.timeout_seconds + MARGIN


def test_a_job_sees_nothing_of_an_earlier_one(warm_pool):
    for _ in range(3):
        warm_pool.run(python_job(SOLUTION + "\nopen('/tmp/trace', 'w').write('SECRET')\n"))
    probe = SOLUTION + "\nimport os\nassert not os.path.exists('/tmp/trace')\n"
    assert warm_pool.run(python_job(probe)).score == 10


def test_the_zygote_state_of_one_job_does_not_reach_the_next(pool, tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_etat.py").write_text(
        "from etat import double\nSEEN = []\n\n"
        "def test_etat():\n    SEEN.append(double(2))\n    assert SEEN == [4], SEEN\n"
    )
    job = Job(
        grading.get("python").image,
        {"etat.py": "def double(x):\n    return 2 * x\n"},
        tests,
        limits=LIMITS,
    )
    made = pool()
    made.warm_up(job)
    wait_until(lambda: made.zygotes() == 1)
    assert [made.run(job).score for _ in range(3)] == [1, 1, 1]


def test_the_pool_refills_after_each_take(warm_pool):
    before = learner_boxes()
    warm_pool.run(python_job(SOLUTION))
    wait_until(lambda: warm_pool.ready() == 2 and len(learner_boxes()) == 2)
    assert len(learner_boxes() - before) == 1


def test_a_box_that_waited_too_long_is_replaced(pool):
    made = pool(max_idle_seconds=2)
    made.warm_up(python_job(SOLUTION))
    wait_until(lambda: made.ready() == 2)
    first = learner_boxes()
    wait_until(lambda: not first & learner_boxes())
    wait_until(lambda: made.ready() == 2)


def _kill(box_id: str) -> None:
    """SIGKILL a box's first process, once it has one (a box may still be starting)."""
    from sandbox.boxes import state_dir

    pid_file = state_dir() / "bundles" / box_id / "pid"
    wait_until(lambda: pid_file.exists() or box_id not in running_boxes())
    try:
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass  # gone meanwhile: as dead as wanted


def test_dead_boxes_ahead_and_a_dead_zygote_leave_the_job_graded(warm_pool):
    for box in learner_boxes() | zygote_boxes():
        _kill(box)
    wait_until(lambda: not learner_boxes() and not zygote_boxes())
    assert warm_pool.run(python_job(SOLUTION)).score == 10
    # Both come back for the next jobs.
    wait_until(lambda: warm_pool.ready() == 2)
    assert warm_pool.run(python_job(SOLUTION)).score == 10
    wait_until(lambda: warm_pool.zygotes() == 1)


def test_a_zygote_serves_concurrent_jobs(warm_pool):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(warm_pool.run(python_job(SOLUTION))))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.score for r in results] == [10] * 4
    assert len(zygote_boxes()) == 1


def test_another_exercise_gets_its_own_zygote(warm_pool):
    other = EXERCISES / "python-backend" / "cotisations-cnss"
    job = Job(
        grading.get("python").image,
        {p.name: p.read_text() for p in (other / "solution").iterdir()},
        other / "tests",
        limits=LIMITS,
    )
    assert warm_pool.run(job).score == warm_pool.run(job).max_score
    wait_until(lambda: warm_pool.zygotes() == 2)


def test_an_image_rebuild_discards_the_stale_boxes(pool):
    from sandbox import rootfs

    image = grading.get("python").image
    stale_tag = "lms-grader-python:warm-test-old"
    # A tag of an earlier recipe, exported as a rebuild would have left it.
    stale = rootfs.folder(stale_tag)
    if not stale.exists():
        os.symlink(rootfs.folder(image), stale)
    try:
        made = pool()
        made.warm_up(python_job(SOLUTION, image=stale_tag))
        wait_until(lambda: made.ready() == 2)
        old = learner_boxes()
        assert made.run(python_job(SOLUTION, image=image)).score == 10
        wait_until(lambda: not old & learner_boxes())
    finally:
        stale.unlink()


@pytest.mark.parametrize("grader", ["data", "ml", "javascript", "shell", "sql"])
def test_every_grader_gives_the_same_result_warm_and_cold(pool, grader):
    from lms.content.loader import load

    exercises = load(EXERCISES.parent).exercises
    exercise = next(e for _, e in sorted(exercises.items()) if e.grader == grader)
    job = Job(
        image=grading.get(grader).image,
        files=exercise.solution(),
        tests_dir=exercise.tests_dir,
        limits=exercise.limits,
        max_score=exercise.max_score,
        examples=exercise.examples,
    )
    made = pool()
    made.warm_up(job)
    wait_until(lambda: made.ready() == 2 and made.zygotes() == 1, timeout=60)
    warmed = made.run(job)
    assert comparable(warmed) == comparable(run(job))
    assert warmed.score == exercise.max_score


def test_the_job_runs_cold_when_the_pool_is_sized_zero(pool):
    made = pool(size=0)
    assert made.run(python_job(SOLUTION)).score == 10
    assert made.ready() == 0 and made.zygotes() == 0
