"""The learner's side of a Python grading: serves the judge's requests on the learner's objects.

Runs as the learner's uid, in a box of its own started fresh for one submission (or started
ahead and used once), with file descriptor 3 connected to the judge. Nothing here is trusted:
the learner's code shares this process and may rewrite any of it. That is harmless by design:
the judge reads only plain data from this process (:mod:`lms_grading.codec`), never code, and
this process can read neither the hidden tests nor the judge's memory, nor signal the judge.

Requests (``op``): ``hello`` (files and limits), ``import``, ``getattr``, ``setattr``,
``delattr``, ``call``, ``callmethod``, ``unary``, ``binary``, ``setitem``, ``delitem``,
``isinstance``. Each answer carries ``ok`` (a value) or ``exc`` (the exception the learner's
code raised), and what the code printed meanwhile (``out``, ``err``, ``flood``).
"""

from __future__ import annotations

import builtins
import importlib
import io
import operator
import os
import sys
import types

from lms_grading import codec
from lms_grading.channel import Channel, ChannelClosed, Peer, RawFd

SUBMISSION = "/job/submission"
EXCHANGE = "/job/exchange"
WORK = "/tmp/work"
#: What the judge may send in one message (its values are plain data it chose to send).
MAX_FRAME = 256 * 1024 * 1024
TRACE_FRAMES = 8
TRACE_CHARS = 3000

UNARY = {
    "len": len,
    "iter": iter,
    "next": next,
    "str": str,
    "repr": repr,
    "bool": bool,
    "abs": abs,
    "neg": operator.neg,
    "pos": operator.pos,
    "invert": operator.invert,
    "int": int,
    "float": float,
    "index": operator.index,
    "complex": complex,
    "reversed": reversed,
    "round": round,
}
BINARY = {
    name: getattr(operator, name)
    for name in (
        "add sub mul truediv floordiv mod pow matmul lshift rshift and_ or_ xor "
        "eq ne lt le gt ge getitem contains"
    ).split()
}
BINARY["format"] = format
BINARY["divmod"] = divmod


class Capture(io.TextIOBase):
    """What the learner's code prints during one request, kept up to a limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.flood = False
        self.buffer = _BytesCapture(self)

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self.limit - self.size
        if len(text) > room:
            self.flood = True
        if room > 0:
            self.parts.append(text[:room])
        self.size += len(text)
        return len(text)

    def writable(self) -> bool:
        return True

    def text(self) -> str:
        return "".join(self.parts)


class _BytesCapture(io.RawIOBase):
    def __init__(self, text: Capture) -> None:
        super().__init__()
        self._text = text

    def write(self, data) -> int:
        self._text.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def writable(self) -> bool:
        return True


class Objects:
    """The learner's objects the judge holds a number for; kept alive until the box ends."""

    def __init__(self) -> None:
        self.by_number: list[object] = [None]
        self.numbers: dict[int, int] = {}

    def number(self, value: object) -> int:
        key = id(value)
        number = self.numbers.get(key)
        if number is None:
            number = len(self.by_number)
            self.by_number.append(value)
            self.numbers[key] = number
        return number

    def get(self, number: object) -> object:
        if type(number) is not int or not 0 < number < len(self.by_number):
            raise codec.CodecError("no such object")
        return self.by_number[number]


class JudgeObject:
    """A function (or object) of the test, which the learner's code may call back."""

    __slots__ = ("_number", "_server")

    def __init__(self, number: int, server: Server) -> None:
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_server", server)

    def __call__(self, *args, **kwargs):
        return self._server.ask({"op": "call", "h": self, "args": args, "kwargs": kwargs})

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._server.ask({"op": "getattr", "h": self, "name": name})

    def __repr__(self) -> str:
        return f"<test object {self._number}>"


