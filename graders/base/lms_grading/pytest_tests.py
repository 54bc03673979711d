"""The tests of a pytest suite and their points, read without importing anything.

The LMS reads an exercise's maximum score from this, and the judge the list of tests it owes a
verdict for: a test that reports nothing did not pass.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExpectedTest:
    file: str
    function: str
    points: int
    description: str


def discover_tests(tests_dir: Path) -> list[ExpectedTest]:
    """A test is a top-level ``test_*`` function of a ``test_*.py`` file;
    ``@pytest.mark.points(N)`` sets its points (default 1); its docstring's first line names it."""
    found = []
    for path in sorted(tests_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                doc = (ast.get_docstring(node) or "").strip().splitlines()
                found.append(
                    ExpectedTest(path.name, node.name, _points(node), doc[0] if doc else node.name)
                )
    return found


def _points(node: ast.FunctionDef) -> int:
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "points"
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
            and isinstance(decorator.args[0].value, int)
        ):
            return decorator.args[0].value
    return 1
