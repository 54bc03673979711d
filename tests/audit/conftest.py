"""The audit log records what the projects and submissions services do: their fixtures."""

from tests.projects.conftest import english_messages, world  # noqa: F401 - fixtures, shared
