"""The pytest child of a warm container: pays for the interpreter and the test framework while
the container waits for a job, then runs exactly what ``python -m pytest <args>`` runs.

The harness starts it when LMS_WAIT_FOR_GO=1 and writes one line to its stdin once the job's
files are in /tmp/work. Nothing here looks at the job before that line.
"""

import importlib
import os
import sys

import pytest

# Libraries the grader's learners always use (e.g. pandas in graders/data): imported here they
# leave the critical path too. A missing one only costs its import later.
for _name in filter(None, os.environ.pop("LMS_PRELOAD", "").split(",")):
    try:
        importlib.import_module(_name)
    except Exception:  # noqa: BLE001, S112
        continue


def main() -> int:
    sys.stdin.buffer.readline()
    # From here on the learner's code sees what the cold child sees: stdin at end of file.
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    # `python -m pytest` puts the working directory first on sys.path, not the script's folder.
    sys.path[0] = os.getcwd()
    # /tmp/work was empty when the import system last listed it.
    importlib.invalidate_caches()
    return pytest.console_main()


if __name__ == "__main__":
    sys.exit(main())
