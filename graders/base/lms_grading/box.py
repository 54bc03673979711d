"""Entry point of a learner box: ``python3 -I /grader/lms_grading/box.py <server>``.

As PID 1 of the box it only reaps: the server (``learner`` for Python code, or the shell,
SQL or Node server named on the command line) runs in a child, so processes the learner's code
leaves behind are collected and their pids freed. The box ends when the server ends.
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> int:
    server = sys.argv[1] if len(sys.argv) > 1 else "learner"
    pid = os.fork()
    if pid != 0:
        # PID 1 of a namespace only receives the signals it handles: ignoring them all makes
        # it unkillable from inside the box (the learner's code shares its uid).
        for number in (
            signal.SIGINT,
            signal.SIGTERM,
            signal.SIGHUP,
            signal.SIGQUIT,
            signal.SIGUSR1,
            signal.SIGUSR2,
            signal.SIGPIPE,
            signal.SIGALRM,
        ):
            signal.signal(number, signal.SIG_IGN)
    if pid == 0:
        if server == "node":
            os.execv("/usr/bin/node", ["node", "/grader/lms_grading/learner.js"])  # noqa: S606
        sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        # The learner's files are copied to /tmp/work; their bytecode need not be.
        sys.dont_write_bytecode = True
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
