"""The ``checks.toml`` of shell and SQL exercises, read and validated without running anything.

The LMS reads an exercise's maximum score from these; the judges read their cases.

Shell::

    [[case]]  name, points, args, stdin, setup, example, and one of expected_stdout /
              expected_lines / expected_regex, optional expected_exit
    [[flag]]  name, points, file, sha256 (of the flag, whitespace stripped)

SQL (beside ``schema.sql`` and ``reference.sql``)::

    ordered = false|true
    [[case]]  name, points, setup (SQL run after schema.sql), ordered, example

A case marked ``example = true`` (or named in the exercise's ``examples``) is one the prompt
already shows: its feedback may show the expected output. Other cases never do.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

SHELL_EXPECTATIONS = ("expected_stdout", "expected_lines", "expected_regex")


def _read(tests_dir: Path) -> dict:
    return tomllib.loads((tests_dir / "checks.toml").read_text(encoding="utf-8"))


def _cases_named(cases: list) -> None:
    for case in cases:
        if not isinstance(case, dict) or not isinstance(case.get("name"), str):
            raise ValueError("each [[case]] needs a name")
        if not isinstance(case.get("points", 1), int) or isinstance(case.get("points", 1), bool):
            raise ValueError(f"case {case['name']!r}: points must be an integer")


def load_shell(tests_dir: Path) -> dict:
    checks = _read(tests_dir)
    cases, flags = checks.get("case", []), checks.get("flag", [])
    if not cases and not flags:
        raise ValueError("checks.toml needs at least one [[case]] or [[flag]]")
    _cases_named(cases)
    for case in cases:
        if sum(key in case for key in SHELL_EXPECTATIONS) != 1:
            raise ValueError(f"case {case['name']!r}: give exactly one of {SHELL_EXPECTATIONS}")
    for flag in flags:
        if not re.fullmatch(r"[0-9a-f]{64}", str(flag.get("sha256", ""))):
            raise ValueError(f"flag {flag.get('name')!r}: sha256 must be 64 hex digits")
    return checks


def shell_max_score(tests_dir: Path) -> int:
    checks = load_shell(tests_dir)
    return sum(item.get("points", 1) for item in checks.get("case", []) + checks.get("flag", []))


def load_sql(tests_dir: Path) -> dict:
    checks = _read(tests_dir)
    cases = checks.get("case")
    if not isinstance(cases, list) or not cases:
        raise ValueError("checks.toml needs at least one [[case]]")
    _cases_named(cases)
    for name in ("schema.sql", "reference.sql"):
        if not (tests_dir / name).is_file():
            raise ValueError(f"{name} is missing")
    return checks


def sql_max_score(tests_dir: Path) -> int:
    return sum(case.get("points", 1) for case in load_sql(tests_dir)["case"])