class Server:
    def __init__(self, sock) -> None:
        self.objects = Objects()
        self.paths = codec.PathMap(EXCHANGE)
        self.encoder = codec.Encoder(self._handle, self.paths)
        self.decoder = codec.Decoder(self._resolve, paths=self.paths)
        self.peer = Peer(Channel(sock, MAX_FRAME), self.serve)
        self.output_limit = 1_000_000
        self.captures: list[Capture] = []

    # --- values ---------------------------------------------------------------------------

    def _handle(self, value: object) -> dict:
        if isinstance(value, JudgeObject):
            return {"$h": {"j": object.__getattribute__(value, "_number")}}
        if isinstance(value, type) and issubclass(value, BaseException):
            return {"$x": self._exception_class(value)}
        kind = "object"
        if isinstance(value, types.ModuleType):
            kind = "module"
        elif isinstance(value, type):
            kind = "class"
        elif callable(value):
            kind = "callable"
        name = value.__name__ if kind == "class" else type(value).__name__
        return {"$h": {"l": self.objects.number(value), "t": str(name)[:100], "k": kind}}

    def _exception_class(self, cls: type) -> dict:
        if getattr(builtins, cls.__name__, None) is cls:
            return {"builtin": cls.__name__}
        bases = [self._exception_class(b) for b in cls.__bases__ if issubclass(b, BaseException)]
        return {
            "l": self.objects.number(cls),
            "name": str(cls.__name__)[:100],
            "qualname": str(cls.__qualname__)[:200],
            "module": str(cls.__module__)[:200],
            "bases": bases,
        }

    def _resolve(self, body: dict) -> object:
        if "l" in body:
            return self.objects.get(body["l"])
        if "j" in body and type(body["j"]) is int:
            return JudgeObject(body["j"], self)
        raise codec.CodecError("malformed handle")

    def encode(self, value: object) -> object:
        try:
            return self.encoder.encode(value)
        except codec.CodecError:
            # A value that cannot travel (one that contains itself) stays here as a handle.
            return self._handle(value)

    def exception(self, exc: BaseException) -> dict:
        try:
            message = str(exc)
        except Exception:  # noqa: BLE001 - the learner's __str__ may fail too
            message = ""
        try:
            args = self.encoder.encode(list(exc.args))
        except Exception:  # noqa: BLE001
            args = None
        return {
            "cls": self._exception_class(type(exc)),
            "message": message[:TRACE_CHARS],
            "args": args,
            "trace": learner_trace(exc),
        }

    # --- requests ---------------------------------------------------------------------------

    def ask(self, request: dict):
        """A call from the learner's code into a test function, answered by value."""
        message = dict(request, h=self.encode(request["h"]))
        if "args" in request:
            message["args"] = self.encode(list(request["args"]))
            message["kwargs"] = self.encode(dict(request.get("kwargs") or {}))
        answer = self.peer.request(message)
        if "exc" in answer:
            raise _judge_exception(answer["exc"])
        return self.decoder.decode(answer.get("ok"))

    def serve(self, request: dict) -> dict:
        capture = Capture(self.output_limit)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = capture
        self.captures.append(capture)
        try:
            try:
                answer = {"ok": self.encode(self.perform(request))}
            except BaseException as exc:  # noqa: BLE001 - every failure is the learner's answer
                answer = {"exc": self.exception(exc)}
        finally:
            self.captures.pop()
            sys.stdout, sys.stderr = saved
        answer["out"] = capture.text()
        answer["flood"] = capture.flood
        return answer

    def perform(self, request: dict) -> object:
        op = request.get("op")
        if op == "hello":
            return self.hello(request)
        if op == "import":
            name = request.get("module")
            if type(name) is not str:
                raise codec.CodecError("bad module name")
            return importlib.import_module(name)
        target = self.decoder.decode(request.get("h"))
        if op == "getattr":
            return getattr(target, _name(request))
        if op == "setattr":
            setattr(target, _name(request), self.decoder.decode(request.get("value")))
            return None
        if op == "delattr":
            delattr(target, _name(request))
            return None
        if op in ("call", "callmethod"):
            args = self.decoder.decode(request.get("args", []))
            kwargs = self.decoder.decode(request.get("kwargs", {"$d": []}))
            if type(args) is not list or type(kwargs) is not dict:
                raise codec.CodecError("bad arguments")
            function = getattr(target, _name(request)) if op == "callmethod" else target
            return function(*args, **kwargs)
        if op == "unary":
            function = UNARY.get(request.get("name"))
            if function is None:
                raise codec.CodecError("unknown operation")
            return function(target)
        if op == "binary":
            function = BINARY.get(request.get("name"))
            if function is None:
                raise codec.CodecError("unknown operation")
            other = self.decoder.decode(request.get("other"))
            return function(other, target) if request.get("reflected") else function(target, other)
        if op == "setitem":
            target[self.decoder.decode(request.get("key"))] = self.decoder.decode(
                request.get("value")
            )
            return None
        if op == "delitem":
            del target[self.decoder.decode(request.get("key"))]
            return None
        if op == "isinstance":
            return isinstance(self.decoder.decode(request.get("value")), target)
        raise codec.CodecError("unknown request")

    def hello(self, request: dict) -> None:
        limit = request.get("output_limit")
        if type(limit) is int and limit > 0:
            self.output_limit = limit
        prepare_workdir()
        return None


def _name(request: dict) -> str:
    name = request.get("name")
    if type(name) is not str or len(name) > 200:
        raise codec.CodecError("bad attribute name")
    return name


def _judge_exception(data: object) -> Exception:
    if not isinstance(data, dict):
        return RuntimeError("the test failed")
    cls = getattr(builtins, str(data.get("name", "")), None)
    message = str(data.get("message", ""))
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls(message)
    return RuntimeError(message)


def prepare_workdir() -> None:
    """The learner's files in a writable folder of its own, first on the import path."""
    for folder, _, files in os.walk(SUBMISSION):
        target = WORK + folder[len(SUBMISSION) :]
        os.makedirs(target, exist_ok=True)
        for name in files:
            source = os.path.join(folder, name)
            if os.path.isfile(source) and not os.path.islink(source):
                with open(source, "rb") as original, open(os.path.join(target, name), "wb") as copy:
                    copy.write(original.read())
    os.makedirs(WORK, exist_ok=True)
    os.chdir(WORK)
    sys.path.insert(0, WORK)
    importlib.invalidate_caches()


def learner_trace(exc: BaseException) -> str:
    """Where in the learner's own files the exception came from (never this server's frames)."""
    import traceback

    lines = []
    if isinstance(exc, SyntaxError) and exc.filename:
        name = _shown(exc.filename)
        if name:
            lines.append(f'File "{name}", line {exc.lineno}')
            if exc.text:
                lines.append("    " + exc.text.rstrip())
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _shown(f.filename)]
    for frame in frames[-TRACE_FRAMES:]:
        lines.append(f'File "{_shown(frame.filename)}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append("    " + frame.line.strip())
    return "\n".join(lines)[-TRACE_CHARS:]


def _shown(filename: str) -> str | None:
    prefix = WORK + "/"
    return filename[len(prefix) :] if filename.startswith(prefix) else None


def preload() -> None:
    """Libraries this grader's learners always use, imported before the job arrives."""
    for name in filter(None, os.environ.pop("LMS_PRELOAD", "").split(",")):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - a missing library only costs its import later
            continue


def main() -> int:
    preload()
    server = Server(RawFd(3))
    try:
        server.peer.serve_forever()
    except ChannelClosed:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
