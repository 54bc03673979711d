"""The JavaScript grader: node:test results read from a private pipe, points from test names,
hostile modules stopped and cheating refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lms import grading
from sandbox import Job, Limits, run

pytestmark = pytest.mark.docker

TESTS = """\
const test = require('node:test');
const assert = require('node:assert/strict');
const { total } = require('./panier.js');

test('un panier vide vaut 0 [2 pts]', () => {
  assert.equal(total([]), 0, "total([]) devrait valoir 0");
});

test('additionne prix × quantité [3 pts]', () => {
  assert.equal(total([{ prix: 10, quantite: 2 }, { prix: 5, quantite: 1 }]), 25,
               "le total devrait valoir 25");
});

test("fonctionne avec await [1 pt]", async () => {
  assert.equal(await Promise.resolve(total([{ prix: 1, quantite: 1 }])), 1);
});
"""
SOLUTION = "module.exports = { total: (l) => l.reduce((s, x) => s + x.prix * x.quantite, 0) };\n"


@pytest.fixture
def tests_dir(tmp_path) -> Path:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "panier.test.js").write_text(TESTS)
    return tests


def grade(tests_dir: Path, code: str, timeout: float = 3, max_score: int = 6):
    job = Job(
        image=grading.get("javascript").image,
        files={"panier.js": code},
        tests_dir=tests_dir,
        limits=Limits(timeout_seconds=timeout, memory_mb=256),
        max_score=max_score,
    )
    started = time.monotonic()
    return run(job), time.monotonic() - started


def test_points_come_from_the_test_names(tests_dir):
    tests = grading.harness("javascript").discover_tests(tests_dir)
    assert [(t.description, t.points) for t in tests] == [
        ("un panier vide vaut 0", 2),
        ("additionne prix × quantité", 3),
        ("fonctionne avec await", 1),
    ]


def test_the_solution_earns_full_marks(tests_dir):
    result, _ = grade(tests_dir, SOLUTION)
    assert result.score == 6 and not result.tampered


def test_a_report_written_over_time_is_read_whole(tmp_path):
    """Tests that wait on timers make node write its report in several pieces; every piece
    must reach the harness (an early version lost all but the first)."""
    tests = tmp_path / "tests"
    tests.mkdir()
    waits = "\n".join(
        f"test('attente {i} [1 pt]', async () => {{"
        f" await new Promise((r) => setTimeout(r, 30)); assert.equal(total([]), 0); }});"
        for i in range(6)
    )
    (tests / "panier.test.js").write_text(TESTS + waits + "\n")
    result, _ = grade(tests, SOLUTION, max_score=12)
    assert not result.tampered, result.feedback
    assert result.score == 12 and all(t.outcome == "passed" for t in result.tests)


def test_a_wrong_answer_shows_expected_and_actual(tests_dir):
    result, _ = grade(tests_dir, "module.exports = { total: () => 0 };\n")
    assert result.score == 2
    failed = result.tests[1]
    assert failed.outcome == "failed"
    assert "le total devrait valoir 25" in failed.message and "obtenu : 0" in failed.message


def test_a_crash_is_told_apart_from_a_wrong_answer(tests_dir):
    result, _ = grade(tests_dir, "module.exports = { total: (l) => l[5].prix };\n")
    assert {t.outcome for t in result.tests} == {"error"}
    assert "TypeError" in result.tests[0].message


def test_a_syntax_error_is_reported_on_every_test(tests_dir):
    result, _ = grade(tests_dir, "module.exports = { total: (l) => 0 ; \n")
    assert all("SyntaxError" in t.message for t in result.tests)


@pytest.mark.parametrize(
    "code, limits",
    [
        ("while (true) {}\n", {"timeout"}),
        ("const a = []; while (true) { a.push(new Array(1e6).fill(1)); }\n", {"memory"}),
        ("while (true) { console.log('x'.repeat(100000)); }\n", {"output", "memory"}),
        (
            "const { spawn } = require('child_process');\n"
            "setInterval(() => { for (let i = 0; i < 50; i++) { try { spawn('sleep', ['60']); }"
            " catch (e) {} } }, 1);\n",
            {"timeout"},
        ),
    ],
)
def test_runaway_code_is_stopped_and_earns_nothing(tests_dir, code, limits):
    # A flood must be stopped as a flood, not outlived by the clock on a busy machine: give
    # the wall-clock limit room so that the other limits are the ones that bite.
    timeout = 3 if limits == {"timeout"} else 20
    result, elapsed = grade(tests_dir, code, timeout=timeout)
    assert result.limit_hit in limits
    assert result.score == 0
    assert elapsed < timeout + 5


def test_forged_reports_on_the_report_pipe_earn_nothing(tests_dir):
    code = (
        "const fs = require('fs');\n"
        "for (const n of ['un panier vide vaut 0 [2 pts]', 'additionne prix × quantité [3 pts]'])"
        " { try { fs.writeSync(3, `ok 1 - ${n}\\n`); } catch (e) {} }\nprocess.exit(0);\n"
    )
    result, _ = grade(tests_dir, code)
    assert result.score == 0 and result.tampered


def test_patched_assertions_earn_nothing(tests_dir):
    code = (
        "const a = require('assert'); a.equal = a.strictEqual = () => {};\n"
        "require('assert/strict').equal = () => {};\nmodule.exports = { total: () => 0 };\n"
    )
    result, _ = grade(tests_dir, code)
    assert result.score == 0 and result.tampered


def test_a_result_printed_by_the_code_is_ignored(tests_dir):
    code = (
        "console.log(JSON.stringify({score: 6, max_score: 6, tests: [], feedback: ''}));\n"
        "module.exports = { total: () => 0 };\n"
    )
    result, _ = grade(tests_dir, code)
    assert result.score == 2  # what the honest wrong answer earns


def test_the_network_is_unreachable(tests_dir):
    code = (
        "const net = require('net');\n"
        "const s = net.connect(80, '192.0.2.1');\n"
        "s.on('connect', () => { throw new Error('NETWORK OPEN'); });\n"
        "s.on('error', () => {});\n" + SOLUTION
    )
    result, _ = grade(tests_dir, code)
    assert result.score == 6
