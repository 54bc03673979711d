"""Entry point of a judge box: ``python3 -I -m``-free, started as
``python3 -I /grader/lms_grading/judge.py`` with the control socket (or, for a zygote, a
listening socket) on file descriptor 3.

LMS_JUDGE names the adapter (``pytest``, ``node``, ``shell``, ``sql``); LMS_JUDGE_MODE is
``cold`` (one job) or ``zygote`` (prepared once, a forked child per job).
"""

from __future__ import annotations

import importlib
import os
import socket
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from lms_grading.control import Control  # noqa: E402


def main() -> int:
    adapter = importlib.import_module(f"lms_grading.judge_{os.environ['LMS_JUDGE']}")
    sock = socket.socket(fileno=3)
    if os.environ.get("LMS_JUDGE_MODE") == "zygote":
        adapter.zygote(sock)
    else:
        adapter.cold(Control(sock))
    return 0


if __name__ == "__main__":
    sys.exit(main())
