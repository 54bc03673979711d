"""Grader images: offline recipe, tags that follow the recipe."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lms.grading import GRADERS_ROOT
from sandbox import ImageMissing, Job, SandboxUnavailable, run
from sandbox.images import debian_mirror, grader_tag
from sandbox.runner import client

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_grader_tag_changes_when_its_recipe_or_the_framework_changes(tmp_path):
    graders = tmp_path / "graders"
    for name in ("base", "python"):
        shutil.copytree(
            GRADERS_ROOT / name, graders / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    python, framework = graders / "python", graders / "base" / "lms_grading" / "judge_pytest.py"
    before = grader_tag(python)
    assert before == grader_tag(GRADERS_ROOT / "python")
    (python / "Dockerfile").write_text((python / "Dockerfile").read_text() + "\n# changed\n")
    changed = grader_tag(python)
    assert changed != before and changed.startswith("lms-grader-python:")
    framework.write_text(framework.read_text() + "\n# changed\n")
    assert grader_tag(python) != changed


def test_an_unreachable_engine_is_reported_as_unavailable():
    with pytest.raises(SandboxUnavailable, match="Docker engine unreachable"):
        client("unix:///nonexistent/docker.sock")


@pytest.mark.docker
def test_a_missing_image_says_how_to_build_it(tmp_path):
    job = Job(image="lms-grader-python:does-not-exist", files={"a.py": ""}, tests_dir=tmp_path)
    with pytest.raises(ImageMissing, match="lms images build"):
        run(job)


WORKER_THAT_DIES = """
import dataclasses, sys, time
from sandbox import Job, boxes, runner
from lms import grading
image = runner.Image.load(grading.get("python").image)
stage = runner.Stage()
spec = runner.learner_spec(image, Job(image.tag, {}, stage.folder), stage)
box = boxes.Box(dataclasses.replace(spec, args=["sleep", "60"]), None)
print(box.id, stage.name, flush=True)
time.sleep(60)
"""


@pytest.mark.docker
def test_boxes_and_folders_of_a_worker_that_died_are_swept():
    from sandbox import boxes, runner

    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER_THAT_DIES], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    box, stage = worker.stdout.readline().split()
    worker.kill()  # SIGKILL: no clean-up of its own; runc and the box live on
    worker.wait()
    assert box in boxes.running_boxes()
    assert runner.sweep_orphans() >= 1
    assert box not in boxes.running_boxes()
    assert not (boxes.state_dir() / "jobs" / stage).exists()
    assert not (boxes.state_dir() / "exchange" / stage).exists()


def test_every_grader_builds_from_the_offline_base_and_runs_as_the_learner():
    for name in ("python", "javascript", "shell", "sql"):
        dockerfile = (GRADERS_ROOT / name / "Dockerfile").read_text()
        assert "FROM ${GRADER_BASE}" in dockerfile
        assert "USER 1001:1001" in dockerfile
        assert "lms.judge=" in dockerfile
    base = (GRADERS_ROOT / "base" / "Dockerfile").read_text()
    assert "FROM ${BASE}" in base
    assert "--uid 1000" in base and "--uid 1001" in base
