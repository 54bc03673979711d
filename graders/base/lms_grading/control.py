"""The judge's line to the sandbox on the host: the job in, learners on demand, the result out.

Frames as in :mod:`lms_grading.channel`, over a Unix socket that can carry file descriptors:
a learner's channel arrives attached to the message that announces it. Only the judge and the
host hold this socket; the learner's process never sees it.

Host to judge: ``{"op": "job", ...}`` with the first learner attached, then answers.
Judge to host: ``{"op": "learner"}`` (another learner process, the last one is dead: the answer
says how it ended and carries the new one), ``{"op": "fate"}`` (how did the current learner end),
``{"op": "result", "result": {...}}`` (the last word).
"""

from __future__ import annotations

import os
import socket
import time

from lms_grading import codec
from lms_grading.channel import HEADER, ChannelClosed, ChannelTimeout, FrameTooLarge

MAX_FRAME = 16 * 1024 * 1024
MAX_FDS = 4


class Control:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, message: dict, fds: list[int] = (), deadline: float | None = None) -> None:
        data = codec.dumps(message)
        frame = len(data).to_bytes(HEADER, "big") + data
        self._timeout(deadline)
        try:
            if fds:
                sent = socket.send_fds(self.sock, [frame], list(fds))
                frame = frame[sent:]
            if frame:
                self.sock.sendall(frame)
        except TimeoutError:
            raise ChannelTimeout("sending took too long") from None
        except OSError as exc:
            raise ChannelClosed(str(exc)) from None

    def recv(self, deadline: float | None = None) -> tuple[dict, list[int]]:
        fds: list[int] = []
        header = bytearray()
        while len(header) < HEADER:
            self._timeout(deadline)
            try:
                data, more, flags, _ = socket.recv_fds(self.sock, HEADER - len(header), MAX_FDS)
            except TimeoutError:
                raise ChannelTimeout("no answer in time") from None
            except OSError as exc:
                raise ChannelClosed(str(exc)) from None
            fds += more
            if not data:
                _close(fds)
                raise ChannelClosed("the other side closed the connection")
            header += data
        size = int.from_bytes(header, "big")
        if size > MAX_FRAME:
            _close(fds)
            raise FrameTooLarge(size)
        body = bytearray()
        while len(body) < size:
            self._timeout(deadline)
            try:
                chunk = self.sock.recv(size - len(body))
            except TimeoutError:
                _close(fds)
                raise ChannelTimeout("no answer in time") from None
            except OSError as exc:
                _close(fds)
                raise ChannelClosed(str(exc)) from None
            if not chunk:
                _close(fds)
                raise ChannelClosed("the other side closed the connection")
            body += chunk
        return codec.loads(bytes(body)), fds

    def _timeout(self, deadline: float | None) -> None:
        if deadline is None:
            self.sock.settimeout(None)
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise ChannelTimeout("no time left")
        self.sock.settimeout(left)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def _close(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
