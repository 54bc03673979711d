"""The tests of a node:test suite and their points, read without running anything: top-level
``test('description [N pts]', ...)`` calls of ``tests/*.test.js``. The LMS reads an exercise's
maximum score from this, and the judge the list of tests it owes a verdict for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TEST_CALL = re.compile(r"^test\(\s*(['\"])(.*?)\1", re.M)
POINTS = re.compile(r"\s*\[(\d+)\s*pts?\]\s*$")


@dataclass(frozen=True)
class ExpectedTest:
    file: str
    name: str
    points: int
    description: str


def discover_tests(tests_dir: Path) -> list[ExpectedTest]:
    found = []
    for path in sorted(tests_dir.glob("*.test.js")):
        for match in TEST_CALL.finditer(path.read_text(encoding="utf-8")):
            name = match.group(2)
            points = POINTS.search(name)
            found.append(
                ExpectedTest(
                    path.name, name, int(points.group(1)) if points else 1, POINTS.sub("", name)
                )
            )
    return found
