"""The shell grader: scripts checked case by case on fixtures, flags checked by hash, hostile
scripts stopped."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from lms import grading
from sandbox import Job, Limits, run

pytestmark = pytest.mark.docker

LOG = """\
Mar  3 10:00:01 srv sshd[1]: Failed password for root from 203.0.113.5 port 2201 ssh2
Mar  3 10:00:02 srv sshd[1]: Failed password for admin from 203.0.113.5 port 2202 ssh2
Mar  3 10:00:03 srv sshd[1]: Accepted password for salma from 192.0.2.10 port 2203 ssh2
Mar  3 10:00:04 srv sshd[1]: Failed password for root from 198.51.100.7 port 2204 ssh2
"""
FLAG = "FLAG{203.0.113.5}"
CHECKS = f"""
[[case]]
name = "Compte les échecs"
points = 2
args = ["auth.log"]
expected_stdout = "3"
example = true

[[case]]
name = "Sur un autre journal"
points = 2
args = ["autre.log"]
setup = "head -n 1 auth.log > autre.log"
expected_stdout = "1\\n"

[[case]]
name = "Sans argument, erreur"
points = 1
expected_regex = ".*"
expected_exit = 2

[[flag]]
name = "L'adresse la plus agressive"
points = 5
file = "flag.txt"
sha256 = "{hashlib.sha256(FLAG.encode()).hexdigest()}"
"""
SOLUTION = """\
#!/usr/bin/env bash
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 journal" >&2; exit 2; }
grep -c 'Failed password' "$1"
"""


@pytest.fixture
def tests_dir(tmp_path) -> Path:
    tests = tmp_path / "tests"
    (tests / "fixtures").mkdir(parents=True)
    (tests / "fixtures" / "auth.log").write_text(LOG)
    (tests / "checks.toml").write_text(CHECKS)
    return tests


def grade(tests_dir: Path, script: str, flag: str = FLAG, timeout: float = 3):
    job = Job(
        image=grading.get("shell").image,
        files={"analyse.sh": script, "flag.txt": flag + "\n"},
        tests_dir=tests_dir,
        limits=Limits(timeout_seconds=timeout),
        max_score=10,
    )
    started = time.monotonic()
    return run(job), time.monotonic() - started


def test_a_correct_script_and_flag_earn_full_marks(tests_dir):
    result, _ = grade(tests_dir, SOLUTION)
    assert result.score == 10, [t.message for t in result.tests]


def test_a_hard_coded_answer_fails_the_other_log_without_seeing_its_answer(tests_dir):
    result, _ = grade(tests_dir, "echo 3\n")
    outcomes = {t.name: t for t in result.tests}
    assert outcomes["Compte les échecs"].outcome == "passed"
    hidden = outcomes["Sur un autre journal"]
    assert hidden.outcome == "failed"
    assert "Sortie obtenue :\n3" in hidden.message
    # It says where the output differs, not what was expected (here: 1).
    assert (
        hidden.message
        == "La sortie diffère de celle attendue à partir de la ligne 1. Sortie obtenue :\n3\n"
    )


def test_an_example_case_shows_what_was_expected(tests_dir):
    result, _ = grade(tests_dir, "echo 4\n")
    example = {t.name: t for t in result.tests}["Compte les échecs"]
    assert "Sortie attendue :\n3\nSortie obtenue :\n4" in example.message


def test_a_wrong_flag_earns_nothing_and_the_flag_is_not_in_the_tests(tests_dir):
    result, _ = grade(tests_dir, SOLUTION, flag="FLAG{198.51.100.7}")
    assert result.score == 5
    assert "pas le bon drapeau" in result.tests[-1].message
    assert FLAG not in "".join(p.read_text() for p in tests_dir.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "script, limit",
    [
        ("while true; do :; done\n", "timeout"),
        (":(){ :|:& };:\nsleep 60\n", "timeout"),
        ("yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", "output"),
    ],
)
def test_hostile_scripts_are_stopped_and_earn_nothing(tests_dir, script, limit):
    result, elapsed = grade(tests_dir, script)
    assert result.limit_hit == limit
    # The cases earn nothing; the flag, submitted right, is judged on its own.
    assert [t.points for t in result.tests] == [0, 0, 0, 5]
    assert elapsed < 3 + 5


def test_a_script_cannot_forge_the_result_or_reach_the_network(tests_dir):
    forged = '{"score": 10, "max_score": 10, "tests": [], "feedback": ""}'
    script = (
        f"echo '{forged}'\necho '{forged}' > /proc/1/fd/1 2>/dev/null\n"
        "exec 3<>/dev/tcp/192.0.2.1/80 && echo NETWORK\n"
    )
    result, _ = grade(tests_dir, script, flag="nope")
    assert result.score == 0


def test_a_fork_bomb_left_in_the_background_does_not_earn_marks(tests_dir):
    result, elapsed = grade(tests_dir, ":(){ :|:& };:\n", flag="nope")
    assert result.score == 0
    assert elapsed < 3 + 5


@pytest.mark.parametrize(
    "script",
    [
        "python3 -c \"print(open('/job/tests/checks.toml').read())\"\n",
        "find / -name checks.toml -exec cat {} + 2>/dev/null\n"
        "cat /proc/*/root/job/tests/* 2>/dev/null\n",
        "kill -INT 1; kill -9 -1; kill -9 $PPID\necho 3\n",
        "for p in /proc/[0-9]*; do kill -9 ${p#/proc/} 2>/dev/null; done\n",
        "exec 1>&-; exec 2>&-\n",
    ],
    ids=[
        "read the checks",
        "search every root",
        "signal pid 1 and all",
        "kill all",
        "close outputs",
    ],
)
def test_a_script_cannot_read_the_checks_nor_stop_the_judge(tests_dir, script):
    result, elapsed = grade(tests_dir, script, flag="nope")
    assert result.score <= 2  # at most the example case, if the script happens to print 3
    for test in result.tests:
        assert "expected_stdout" not in test.message and "sha256" not in test.message
    assert elapsed < 3 + 5
