"""Framed messages over a stream socket, and calls that either side may make of the other.

A frame is a 4-byte big-endian length and that many bytes of JSON (:func:`codec.dumps`). A
message with an ``id`` is a request; one with ``re`` answers the request of that number. While
a side waits for its answer it serves the other side's requests (a learner function calling a
callback the test passed it, which may call the learner again), so calls nest to any depth.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from lms_grading import codec

HEADER = 4


class RawFd:
    """A socket's descriptor used with plain reads and writes. The learner's side always waits
    without a deadline and starts fresh for every submission: it needs nothing of the socket
    module (a few milliseconds of start-up saved on every grading)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def settimeout(self, timeout: float | None) -> None:
        if timeout is not None:
            raise ValueError("a raw descriptor waits without a deadline")

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def recv(self, size: int) -> bytes:
        return os.read(self.fd, size)

    def close(self) -> None:
        os.close(self.fd)


class ChannelError(Exception):
    """The other side is gone, too slow, or said something that is not a message."""


class ChannelClosed(ChannelError):
    pass


class ChannelTimeout(ChannelError):
    pass


class FrameTooLarge(ChannelError):
    def __init__(self, size: int) -> None:
        super().__init__(f"a message of {size} bytes")
        self.size = size


class Channel:
    """One end of a connection. ``max_frame`` bounds what this end accepts to read."""

    def __init__(self, sock, max_frame: int) -> None:
        self.sock = sock
        self.max_frame = max_frame

    def send(self, message: dict, deadline: float | None = None) -> None:
        data = codec.dumps(message)
        self._timeout(deadline)
        try:
            self.sock.sendall(len(data).to_bytes(HEADER, "big") + data)
        except TimeoutError:
            raise ChannelTimeout("sending took too long") from None
        except OSError as exc:
            raise ChannelClosed(str(exc)) from None

    def recv(self, deadline: float | None = None) -> dict:
        size = int.from_bytes(self._read(HEADER, deadline), "big")
        if size > self.max_frame:
            raise FrameTooLarge(size)
        return codec.loads(self._read(size, deadline))

    def _read(self, size: int, deadline: float | None) -> bytes:
        data = bytearray()
        while len(data) < size:
            self._timeout(deadline)
            try:
                chunk = self.sock.recv(min(size - len(data), 1 << 20))
            except TimeoutError:
                raise ChannelTimeout("no answer in time") from None
            except OSError as exc:
                raise ChannelClosed(str(exc)) from None
            if not chunk:
                raise ChannelClosed("the other side closed the connection")
            data += chunk
        return bytes(data)

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


class Peer:
    """Requests to the other side, answered in order, serving its requests meanwhile."""

    def __init__(self, channel: Channel, serve: Callable[[dict], dict]) -> None:
        self.channel = channel
        self.serve = serve
        self._next = 0

    def request(self, message: dict, deadline: float | None = None) -> dict:
        self._next += 1
        number = self._next
        self.channel.send({**message, "id": number}, deadline)
        while True:
            incoming = self.channel.recv(deadline)
            if "re" in incoming:
                if incoming["re"] != number:
                    raise ChannelError("an answer to a question nobody asked")
                return incoming
            self.answer(incoming, deadline)

    def answer(self, request: dict, deadline: float | None = None) -> None:
        number = request.get("id")
        if type(number) is not int:
            raise ChannelError("a request without a number")
        response = self.serve(request)
        response["re"] = number
        self.channel.send(response, deadline)

    def serve_forever(self) -> None:
        while True:
            self.answer(self.channel.recv(None))
