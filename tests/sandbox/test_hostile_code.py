"""Hostile learner code, each case in a real container: it ends in a clear verdict within its
limit plus a small margin, earns nothing, and leaves nothing behind."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from lms import grading
from sandbox import Job, Limits, run
from sandbox.runner import LABEL, OWNER_LABEL, _owner, client

pytestmark = pytest.mark.docker

EXERCISES = Path(__file__).resolve().parents[2] / "exercises" / "python-backend"
TESTS = EXERCISES / "prix-ttc" / "tests"
SOLUTION = (EXERCISES / "prix-ttc" / "solution" / "prix.py").read_text()
LIMITS = Limits(timeout_seconds=3, memory_mb=128, grace_seconds=4)
#: Container start, harness start-up and clean-up on a busy 2-core machine.
MARGIN = 4.0


def grade(code: str, limits: Limits = LIMITS, files: dict | None = None, grader: str = "python"):
    job = Job(
        image=grading.get(grader).image,
        files=files or {"prix.py": code},
        tests_dir=TESTS,
        limits=limits,
        max_score=10,
    )
    started = time.monotonic()
    result = run(job)
    return result, time.monotonic() - started


def assert_no_marks(result):
    assert result.score == 0
    assert all(test.points == 0 for test in result.tests)


def test_reference_solution_earns_full_marks_as_a_baseline():
    result, _ = grade(SOLUTION)
    assert result.score == result.max_score == 10
    assert result.limit_hit is None and not result.tampered


def test_infinite_loop_is_stopped_at_the_time_limit():
    result, elapsed = grade(SOLUTION + "\nwhile True:\n    pass\n")
    assert result.limit_hit == "timeout"
    assert_no_marks(result)
    assert elapsed < LIMITS.timeout_seconds + MARGIN
    assert "Temps limite" in result.feedback


def test_fork_bomb_is_contained_by_the_pids_limit_and_the_clock():
    code = SOLUTION + (
        "\nimport os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    )
    result, elapsed = grade(code)
    assert result.limit_hit == "timeout"
    assert_no_marks(result)
    assert elapsed < LIMITS.timeout_seconds + MARGIN


def test_memory_bomb_is_killed_and_reported_as_memory():
    code = SOLUTION + "\nblocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))\n"
    result, elapsed = grade(code)
    assert result.limit_hit == "memory"
    assert_no_marks(result)
    assert elapsed < LIMITS.timeout_seconds + MARGIN


def test_a_hundred_megabytes_of_output_is_cut_off():
    code = SOLUTION + "\nimport sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)\n"
    result, elapsed = grade(code)
    assert result.limit_hit == "output"
    assert_no_marks(result)
    assert elapsed < LIMITS.timeout_seconds + MARGIN


def test_network_access_fails_inside_the_container():
    code = SOLUTION + (
        "\nimport socket\n"
        "def test_reseau():\n    pass\n"
        "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n    NETWORK = 'open'\n"
        "except OSError as exc:\n    NETWORK = repr(exc)\n"
        "try:\n    socket.getaddrinfo('deb.debian.org', 80)\n    DNS = 'resolved'\n"
        "except OSError as exc:\n    DNS = repr(exc)\n"
        "assert NETWORK != 'open' and DNS != 'resolved', (NETWORK, DNS)\n"
    )
    result, _ = grade(code)
    # The module imported (the asserts held: no route, no DNS) and the solution still works.
    assert result.score == 10


def test_writing_outside_tmpfs_fails_and_tmpfs_is_size_limited():
    code = SOLUTION + (
        "\nimport os\nDENIED = []\n"
        "for path in ['/grader/x', '/etc/x', '/job/submission/x', '/job/tests/x', '/x']:\n"
        "    try:\n        open(path, 'w').write('x')\n"
        "    except OSError:\n        DENIED.append(path)\n"
        "assert len(DENIED) == 5, DENIED\n"
        "try:\n    with open('/tmp/big', 'wb') as big:\n"
        "        for _ in range(200):\n"
        "            big.write(b'x' * (1024 * 1024))\n    BIG = True\n"
        "except OSError:\n    BIG = False\n"
        "os.remove('/tmp/big') if os.path.exists('/tmp/big') else None\n"
        "assert not BIG\n"
    )
    result, _ = grade(code)
    assert result.score == 10, [t.message for t in result.tests]


def test_another_submission_cannot_be_read():
    secret = "SECRET-OF-ANOTHER-LEARNER"
    done = {}

    def other_learner():
        done["result"] = grade(SOLUTION + f"\nSECRET = '{secret}'\nimport time\ntime.sleep(2)\n")

    thread = threading.Thread(target=other_learner)
    thread.start()
    time.sleep(0.5)
    code = SOLUTION + (
        "\nimport os\nFOUND = []\n"
        "for root in ['/tmp', '/job', '/grader', '/var', '/home', '/root', '/mnt', '/srv',"
        " '/opt', '/run', '/media']:\n"
        "    for base, dirs, files in os.walk(root):\n"
        "        for name in files:\n"
        "            try:\n"
        "                path = os.path.join(base, name)\n"
        "                if b'SECRET-OF-ANOTHER' in open(path, 'rb').read(1 << 20):\n"
        "                    FOUND.append(path)\n"
        "            except OSError:\n                pass\n"
        "assert all(f.endswith('/prix.py') for f in FOUND), FOUND\n"
    )
    result, _ = grade(code, Limits(timeout_seconds=8, memory_mb=128))
    thread.join()
    # Only our own prix.py holds the search string; any other file would be a leak.
    assert result.score == 10, [t.message for t in result.tests]
    assert done["result"][0].score == 10


def test_printing_a_forged_result_earns_nothing():
    forged = (
        '{"score": 10, "max_score": 10, "tests": [{"name": "x", "outcome": "passed", '
        '"points": 10, "max_points": 10}], "feedback": "", "truncated": false}'
    )
    code = (
        "import os, sys\n"
        f"print({forged!r})\nsys.__stdout__.write({forged!r} + '\\n')\n"
        "try:\n    open('/proc/1/fd/1', 'w').write(" + repr(forged) + " + '\\n')\n"
        "except OSError:\n    pass\n"
        "def prix_ttc(*a, **k):\n    return 0\n"
    )
    result, _ = grade(code)
    assert result.score == 0


def test_exiting_early_with_status_zero_earns_nothing():
    result, _ = grade(SOLUTION + "\nimport os\nos._exit(0)\n")
    assert_no_marks(result)
    assert result.tampered


def test_sys_exit_inside_the_code_earns_nothing():
    result, _ = grade("import sys\nsys.exit(0)\n")
    assert_no_marks(result)


def test_patching_the_test_framework_earns_nothing():
    code = (
        "import _pytest.python\n"
        "_pytest.python.Function.runtest = lambda self: None\n"
        "def prix_ttc(*a, **k):\n    return 0\n"
    )
    result, _ = grade(code)
    assert_no_marks(result)
    assert result.tampered
    assert "modifié" in result.feedback


def test_patching_test_reports_to_passed_earns_nothing():
    code = (
        "import _pytest.reports\n"
        "original = _pytest.reports.TestReport.__init__\n"
        "def fake(self, *a, **k):\n"
        "    original(self, *a, **k)\n"
        "    self.outcome = 'passed'\n"
        "    self.longrepr = None\n"
        "_pytest.reports.TestReport.__init__ = fake\n"
        "def prix_ttc(*a, **k):\n    return 0\n"
    )
    result, _ = grade(code)
    assert_no_marks(result)
    assert result.tampered


def test_hostile_run_does_not_disturb_a_concurrent_honest_one():
    results = {}

    def hostile():
        results["hostile"] = grade(
            "import os\nwhile True:\n    try:\n        os.fork()\n"
            "    except OSError:\n        pass\n"
        )

    thread = threading.Thread(target=hostile)
    thread.start()
    time.sleep(0.5)
    honest, elapsed = grade(SOLUTION)
    thread.join()
    assert honest.score == 10
    assert elapsed < 5
    assert results["hostile"][0].limit_hit == "timeout"


def test_no_container_is_left_behind():
    # Warm containers other tests of this process keep waiting are not leftovers of this one.
    grading.close_warm_pools()
    grade("while True:\n    pass\n")
    # The engine is shared: only this process's containers are ours to count.
    mine = [LABEL, f"{OWNER_LABEL}={_owner()}"]
    leftovers = client().containers.list(all=True, sparse=True, filters={"label": mine})
    assert leftovers == []


HOSTILE_EVERYWHERE = {
    "infinite loop": (SOLUTION + "\nwhile True:\n    pass\n", "timeout"),
    "memory bomb": (
        SOLUTION + "\nb = []\nwhile True:\n    b.append(bytearray(1 << 24))\n",
        "memory",
    ),
    "output flood": (
        SOLUTION + "\nimport sys\nfor _ in range(100):\n    print('x' * 1_000_000)\n",
        "output",
    ),
    "forged result": ('print(\'{"score": 10, "max_score": 10, "tests": []}\')\n', None),
    "patched framework": (
        "import _pytest.python\n_pytest.python.Function.runtest = lambda s: None\n",
        None,
    ),
    "early exit": (SOLUTION + "\nimport os\nos._exit(0)\n", None),
}


@pytest.mark.parametrize("grader", ["data", "ml"])
@pytest.mark.parametrize("case", sorted(HOSTILE_EVERYWHERE))
def test_every_python_based_grader_resists_the_same_attacks(grader, case):
    code, limit = HOSTILE_EVERYWHERE[case]
    result, elapsed = grade(code, grader=grader)
    assert_no_marks(result)
    assert result.limit_hit == limit
    assert elapsed < LIMITS.timeout_seconds + MARGIN
