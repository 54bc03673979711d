"""Loading content: the sample track is whole; every malformed file is reported by name and
never takes the rest down."""

from pathlib import Path

import pytest

from lms.content.loader import content_commit, load
from tests.content.builder import make_content, write

REPO = Path(__file__).resolve().parents[2]


def test_sample_track_loads_without_problems():
    content = load(REPO)
    assert content.problems == []
    track = content.tracks["python-backend"]
    assert len(track.modules) >= 2
    assert len(track.lessons) >= 6
    backend = {e for e in content.exercises if e.startswith("python-backend/")}
    assert len(backend) >= 8
    assert sorted(track.exercise_ids) == sorted(backend)
    difficulties = [content.exercises[e].difficulty for e in track.exercise_ids]
    assert difficulties == sorted(difficulties), "exercises should rise in difficulty"
    assert any(len(content.exercises[e].files) > 1 for e in backend)


def test_every_track_is_complete_and_every_exercise_embedded_once():
    content = load(REPO)
    embedded = [e for track in content.tracks.values() for e in track.exercise_ids]
    assert sorted(embedded) == sorted(content.exercises)
    for track in content.tracks.values():
        assert len(track.modules) >= 2 and len(track.lessons) >= 6, track.slug
        assert len(track.exercise_ids) >= 6, track.slug


def test_a_valid_repository_renders_lessons_and_computes_max_score(tmp_path):
    content = load(make_content(tmp_path))
    assert content.problems == []
    lesson = content.lesson("demo/01-base/01-intro")
    assert '<div class="admonition admonition-tip"' in lesson.html
    assert 'href="02-suite#fin"' in lesson.html
    assert "<table>" in lesson.html
    assert '<div class="highlight">' in lesson.html and '<span class="k">def</span>' in lesson.html
    assert "<script>" not in lesson.html and "&lt;script&gt;" in lesson.html
    assert content.exercises["demo/somme"].max_score == 3
    assert content.lesson("demo/01-base/02-suite").exercises == ("demo/somme",)


def test_outside_git_the_commit_is_a_digest_of_the_files(tmp_path):
    make_content(tmp_path)
    first, dirty = content_commit(tmp_path)
    assert first.startswith("worktree+") and dirty
    write(tmp_path, "exercises/demo/somme/tests/test_somme.py", "def test_x():\n    pass\n")
    assert content_commit(tmp_path)[0] != first


def test_in_git_the_commit_is_the_head(tmp_path):
    import subprocess

    make_content(tmp_path)
    for command in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "c"],
    ):
        subprocess.run(["git", "-C", str(tmp_path), *command], check=True)
    head = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert content_commit(tmp_path) == (head, False)
    write(tmp_path, "curricula/demo/01-base/module.toml", 'title = "Changé"\n')
    commit, dirty = content_commit(tmp_path)
    assert dirty and commit.startswith(head[:12] + "+")


@pytest.mark.parametrize(
    "relative, text, expected",
    [
        ("curricula/demo/track.toml", "title = ", "curricula/demo/track.toml: invalid TOML"),
        (
            "curricula/demo/01-base/01-intro.md",
            "# pas de front matter\n",
            "curricula/demo/01-base/01-intro.md: missing front matter",
        ),
        (
            "curricula/demo/01-base/01-intro.md",
            "+++\ntitle = 3\n+++\n",
            "curricula/demo/01-base/01-intro.md: front matter: field 'title' must be str",
        ),
        (
            "curricula/demo/01-base/02-suite.md",
            '+++\ntitle = "S"\n+++\n[x](99-absent.md)\n',
            "curricula/demo/01-base/02-suite.md: link to '99-absent.md': no such lesson",
        ),
        (
            "curricula/demo/01-base/02-suite.md",
            '+++\ntitle = "S"\n+++\n::: exercise inconnu\n:::\n',
            "curricula/demo/01-base/02-suite.md: embedded exercise 'inconnu' does not exist",
        ),
        (
            "exercises/demo/somme/exercise.toml",
            'title = "S"\ngrader = "cobol"\nfiles = ["somme.py"]\n',
            "exercises/demo/somme/exercise.toml: unknown grader 'cobol'",
        ),
        (
            "exercises/demo/somme/exercise.toml",
            'title = "S"\ngrader = "python"\nfiles = ["x.py"]\n',
            "exercises/demo/somme/exercise.toml: starter/ holds ['somme.py'], but 'files' says",
        ),
        (
            "exercises/demo/somme/exercise.toml",
            'title = "S"\ngrader = "python"\nfiles = ["somme.py"]\n'
            "[limits]\ntimeout_seconds = 900\n",
            "exercises/demo/somme/exercise.toml: [limits] timeout_seconds must be in",
        ),
        (
            "exercises/demo/somme/tests/test_somme.py",
            "def test_(:\n",
            "exercises/demo/somme/exercise.toml: tests/: ",
        ),
        (
            "exercises/demo/somme/exercise.toml",
            'title = "S"\ngrader = "python"\nfiles = ["somme.py"]\nexamples = ["test_somme"]\n',
            "exercises/demo/somme/exercise.toml: 'examples' names shell and sql cases",
        ),
        (
            "exercises/demo/somme/exercise.toml",
            'title = "S"\ngrader = "python"\nfiles = ["somme.py"]\nexamples = "tous"\n',
            "exercises/demo/somme/exercise.toml: 'examples' must list the names",
        ),
    ],
)
def test_each_malformed_file_is_reported_by_name_and_the_rest_still_loads(
    tmp_path, relative, text, expected
):
    make_content(tmp_path)
    (tmp_path / relative).write_text(text, encoding="utf-8")
    content = load(tmp_path)
    messages = [str(p) for p in content.problems]
    assert any(m.startswith(expected) for m in messages), messages
    if not relative.endswith("track.toml"):
        assert "demo" in content.tracks


def test_all_problems_are_collected_not_just_the_first(tmp_path):
    make_content(tmp_path)
    write(tmp_path, "curricula/demo/01-base/01-intro.md", "sans front matter\n")
    write(tmp_path, "exercises/demo/somme/exercise.toml", "grader = ")
    content = load(tmp_path)
    paths = {p.path for p in content.problems}
    assert {"curricula/demo/01-base/01-intro.md", "exercises/demo/somme/exercise.toml"} <= paths


def test_an_empty_directory_is_a_problem_not_a_crash(tmp_path):
    content = load(tmp_path)
    assert [str(p) for p in content.problems] == ["curricula/: no track found"]
