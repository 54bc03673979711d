"""The audit log records what the projects, submissions, certification and outcomes services
do: their fixtures."""

import pytest

from lms import audit
from tests.certification.conftest import (  # noqa: F401 - fixtures, shared
    company_user,
    issued,
    keys_config,
    record,
)
from tests.projects.conftest import english_messages, world  # noqa: F401 - fixtures, shared


@pytest.fixture(autouse=True)
def test_notes(app):
    """The chain's own tests append notes of a kind no feature records: declared here, checked
    by the chain alone, so that verification accepts them."""
    audit.register("test.note", audit.ChainOnly())
