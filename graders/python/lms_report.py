"""pytest plugin loaded before any learner code: streams each test phase to the harness.

Runs in the untrusted process (the one that imports the learner's code), so the harness does
not take its word blindly: reports carry a per-run nonce, and the framework functions that decide
an outcome are snapshotted here and compared on every report, so a learner module that patches
pytest is flagged. The harness's canary test catches what this cannot.
"""

import json
import os

import _pytest.python
import _pytest.reports
import _pytest.runner
import pytest

_stream = os.fdopen(int(os.environ.pop("LMS_REPORT_FD")), "w", buffering=1, encoding="utf-8")
_nonce = os.environ.pop("LMS_REPORT_NONCE")
_MESSAGE_LIMIT = 4000


def _guarded():
    return (
        _pytest.python.Function.runtest,
        _pytest.python.pytest_pyfunc_call,
        _pytest.runner.call_and_report,
        _pytest.runner.call_runtest_hook,
        _pytest.runner.runtestprotocol,
        _pytest.runner.pytest_runtest_makereport,
        _pytest.runner.CallInfo.from_call,
        _pytest.reports.TestReport.from_item_and_call,
        pytest_runtest_logreport,
        pytest_runtest_makereport,
        _send,
        json.dumps,
    )


def _send(message):
    message["nonce"] = _nonce
    # == rather than `is`: classmethods give a new bound method on every access.
    message["tampered"] = any(a != b for a, b in zip(_SNAPSHOT, _guarded(), strict=True))
    _stream.write(json.dumps(message) + "\n")


def _message(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    headline = crash.message if crash is not None else ""
    detail = report.longreprtext or ""
    return headline[:_MESSAGE_LIMIT], detail[-_MESSAGE_LIMIT:]


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): points this test is worth (default 1)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    # Kept on the report: the harness tells a failed assertion from a crash by it.
    outcome.get_result().lms_exception = call.excinfo.typename if call.excinfo else None


def pytest_collectreport(report):
    if report.failed:
        headline, detail = _message(report)
        _send({"kind": "collect", "nodeid": report.nodeid, "headline": headline, "detail": detail})


def pytest_runtest_logreport(report):
    headline, detail = ("", "") if report.passed else _message(report)
    _send(
        {
            "kind": "test",
            "nodeid": report.nodeid,
            "when": report.when,
            "outcome": report.outcome,
            "headline": headline,
            "detail": detail,
            "exception": getattr(report, "lms_exception", None),
        }
    )


_SNAPSHOT = _guarded()
