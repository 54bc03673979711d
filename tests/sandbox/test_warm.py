"""Pre-warmed single-use containers, in real Docker: the same verdicts as cold containers, one
job per container, nothing of a job before its go, every limit still holding, and a pool that
refills itself and drops what a rebuild made stale."""

from __future__ import annotations

import re
import time
from pathlib import Path

import docker.errors
import pytest

from lms import grading
from sandbox import Job, Limits, run, runner, warm
from sandbox.runner import LABEL, OWNER_LABEL, client
from sandbox.warm import WARM_LABEL, WarmPool

pytestmark = pytest.mark.docker

EXERCISE = Path(__file__).resolve().parents[2] / "exercises" / "python-backend" / "prix-ttc"
TESTS = EXERCISE / "tests"
SOLUTION = (EXERCISE / "solution" / "prix.py").read_text()
WRONG = "def prix_ttc(*args, **kwargs):\n    return 0\n"
LIMITS = Limits(timeout_seconds=3, memory_mb=128, grace_seconds=4)
#: Harness start-up and clean-up on a busy 2-core machine.
MARGIN = 4.0


def python_job(code: str, limits: Limits = LIMITS, image: str | None = None) -> Job:
    return Job(
        image=image or grading.get("python").image,
        files={"prix.py": code},
        tests_dir=TESTS,
        limits=limits,
        max_score=10,
    )


def my_warm_containers() -> list:
    """This process's warm containers, waiting or busy (the engine is shared with others)."""
    return client().containers.list(
        all=True,
        sparse=True,
        filters={"label": [LABEL, WARM_LABEL, f"{OWNER_LABEL}={runner._owner()}"]},
    )


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def pool(tmp_path):
    """A pool of two per image and limits, its job folders in tmp_path; closed afterwards."""
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    pools = []

    def make(**options) -> WarmPool:
        pools.append(WarmPool(options.pop("size", 2), jobs_dir=str(jobs), **options))
        return pools[-1]

    yield make
    for made in pools:
        made.close()


@pytest.fixture
def warm_pool(pool):
    """A pool already warm for the Python grader at LIMITS."""
    made = pool()
    made.warm_up(python_job(SOLUTION))
    wait_until(lambda: made.ready() == 2)
    return made


def comparable(result) -> dict:
    """What the learner sees: all but timings and the exit status (not waited for when warm)."""
    data = result.to_json()
    del data["duration"], data["exit_code"]
    return data


@pytest.mark.parametrize("code", [SOLUTION, WRONG], ids=["correct", "wrong"])
def test_a_warm_run_gives_the_same_result_as_a_cold_run(warm_pool, code):
    cold = run(python_job(code))
    warmed = warm_pool.run(python_job(code))
    assert comparable(warmed) == comparable(cold)
    assert warmed.score == (10 if code == SOLUTION else 0)


def test_each_warm_container_grades_one_job_and_none_is_left_after_close(
    pool, monkeypatch, tmp_path
):
    made = pool()
    made.warm_up(python_job(SOLUTION))
    wait_until(lambda: made.ready() == 2)
    taken = []
    real_run_in = warm.run_in

    def spy(engine, container, image, job):
        taken.append(container.container.id)
        return real_run_in(engine, container, image, job)

    monkeypatch.setattr(warm, "run_in", spy)
    for _ in range(4):
        assert made.run(python_job(SOLUTION)).score == 10
    assert len(taken) == len(set(taken)) == 4
    made.close()
    assert my_warm_containers() == []
    assert list((tmp_path / "jobs").iterdir()) == []


def test_the_learners_code_cannot_start_before_the_go(tmp_path):
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
    engine = client()
    image = runner.resolve_image(engine, job.image)
    container = warm.start_warm(engine, image.id, job.limits)
    try:
        runner.stage(job, container.workdir)
        time.sleep(1.5)
        # The files are mounted, yet the harness has not copied them, nor printed anything.
        assert container.container.exec_run("ls -A /tmp/work").output == b""
        assert container.container.logs() == b""
        go = time.time()
        result = warm.run_in(engine, container, image, job)
    finally:
        warm.destroy(container)
    started = float(re.search(r"STARTED=([0-9.]+)", result.tests[0].message).group(1))
    assert started > go


def test_the_time_limit_counts_from_the_go_not_from_the_warm_start(warm_pool):
    # Both containers have waited; more than the whole limit by the time the second is used.
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
        'import sys\nsys.__stdout__.write(\'{"score": 10, "max_score": 10, "tests": []}\\n\')\n'
        "try:\n    open('/proc/1/fd/1', 'w').write('{\"score\": 10}\\n')\nexcept OSError:\n"
        "    pass\n",
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_code_meets_the_same_limits_in_a_warm_container(warm_pool, case):
    code, limit = HOSTILE[case]
    started = time.monotonic()
    result = warm_pool.run(python_job(code))
    assert result.limit_hit == limit
    assert result.score == 0 and all(test.points == 0 for test in result.tests)
    assert time.monotonic() - started < LIMITS.timeout_seconds + MARGIN


