"""Grader images: offline recipe, tags that follow the recipe."""

import shutil
from pathlib import Path

import pytest

from lms.grading import GRADERS_ROOT
from sandbox import ImageMissing, Job, SandboxUnavailable, run
from sandbox.images import debian_mirror, grader_tag
from sandbox.runner import client


def test_the_mirror_is_read_from_deb822_sources(tmp_path):
    (tmp_path / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n\n"
        "Types: deb\nURIs: http://mirror.example/debian-security\n"
    )
    assert debian_mirror((str(tmp_path),)) == "http://mirror.example/debian"


def test_the_mirror_is_read_from_a_one_line_sources_list(tmp_path):
    sources = tmp_path / "sources.list"
    sources.write_text("# comment\ndeb [arch=amd64] http://other.example/debian bookworm main\n")
    assert debian_mirror((str(sources),)) == "http://other.example/debian"


def test_the_grader_tag_changes_when_its_recipe_changes(tmp_path):
    recipe = tmp_path / "python"
    shutil.copytree(GRADERS_ROOT / "python", recipe, ignore=shutil.ignore_patterns("__pycache__"))
    before = grader_tag(recipe)
    assert before == grader_tag(GRADERS_ROOT / "python")
    (recipe / "harness.py").write_text((recipe / "harness.py").read_text() + "\n# changed\n")
    assert grader_tag(recipe) != before
    assert grader_tag(recipe).startswith("lms-grader-python:")


def test_an_unreachable_engine_is_reported_as_unavailable():
    with pytest.raises(SandboxUnavailable, match="Docker engine unreachable"):
        client("unix:///nonexistent/docker.sock")


@pytest.mark.docker
def test_a_missing_image_says_how_to_build_it(tmp_path):
    job = Job(image="lms-grader-python:does-not-exist", files={"a.py": ""}, tests_dir=tmp_path)
    with pytest.raises(ImageMissing, match="lms images build"):
        run(job)


@pytest.mark.docker
def test_orphan_containers_of_a_dead_process_are_swept():
    from sandbox.runner import CREATED_LABEL, LABEL, OWNER_LABEL, _owner, sweep_orphans

    engine = client()
    host = _owner().split(":")[0]
    image = grading_image()
    orphan = engine.containers.create(
        image,
        command=["true"],
        network_mode="none",
        labels={LABEL: "1", OWNER_LABEL: f"{host}:999999", CREATED_LABEL: "0"},
    )
    assert sweep_orphans(engine) >= 1
    assert orphan.id not in [c.id for c in engine.containers.list(all=True)]


def grading_image() -> str:
    from lms import grading

    return grading.get("python").image


def test_the_python_grader_recipe_is_offline():
    dockerfile = (GRADERS_ROOT / "python" / "Dockerfile").read_text()
    assert "FROM ${BASE}" in dockerfile
    assert "USER 1000:1000" in dockerfile
    assert Path(GRADERS_ROOT / "python" / "harness.py").is_file()
