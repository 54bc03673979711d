"""Automated checks: a company's test suite run on a team's archive in the real sandbox, the
result kept beside the deliverable for reviewers; hostile work is stopped, and a check never
runs for a brief without one."""

from __future__ import annotations

import io

import pytest

from lms.extensions import db
from lms.models import CheckStatus
from lms.projects import checks
from lms.projects import operations as service
from tests.projects.conftest import brief_fields, make_zip

pytestmark = pytest.mark.docker

SUITE = {
    "test_colis.py": '''
import pytest
from colis import statut


@pytest.mark.points(2)
def test_un_colis_connu_a_un_statut():
    """Un colis connu a son dernier statut"""
    assert statut("MA123") == "livré"


def test_un_colis_inconnu_leve_une_erreur():
    """Un numéro inconnu lève KeyError"""
    with pytest.raises(KeyError):
        statut("XX000")
''',
}
GOOD = """SUIVI = {"MA123": ["en route", "livré"]}


def statut(numero):
    return SUIVI[numero][-1]
"""


@pytest.fixture
def checked_offer(world):
    """The world's brief, with an automated check, in a new version the team works on."""
    brief = world.offer.version.brief
    version = service.save_brief(
        world.reviewer,
        brief_fields(check_grader="python", check_tests=SUITE),
        brief,
        change_note="Ajout des tests automatiques",
    )
    world.offer.version = version  # as if the trainer had offered this version
    db.session.commit()
    return world


def _hand_in(world, files: dict[str, str]):
    archive = make_zip(files)
    deliverable = service.submit_deliverable(
        world.team,
        world.learners[0],
        archive=service.Upload("projet.zip", io.BytesIO(archive)),
    )
    db.session.commit()
    return deliverable


def test_the_company_suite_scores_the_archive_test_by_test(checked_offer):
    deliverable = _hand_in(checked_offer, {"projet/colis.py": GOOD, "projet/README.md": "# Colis"})
    assert deliverable.check_status == CheckStatus.QUEUED
    assert checks.run_next() is True
    db.session.refresh(deliverable)
    assert deliverable.check_status == CheckStatus.DONE
    result = deliverable.check_result
    assert (result["score"], result["max_score"]) == (3, 3)
    assert [t["outcome"] for t in result["tests"]] == ["passed", "passed"]
    assert deliverable.check_image_digest.startswith("sha256:")
    assert checks.run_next() is False, "nothing else waits"


def test_wrong_work_fails_the_right_tests(checked_offer):
    deliverable = _hand_in(checked_offer, {"colis.py": "def statut(numero):\n    return None\n"})
    checks.run_next()
    db.session.refresh(deliverable)
    result = deliverable.check_result
    assert result["score"] == 0
    assert "KeyError" in result["tests"][1]["message"] or result["tests"][1]["outcome"] == "failed"


def test_an_endless_project_is_stopped_by_the_sandbox(checked_offer, monkeypatch):
    monkeypatch.setattr(
        checks, "CHECK_LIMITS", checks.Limits(timeout_seconds=3, memory_mb=256, pids=64)
    )
    deliverable = _hand_in(checked_offer, {"colis.py": "while True:\n    pass\n"})
    checks.run_next()
    db.session.refresh(deliverable)
    assert deliverable.check_status == CheckStatus.DONE
    assert deliverable.check_result["limit_hit"] == "timeout"
    assert deliverable.check_result["score"] == 0


def test_a_brief_without_a_check_queues_nothing(world):
    deliverable = _hand_in(world, {"colis.py": GOOD})
    assert deliverable.check_status is None
    assert checks.run_next() is False


def test_a_suite_without_tests_is_refused_when_the_brief_is_saved(world):
    with pytest.raises(service.ProjectError, match="No test found"):
        service.save_brief(
            world.reviewer,
            brief_fields(check_grader="python", check_tests={"test_vide.py": "x = 1\n"}),
        )


WRONG = "def statut(numero):\n    return None\n"
#: Deliverable files that tried to take over the company's test run.
TAKEOVERS = {
    "a conftest.py that passes every test": {
        "conftest.py": (
            "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\n"
            "def pytest_runtest_makereport(item, call):\n    outcome = yield\n"
            "    report = outcome.get_result()\n    report.outcome = 'passed'\n"
        ),
    },
    "pytest configuration that skips the tests": {
        "pytest.ini": "[pytest]\naddopts = -p no:python --co\n",
        "setup.cfg": "[tool:pytest]\naddopts = --deselect test_colis.py\n",
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-k nothing'\n",
    },
    "modules that shadow pytest and the standard library": {
        "pytest.py": (
            "def raises(*a, **k):\n    import contextlib\n    return contextlib.nullcontext()\n"
        ),
        "sitecustomize.py": (
            "import builtins\nbuiltins.AssertionError = type('AssertionError', (Exception,), {})\n"
        ),
        "json.py": "def dumps(*a, **k):\n    return '{\"score\": 3}'\n",
    },
}


@pytest.mark.parametrize("takeover", sorted(TAKEOVERS))
def test_the_deliverable_never_reaches_the_companys_test_run(checked_offer, takeover):
    deliverable = _hand_in(checked_offer, {"colis.py": WRONG, **TAKEOVERS[takeover]})
    checks.run_next()
    db.session.refresh(deliverable)
    assert deliverable.check_status == CheckStatus.DONE
    result = deliverable.check_result
    assert result["score"] == 0
    assert [t["outcome"] for t in result["tests"]] == ["failed", "failed"]
