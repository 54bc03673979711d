"""The learner's side of a shell grading: runs the learner's script, one case at a time.

Runs as the learner's uid in the learner's box. The judge sends each case's arguments, input and
set-up; this sends back what the script printed and its exit status, by value. The expected
output never comes here (it stays in the judge's checks file, which this box cannot see).

Requests: ``hello`` (the fixtures the cases start from), ``run`` (one case).
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from lms_grading import codec
from lms_grading.channel import Channel, ChannelClosed, Peer

SUBMISSION = Path("/job/submission")
FIXTURES = Path("/tmp/fixtures")
WORK = Path("/tmp/work")
MAX_FRAME = 64 * 1024 * 1024
ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}


class CappedReader(threading.Thread):
    """Drains a pipe so the script never blocks, keeping at most ``limit`` bytes."""

    def __init__(self, pipe, limit: int) -> None:
        super().__init__(daemon=True)
        self.pipe, self.limit = pipe, limit
        self.kept = bytearray()
        self.overflow = False

    def run(self) -> None:
        while chunk := self.pipe.read1(65536):
            if len(self.kept) + len(chunk) > self.limit:
                self.overflow = True
            else:
                self.kept += chunk


class Server:
    def __init__(self) -> None:
        self.output_limit = 1_000_000

    def serve(self, request: dict) -> dict:
        try:
            if request.get("op") == "hello":
                return {"ok": self.hello(request)}
            if request.get("op") == "run":
                return {"ok": codec.Encoder(_no_handles).encode(self.run(request))}
            raise ValueError("unknown request")
        except Exception as exc:  # noqa: BLE001 - the judge reads the failure
            return {
                "exc": {"cls": {"builtin": "RuntimeError"}, "message": str(exc)[:2000], "trace": ""}
            }

    def hello(self, request: dict) -> None:
        limit = request.get("output_limit")
        if type(limit) is int and limit > 0:
            self.output_limit = limit
        FIXTURES.mkdir(parents=True, exist_ok=True)
        for name, data in (request.get("fixtures") or {}).items():
            target = (FIXTURES / name).resolve()
            if not target.is_relative_to(FIXTURES):
                raise ValueError("bad fixture name")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(data))
        return None

    def run(self, case: dict) -> dict:
        scripts = sorted(p for p in SUBMISSION.iterdir() if p.suffix == ".sh")
        if not scripts:
            return {"missing": True}
        shutil.rmtree(WORK, ignore_errors=True)
        shutil.copytree(FIXTURES, WORK)
        shutil.copy(scripts[0], WORK / scripts[0].name)
        deadline = time.monotonic() + float(case.get("timeout", 10))
        if case.get("setup"):
            done = subprocess.run(  # noqa: S603 - the exercise's own set-up, in the learner's box
                ["/bin/bash", "-c", str(case["setup"])],
                cwd=WORK,
                env=ENV,
                check=False,
                capture_output=True,
                timeout=max(deadline - time.monotonic(), 0.1),
            )
            if done.returncode != 0:
                raise RuntimeError(f"exit status {done.returncode}")
        return self.script(
            scripts[0].name,
            [str(a) for a in case.get("args", [])],
            str(case.get("stdin", "")),
            deadline,
        )

    def script(self, name: str, args: list[str], stdin: str, deadline: float) -> dict:
        try:
            child = subprocess.Popen(  # noqa: S603 - the learner's script, in the learner's box
                ["/bin/bash", name, *args],
                cwd=WORK,
                env=ENV,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError:
            return {"limit": "pids"}
        readers = [
            CappedReader(child.stdout, self.output_limit),
            CappedReader(child.stderr, self.output_limit),
        ]
        try:
            for reader in readers:
                reader.start()
        except RuntimeError:
            # A fork bomb can take every pid before the reader threads exist (threads count).
            _kill(child)
            return {"limit": "pids"}
        try:
            child.stdin.write(stdin.encode())
            child.stdin.close()
        except BrokenPipeError:
            pass
        limit = None
        while child.poll() is None:
            if any(r.overflow for r in readers):
                limit = "output"
            elif time.monotonic() > deadline:
                limit = "timeout"
            if limit:
                _kill(child)
                return {"limit": limit}
            time.sleep(0.005)
        # Background jobs the script left (a fork bomb's `:|:&`) die with its process group.
        _kill(child)
        for reader in readers:
            reader.join(timeout=1)
        if any(r.overflow for r in readers):
            return {"limit": "output"}
        out, err = (bytes(r.kept).decode("utf-8", "replace") for r in readers)
        return {"stdout": out, "stderr": err, "status": child.returncode}


def _no_handles(value):
    raise codec.CodecError("only plain data")


def _kill(child: subprocess.Popen) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    child.wait()


def main() -> int:
    sock = socket.socket(fileno=3)
    server = Server()
    try:
        Peer(Channel(sock, MAX_FRAME), server.serve).serve_forever()
    except ChannelClosed:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