def test_network_access_fails_in_a_warm_container(warm_pool):
    code = SOLUTION + (
        "\nimport socket\n"
        "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n    NETWORK = 'open'\n"
        "except OSError as exc:\n    NETWORK = repr(exc)\n"
        "try:\n    socket.getaddrinfo('deb.debian.org', 80)\n    DNS = 'resolved'\n"
        "except OSError as exc:\n    DNS = repr(exc)\n"
        "assert NETWORK != 'open' and DNS != 'resolved', (NETWORK, DNS)\n"
    )
    assert warm_pool.run(python_job(code)).score == 10


def test_a_warm_container_sees_nothing_of_an_earlier_job(warm_pool):
    warm_pool.run(python_job(SOLUTION + "\nopen('/tmp/trace', 'w').write('SECRET')\n"))
    warm_pool.run(python_job(SOLUTION + "\nopen('/tmp/trace', 'w').write('SECRET')\n"))
    # Both warm containers have been used: this job gets a container started after them.
    probe = SOLUTION + "\nimport os\nassert not os.path.exists('/tmp/trace')\n"
    assert warm_pool.run(python_job(probe)).score == 10


def test_the_pool_refills_after_each_take(warm_pool):
    before = {c.id for c in my_warm_containers()}
    warm_pool.run(python_job(SOLUTION))
    wait_until(lambda: warm_pool.ready() == 2)
    wait_until(lambda: len(my_warm_containers()) == 2)
    after = {c.id for c in my_warm_containers()}
    assert len(after - before) == 1


def test_a_warm_container_that_waited_too_long_is_replaced(pool):
    made = pool(max_idle_seconds=2)
    made.warm_up(python_job(SOLUTION))
    wait_until(lambda: made.ready() == 2)
    first = {c.id for c in my_warm_containers()}
    wait_until(lambda: not first & {c.id for c in my_warm_containers()})
    wait_until(lambda: made.ready() == 2)


def test_a_dead_warm_container_leaves_the_job_to_a_cold_one(warm_pool):
    for container in my_warm_containers():
        container.kill()
    assert warm_pool.run(python_job(SOLUTION)).score == 10


def test_an_image_rebuild_discards_the_stale_warm_containers(pool):
    engine = client()
    python_image = engine.images.get(grading.get("python").image)
    data_image = engine.images.get(grading.get("data").image)
    old_tag, new_tag = "lms-grader-python:warm-test-old", "lms-grader-python:warm-test-new"
    python_image.tag(*old_tag.split(":"))
    try:
        made = pool()
        made.warm_up(python_job(SOLUTION, image=old_tag))
        wait_until(lambda: made.ready() == 2)
        stale = {c.id for c in my_warm_containers()}
        # The same tag now names another image: its warm containers are of the old one.
        data_image.tag(*old_tag.split(":"))
        result = made.run(python_job(SOLUTION, image=old_tag))
        assert result.image_digest == data_image.id and result.score == 10
        wait_until(lambda: not stale & {c.id for c in my_warm_containers()})
        wait_until(lambda: made.ready() == 2)
        # A new tag (the recipe changed): the containers of the old tag go too.
        python_image.tag(*new_tag.split(":"))
        stale = {c.id for c in my_warm_containers()}
        assert made.run(python_job(SOLUTION, image=new_tag)).image_digest == python_image.id
        wait_until(lambda: not stale & {c.id for c in my_warm_containers()})
    finally:
        for tag in (old_tag, new_tag):
            try:
                engine.images.remove(tag)  # only the tag: the images keep their own
            except docker.errors.ImageNotFound:
                pass


@pytest.mark.parametrize("grader", ["data", "ml", "javascript", "shell", "sql"])
def test_every_grader_gives_the_same_result_warm_and_cold(pool, grader):
    from lms.content.loader import load

    exercises = load(EXERCISE.parents[2]).exercises
    exercise = next(e for _, e in sorted(exercises.items()) if e.grader == grader)
    job = Job(
        image=grading.get(grader).image,
        files=exercise.solution(),
        tests_dir=exercise.tests_dir,
        limits=exercise.limits,
        max_score=exercise.max_score,
    )
    made = pool()
    made.warm_up(job)
    wait_until(lambda: made.ready() == 2, timeout=60)
    warmed = made.run(job)
    assert comparable(warmed) == comparable(run(job))
    assert warmed.score == exercise.max_score
