"""Writes small content repositories for tests, one file at a time, so each test can break
exactly one thing."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

TESTS = '''\
import pytest
from somme import somme


@pytest.mark.points(2)
def test_somme_simple():
    """La somme de [1, 2, 3] vaut 6"""
    assert somme([1, 2, 3]) == 6, f"obtenu {somme([1, 2, 3])!r}"


def test_liste_vide():
    """La somme d'une liste vide vaut 0"""
    assert somme([]) == 0
'''


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text) if not text.startswith("import") else text, encoding="utf-8")
    return path


def make_content(root: Path) -> Path:
    """A valid one-track repository: two lessons, one exercise (max score 3)."""
    write(root, "curricula/demo/track.toml", 'title = "Démo"\nsummary = "Un parcours"\n')
    write(root, "curricula/demo/01-base/module.toml", 'title = "Base"\n')
    write(
        root,
        "curricula/demo/01-base/01-intro.md",
        """\
        +++
        title = "Introduction"
        +++
        # Introduction

        ::: tip
        Lisez la [suite](02-suite.md#fin).
        :::

        | a | b |
        |---|---|
        | 1 | 2 |

        ```python
        def f():
            return 1
        ```

        <script>alert(1)</script>

        ::: quiz verifier-bases
        Titre du quiz : Vérifier les bases
        ? Quel mot-clé définit une fonction en Python ?
        - [ ] `function`
        - [x] `def`
        - [ ] `fun`

        ? Quels types sont des nombres ?
        - [x] int
        - [x] float
        - [ ] str

        ? Comment s'appelle la fonction qui donne la longueur d'une liste ?
        = len
        = /^len\\(\\)$/
        :::
        """,
    )
    write(
        root,
        "curricula/demo/01-base/02-suite.md",
        """\
        +++
        title = "Suite"
        +++
        ::: exercise somme
        À vous !
        :::
        """,
    )
    write(
        root,
        "exercises/demo/somme/exercise.toml",
        """\
        title = "Somme"
        grader = "python"
        difficulty = 1
        files = ["somme.py"]
        [limits]
        timeout_seconds = 5
        """,
    )
    write(root, "exercises/demo/somme/README.md", "Écrivez `somme(liste)`.\n")
    write(root, "exercises/demo/somme/starter/somme.py", "def somme(liste):\n    return None\n")
    write(
        root,
        "exercises/demo/somme/solution/somme.py",
        "def somme(liste):\n    total = 0\n    for x in liste:\n        total += x\n"
        "    return total\n",
    )
    write(root, "exercises/demo/somme/tests/test_somme.py", TESTS)
    return root
