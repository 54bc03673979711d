"""Entry point of a learner box: ``python3 -I /grader/lms_grading/box.py <server>``.

As PID 1 of the box it only reaps: the server (``learner`` for Python code, or the shell,
SQL or Node server named on the command line) runs in a child, so processes the learner's code
leaves behind are collected and their pids freed. The box ends when the server ends.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    server = sys.argv[1] if len(sys.argv) > 1 else "learner"
    pid = os.fork()
    if pid == 0:
        if server == "node":
            os.execv("/usr/bin/node", ["node", "/grader/lms_grading/learner.js"])
        sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        import importlib

        module = importlib.import_module(f"lms_grading.{server}")
        os._exit(module.main() or 0)
    while True:
        try:
            child, status = os.wait()
        except ChildProcessError:
            return 0
        except InterruptedError:
            continue
        if child == pid:
            code = os.waitstatus_to_exitcode(status)
            return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main())
