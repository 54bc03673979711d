"""The grading framework's readers the host needs (``lms_grading``, from graders/base): what a
suite's tests and points are, read statically from its files. Importing them through here
makes sure ``sandbox`` put the framework on the import path first."""

from lms_grading import checks, node_tests, pytest_tests

__all__ = ["checks", "node_tests", "pytest_tests"]
