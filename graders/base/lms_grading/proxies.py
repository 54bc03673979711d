"""The judge's stand-ins for the learner's objects, and its connection to the learner's process.

The judge never holds a learner object. ``from prix import prix_ttc`` in a test gives a
:class:`LearnerModule` and a :class:`LearnerRef`; calling it sends the arguments by value to the
learner's process, which runs the learner's function and sends back the result by value: a
``str``, a ``list``, a ``DataFrame`` rebuilt here by the judge's own code. What is not plain data
(an instance of the learner's class, a generator) comes back as a :class:`LearnerObject`: a
number that only the learner's process can act on.

What a learner object may answer, and what it may not:

- questions about itself: attributes, calls, ``len``, ``str``, ``repr``, ``bool``, ``iter``,
  ``[key]``, ``isinstance(x, LearnerClass)``, and operators between two learner objects;
- never a question about one of the judge's values. ``obj == "text"``, ``obj < 3``,
  ``obj + 1.5`` and ``"x" in obj`` are refused here (``==`` is False, the others raise
  TypeError): otherwise an object equal to everything, or one that reads the expected value
  from ``1.5 - obj``, would pass any test.

Exceptions the learner's code raises come back as type and message and are raised here as the
same built-in exception, or as a mirror class (a real exception class of the judge's, with the
learner's class name and bases) for the learner's own exception classes, so
``pytest.raises(SoldeInsuffisantError)`` works. When the learner's process hangs, crashes or
floods, the call raises :class:`LearnerStopped`, which is not an ``Exception``: no ``except
Exception`` in a test can mistake it for the exception the test expected.
"""

from __future__ import annotations

import builtins
import functools
import operator
import os
import socket
import sys
import time
import types
from collections.abc import Callable

from lms_grading import codec
from lms_grading.channel import (
    Channel,
    ChannelClosed,
    ChannelError,
    ChannelTimeout,
    FrameTooLarge,
    Peer,
)
from lms_grading.control import Control

#: Built-in exceptions that would stop the test run if raised in the judge: they come back as
#: exceptions of the same name that a test can catch but pytest does not treat specially.
_NOT_RAISED_AS_IS = {"KeyboardInterrupt", "GeneratorExit", "BaseExceptionGroup", "ExceptionGroup"}
#: Attribute names of the learner's objects the judge may read although they look special.
_FORWARDED_DUNDERS = {
    "__name__",
    "__qualname__",
    "__module__",
    "__doc__",
    "__dict__",
    "__annotations__",
}
#: How much of the learner's own answer (values) the judge reads in one message: the judge's
#: memory must hold its decoded objects too.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
MISSING = object()
#: Attribute names only the judge's machinery asks about.
_JUDGE_PREFIXES = ("_lms", "_pytest", "pytest")


class LearnerStopped(BaseException):  # noqa: N818 - a state, not an error of the judge
    """The learner's process is no longer answering; ``limit`` names the limit it hit."""

    limit: str | None = None

    def __init__(self, reason: str = "", limit: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        if limit is not None:
            self.limit = limit


class LearnerTimeout(LearnerStopped):
    limit = "timeout"


class LearnerFlood(LearnerStopped):
    limit = "output"


class NeedsLearner(LearnerStopped):
    """A test module used the learner's code while being collected ahead of any submission."""


class Learner:
    """The judge's connection to the learner's process, and a new process after a crash."""

    def __init__(
        self,
        control: Control | None,
        *,
        deadline: float,
        output_limit: int,
        exchange: str | None,
        test_modules: Callable[[], set[str]],
        respawns: int = 2,
        shared: str | None = None,
    ) -> None:
        self.control = control
        self.deadline = deadline
        self.output_limit = output_limit
        self.test_modules = test_modules
        self.respawns = respawns
        self.generation = 0
        self.peer: Peer | None = None
        self.stopped: LearnerStopped | None = None
        self.limit_hit: str | None = None
        #: What the learner's server needs to know besides the output limit (fixtures...).
        self.hello: dict = {}
        #: Characters the learner's code printed so far in this run.
        self.printed = 0
        self.paths = codec.PathMap(exchange, shared)
        self.encoder = codec.Encoder(self._encode_judge_object, self.paths)
        self.decoder = codec.Decoder(self._decode_handle, self._mirror, self.paths)
        self._objects: dict[tuple[int, int], LearnerObject] = {}
        self._modules: dict[tuple[int, str], object] = {}
        self._mirrors: dict[tuple[str, str], type] = {}
        self._judge_objects: list[object] = [None]
        self._judge_numbers: dict[int, int] = {}

    # --- the process ------------------------------------------------------------------------

    def connect(self, fd: int) -> None:
        """Take the learner process whose channel is ``fd`` and greet it."""
        sock = socket.socket(fileno=fd)
        self.peer = Peer(Channel(sock, MAX_ANSWER_BYTES), self._serve)
        self.generation += 1
        self.stopped = None
        self.request({"op": "hello", "output_limit": self.output_limit, **self.hello})

    def revive(self) -> bool:
        """A fresh learner process after the last one stopped, if time and respawns allow."""
        if self.stopped is None:
            return True
        if self.control is None or self.respawns <= 0 or time.monotonic() > self.deadline - 0.2:
            return False
        self.respawns -= 1
        try:
            self.control.send({"op": "learner"}, deadline=self.deadline)
            answer, fds = self.control.recv(self.deadline)
        except ChannelError:
            return False
        if not fds or not answer.get("ok"):
            return False
        try:
            self.connect(fds[0])
        except LearnerStopped:
            return False
        return True

    def fate(self, closed: bool = False) -> dict:
        """How the learner's process ended, asked of the host (which stops it if need be;
        ``closed``: it is ending by itself, its channel closed)."""
        if self.control is None:
            return {}
        try:
            self.control.send({"op": "fate", "closed": closed}, deadline=self.deadline + 2)
            answer, fds = self.control.recv(self.deadline + 2)
        except ChannelError:
            return {}
        for fd in fds:
            socket.socket(fileno=fd).close()
        return answer

    def _stop(self, error: LearnerStopped) -> LearnerStopped:
        self.stopped = error
        if self.peer is not None:
            self.peer.channel.close()
        fate = self.fate(closed=not isinstance(error, LearnerTimeout))
        status = fate.get("status")
        if status in ("memory", "output") and not isinstance(error, LearnerTimeout):
            error = LearnerStopped(error.reason, limit=status)
            self.stopped = error
        elif status == "exit" and error.limit is None:
            error.reason = error.reason or f"exit {fate.get('code')}"
            error.exit_code = fate.get("code")
        self.limit_hit = self.limit_hit or error.limit
        return error

    def request(self, message: dict) -> object:
        """Send ``message``, return the decoded answer, raise what the learner's code raised."""
        if self.stopped is not None:
            raise self.stopped
        if self.peer is None:
            raise NeedsLearner("the learner's code is not running yet")
        try:
            answer = self.peer.request(message, self.deadline)
        except ChannelTimeout:
            raise self._stop(LearnerTimeout("no answer before the time limit")) from None
        except FrameTooLarge as exc:
            raise self._stop(
                LearnerStopped(f"an answer of {exc.size} bytes", limit="output")
            ) from None
        except (ChannelClosed, ChannelError, codec.CodecError) as exc:
            raise self._stop(LearnerStopped(str(exc))) from None
        out = answer.get("out")
        if isinstance(out, str) and out:
            # The learner's server caps what it captures, but it is the learner's process: the
            # judge counts for itself, over the whole run.
            self.printed += len(out)
            if self.printed > self.output_limit:
                self.limit_hit = self.limit_hit or "output"
                raise LearnerFlood("too much output")
            sys.stdout.write(out)
        if "exc" in answer:
            raise self._exception(answer["exc"])
        try:
            value = self.decoder.decode(answer.get("ok"))
        except codec.CodecError as exc:
            raise self._stop(LearnerStopped(f"an invalid answer: {exc}")) from None
        if answer.get("flood") is True:
            self.limit_hit = self.limit_hit or "output"
            raise LearnerFlood("too much output")
        return value

    # --- operations on the learner's objects ------------------------------------------------

    def import_module(self, name: str) -> None:
        self.request({"op": "import", "module": name})

    def module_attribute(self, module: str, name: str) -> object:
        value = self.request({"op": "getattr", "h": self._module_handle(module), "name": name})
        if isinstance(value, LearnerObject) and not isinstance(value, LearnerRef):
            return LearnerRef(self, module, name, value)
        return value

    def _module_handle(self, module: str) -> dict:
        key = (self.generation, module)
        handle = self._modules.get(key)
        if handle is None:
            handle = self._modules[key] = self.request({"op": "import", "module": module})
        return self.encode(handle)

    def operate(self, op: str, target: LearnerObject, **fields) -> object:
        message = {"op": op, "h": self.encode(target)}
        for key, value in fields.items():
            message[key] = value if key in ("name", "reflected") else self.encode(value)
        return self.request(message)

    def encode(self, value: object) -> object:
        try:
            return self.encoder.encode(value)
        except codec.CodecError as exc:
            raise TypeError(f"this value cannot be given to the learner's code: {exc}") from None

    # --- handles ------------------------------------------------------------------------------

    def _decode_handle(self, body: dict) -> object:
        if "j" in body:
            number = body["j"]
            if type(number) is not int or not 0 < number < len(self._judge_objects):
                raise codec.CodecError("no such test object")
            return self._judge_objects[number]
        number = body.get("l")
        if type(number) is not int or number <= 0:
            raise codec.CodecError("malformed handle")
        key = (self.generation, number)
        found = self._objects.get(key)
        if found is None:
            kind = (
                body.get("k")
                if body.get("k") in ("object", "class", "callable", "module")
                else "object"
            )
            name = body.get("t") if isinstance(body.get("t"), str) else "object"
            found = _proxy_class(name[:100], kind)(self, number)
            self._objects[key] = found
        return found

    def _encode_judge_object(self, value: object) -> dict:
        if isinstance(value, LearnerObject):
            return {"$h": {"l": value._lms_number()}}
        numbers = getattr(value, "_lms_numbers", None) if isinstance(value, type) else None
        if numbers and self.generation in numbers:
            return {"$h": {"l": numbers[self.generation]}}
        if isinstance(value, LearnerModule):
            return self._module_handle(value.__name__)
        if self._may_share(value):
            key = id(value)
            number = self._judge_numbers.get(key)
            if number is None:
                number = len(self._judge_objects)
                self._judge_objects.append(value)
                self._judge_numbers[key] = number
            return {"$h": {"j": number, "t": type(value).__name__[:100]}}
        raise codec.CodecError(f"a {type(value).__name__} of the test")

    def _may_share(self, value: object) -> bool:
        """Only the test's own functions and objects (and built-in functions) may be called back
        by the learner's code: never a module, a class or the framework's internals."""
        if isinstance(value, (types.BuiltinFunctionType, types.MethodDescriptorType)):
            return getattr(value, "__module__", None) in (None, "builtins")
        if isinstance(value, (type, types.ModuleType)):
            return False
        if isinstance(value, functools.partial):
            return self._may_share(value.func)
        module = getattr(value, "__module__", None) if callable(value) else type(value).__module__
        if isinstance(value, types.MethodType):
            module = getattr(value.__func__, "__module__", None)
        return module in self.test_modules()

    def _serve(self, request: dict) -> dict:
        """The learner's code calling back one of the test's functions (or reading one of its
        attributes): answered by value."""
        try:
            target = self.decoder.decode(request.get("h"))
            if not any(target is obj for obj in self._judge_objects[1:]):
                raise codec.CodecError("not a test object")
            op = request.get("op")
            if op == "call":
                args = self.decoder.decode(request.get("args", []))
                kwargs = self.decoder.decode(request.get("kwargs", {"$d": []}))
                if type(args) is not list or type(kwargs) is not dict:
                    raise codec.CodecError("bad arguments")
                result = target(*args, **{str(k): v for k, v in kwargs.items()})
            elif op == "getattr":
                name = request.get("name")
                if type(name) is not str or name.startswith("_"):
                    raise AttributeError(str(name)[:100])
                result = getattr(target, name)
            else:
                raise codec.CodecError("unknown request")
            return {"ok": self.encoder.encode(result)}
        except LearnerStopped:
            raise
        except Exception as exc:  # noqa: BLE001 - the learner's code gets the exception
            return {"exc": {"name": type(exc).__name__, "message": str(exc)[:2000]}}

    # --- exceptions -----------------------------------------------------------------------------

    def _mirror(self, body: dict) -> type:
        """The judge's class for one of the learner's exception classes (or a built-in one)."""
        if "builtin" in body:
            name = body["builtin"]
            cls = getattr(builtins, name, None) if isinstance(name, str) else None
            if (
                isinstance(cls, type)
                and issubclass(cls, BaseException)
                and name not in _NOT_RAISED_AS_IS
            ):
                return cls
            return self._named_mirror(
                "builtins", str(name)[:100], str(name)[:100], (Exception,), None
            )
        name, qualname, module = body.get("name"), body.get("qualname"), body.get("module")
        if not all(isinstance(v, str) for v in (name, qualname, module)):
            raise codec.CodecError("malformed exception class")
        bases = body.get("bases")
        if type(bases) is not list or len(bases) > 8:
            raise codec.CodecError("malformed exception class")
        parents = tuple(self._mirror(b) for b in bases if isinstance(b, dict)) or (Exception,)
        return self._named_mirror(module, qualname, name, parents, body.get("l"))

    def _named_mirror(self, module: str, qualname: str, name: str, parents: tuple, number) -> type:
        key = (module, qualname)
        cls = self._mirrors.get(key)
        if cls is None:
            namespace = {
                "__module__": module,
                "__qualname__": qualname,
                "__str__": _mirror_str,
                "_lms_numbers": {},
            }
            try:
                cls = type(name, parents, namespace)
            except TypeError:
                cls = type(name, (Exception,), namespace)
            self._mirrors[key] = cls
        if type(number) is int:
            cls._lms_numbers[self.generation] = number
        return cls

    def _exception(self, data: object) -> BaseException:
        if not isinstance(data, dict) or not isinstance(data.get("cls"), dict):
            return self._stop(LearnerStopped("an invalid answer"))
        try:
            cls = self._mirror(data["cls"])
            args = self.decoder.decode(data.get("args")) if data.get("args") is not None else None
        except codec.CodecError:
            return self._stop(LearnerStopped("an invalid answer"))
        message = data.get("message") if isinstance(data.get("message"), str) else ""
        args = args if type(args) is list else [message]
        if "_lms_numbers" not in cls.__dict__:
            try:
                error = cls(*args)
            except Exception:  # noqa: BLE001 - a built-in refusing those arguments
                error = cls(message)
        else:
            error = cls.__new__(cls)
            BaseException.__init__(error, *args)
        error._lms_message = message
        error.lms_trace = data.get("trace") if isinstance(data.get("trace"), str) else ""
        error.lms_learner = True
        return error


def _mirror_str(self) -> str:
    return getattr(self, "_lms_message", "") or BaseException.__str__(self)


# --- the stand-ins ------------------------------------------------------------------------------


class LearnerObject:
    """One of the learner's objects, known here by its number in the learner's process."""

    __slots__ = ("_lms_learner", "_lms_generation", "_lms_n", "__weakref__")
    _lms_kind = "object"

    def __init__(self, learner: Learner, number: int) -> None:
        object.__setattr__(self, "_lms_learner", learner)
        object.__setattr__(self, "_lms_generation", learner.generation)
        object.__setattr__(self, "_lms_n", number)

    def _lms_number(self) -> int:
        learner = object.__getattribute__(self, "_lms_learner")
        if object.__getattribute__(self, "_lms_generation") != learner.generation:
            raise LearnerStopped("this object belonged to a run of your code that was stopped")
        return object.__getattribute__(self, "_lms_n")

    def _lms_value(self):
        """The plain value this stands for, or MISSING (see LearnerRef)."""
        return MISSING

    def _lms_op(self, op: str, **fields):
        learner = object.__getattribute__(self, "_lms_learner")
        return learner.operate(op, self, **fields)

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__") and name not in _FORWARDED_DUNDERS:
            raise AttributeError(name)
        if name.startswith(_JUDGE_PREFIXES):
            # pytest probes every global of a test module ("is this a fixture? a mock?"):
            # those questions are for the judge's objects, never worth a call to the learner.
            raise AttributeError(name)
        return self._lms_op("getattr", name=name)

    def __setattr__(self, name: str, value) -> None:
        self._lms_op("setattr", name=name, value=value)

    def __delattr__(self, name: str) -> None:
        self._lms_op("delattr", name=name)

    def __call__(self, *args, **kwargs):
        return self._lms_op("call", args=list(args), kwargs=dict(kwargs))

    def __repr__(self) -> str:
        return _shown(self, "repr")

    def __str__(self) -> str:
        return _shown(self, "str")

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        return _checked(self._lms_op("binary", name="format", other=spec), str, "format")

    def __bool__(self) -> bool:
        return _checked(self._lms_op("unary", name="bool"), bool, "bool")

    def __len__(self) -> int:
        return _checked(self._lms_op("unary", name="len"), int, "len")

    def __iter__(self):
        return self._lms_op("unary", name="iter")

    def __next__(self):
        return self._lms_op("unary", name="next")

    def __reversed__(self):
        return self._lms_op("unary", name="reversed")

    def __getitem__(self, key):
        return self._lms_op("binary", name="getitem", other=key)

    def __setitem__(self, key, value) -> None:
        self._lms_op("setitem", key=key, value=value)

    def __delitem__(self, key) -> None:
        self._lms_op("delitem", key=key)

    def __contains__(self, item) -> bool:
        if not _same_learner(self, item):
            raise TypeError(
                f"'in' on a {_type_name(self)} of your code cannot check a value of the test: "
                "the test should look at list(...) or the attributes instead"
            )
        return _checked(self._lms_op("binary", name="contains", other=item), bool, "in")

    def __hash__(self) -> int:
        return hash((id(object.__getattribute__(self, "_lms_learner")), self._lms_number()))

    def __instancecheck__(self, instance) -> bool:
        try:
            return _checked(self._lms_op("isinstance", value=instance), bool, "isinstance")
        except TypeError:
            return False

    def __enter__(self):
        return self._lms_op("callmethod", name="__enter__", args=[], kwargs={})

    def __exit__(self, *exc_info):
        return self._lms_op("callmethod", name="__exit__", args=[None, None, None], kwargs={})

    def __round__(self, ndigits=None):
        if ndigits is None:
            return self._lms_op("unary", name="round")
        return self._lms_op("callmethod", name="__round__", args=[ndigits], kwargs={})


def _shown(obj: LearnerObject, how: str) -> str:
    """repr() or str() of the learner's object, for messages: never raises."""
    try:
        text = obj._lms_op("unary", name=how)
    except LearnerStopped:
        return f"<{_type_name(obj)} (your program stopped)>"
    if type(text) is not str:
        raise TypeError(f"__{how}__ returned non-string (type {type(text).__name__})")
    return text


def _checked(value, kind: type, what: str):
    if type(value) is not kind and not (kind is int and type(value) is bool):
        raise TypeError(
            f"{what}() of your object gave a {type(value).__name__}, not a {kind.__name__}"
        )
    return value


def _type_name(obj: LearnerObject) -> str:
    return type(obj).__name__


def _same_learner(obj: LearnerObject, other) -> bool:
    return isinstance(other, LearnerObject) and object.__getattribute__(
        other, "_lms_learner"
    ) is object.__getattribute__(obj, "_lms_learner")


def _binary(name: str):
    def forward(self, other):
        if not _same_learner(self, other):
            return NotImplemented
        return self._lms_op("binary", name=name, other=other)

    forward.__name__ = f"__{name.rstrip('_')}__"
    return forward


def _unary(name: str):
    def forward(self):
        return self._lms_op("unary", name=name)

    forward.__name__ = f"__{name}__"
    return forward


for _name in "eq ne lt le gt ge add sub mul truediv floordiv mod pow matmul lshift rshift".split():
    setattr(LearnerObject, f"__{_name}__", _binary(_name))
for _name, _op in (("and", "and_"), ("or", "or_"), ("xor", "xor")):
    setattr(LearnerObject, f"__{_name}__", _binary(_op))
for _name in "neg pos abs invert int float index complex".split():
    setattr(LearnerObject, f"__{_name}__", _unary(_name))
LearnerObject.__divmod__ = _binary("divmod")


@functools.cache
def _proxy_class(name: str, kind: str) -> type:
    """A stand-in class named after the learner's type, so messages read ``Produit``."""
    safe = name if name.isidentifier() else "LearnerObject"
    return type(
        safe, (LearnerObject,), {"__slots__": (), "_lms_kind": kind, "__module__": "learner"}
    )


class LearnerRef(LearnerObject):
    """A name of the learner's module (``prix.prix_ttc``): looked up again in each new learner
    process, and ahead of any process while tests are collected in advance."""

    __slots__ = ("_lms_module", "_lms_attribute", "_lms_target")

    def __init__(self, learner: Learner, module: str, attribute: str, target=MISSING) -> None:
        object.__setattr__(self, "_lms_learner", learner)
        object.__setattr__(self, "_lms_module", module)
        object.__setattr__(self, "_lms_attribute", attribute)
        object.__setattr__(
            self, "_lms_generation", learner.generation if target is not MISSING else -1
        )
        object.__setattr__(self, "_lms_n", 0)
        object.__setattr__(self, "_lms_target", target)
        if isinstance(target, LearnerObject):
            object.__setattr__(self, "_lms_n", target._lms_number())

    def _lms_resolve(self):
        """The current learner's value for this name: a plain value, a class, or a handle."""
        learner = object.__getattribute__(self, "_lms_learner")
        if object.__getattribute__(self, "_lms_generation") != learner.generation:
            module = object.__getattribute__(self, "_lms_module")
            name = object.__getattribute__(self, "_lms_attribute")
            target = learner.request(
                {"op": "getattr", "h": learner._module_handle(module), "name": name}
            )
            object.__setattr__(self, "_lms_target", target)
            object.__setattr__(self, "_lms_generation", learner.generation)
            if isinstance(target, LearnerObject):
                object.__setattr__(self, "_lms_n", target._lms_number())
        return object.__getattribute__(self, "_lms_target")

    def _lms_number(self) -> int:
        target = self._lms_resolve()
        if not isinstance(target, LearnerObject):
            raise TypeError(
                f"{object.__getattribute__(self, '_lms_attribute')} is not an object of your code"
            )
        return target._lms_number()

    def _lms_value(self):
        target = self._lms_resolve()
        return MISSING if isinstance(target, LearnerObject) else target

    def _lms_op(self, op: str, **fields):
        value = self._lms_value()
        if value is MISSING:
            return LearnerObject._lms_op(self, op, **fields)
        return _local(value, op, fields)


def _local(value, op: str, fields: dict):
    """An operation on a plain value (or class) a LearnerRef turned out to name."""
    if op == "getattr":
        return getattr(value, fields["name"])
    if op == "call":
        return value(*fields.get("args", []), **fields.get("kwargs", {}))
    if op == "unary":
        return _LOCAL_UNARY[fields["name"]](value)
    if op == "binary":
        function = format if fields["name"] == "format" else getattr(operator, fields["name"], None)
        return function(value, fields["other"])
    if op == "isinstance":
        return isinstance(fields["value"], value)
    raise TypeError(f"{op} is not possible on {value!r}")


_LOCAL_UNARY = {
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


class LearnerModule(types.ModuleType):
    """A module of the learner's code as the tests import it."""

    def __init__(self, name: str, learner: Learner, lazy: bool) -> None:
        super().__init__(name)
        self.__dict__["_lms_learner"] = learner
        self.__dict__["_lms_lazy"] = lazy

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        learner = self.__dict__["_lms_learner"]
        if self.__dict__["_lms_lazy"] and learner.peer is None:
            return LearnerRef(learner, self.__name__, name)
        return learner.module_attribute(self.__name__, name)

    def __setattr__(self, name: str, value) -> None:
        if name.startswith("__") and name.endswith("__"):
            super().__setattr__(name, value)
            return
        learner = self.__dict__["_lms_learner"]
        learner.request(
            {
                "op": "setattr",
                "h": learner._module_handle(self.__name__),
                "name": name,
                "value": learner.encode(value),
            }
        )

    def __delattr__(self, name: str) -> None:
        learner = self.__dict__["_lms_learner"]
        learner.request({"op": "delattr", "h": learner._module_handle(self.__name__), "name": name})

    def __repr__(self) -> str:
        return f"<module {self.__name__!r} (your code)>"


def bind_names(modules: list[types.ModuleType], learner: Learner) -> dict[str, str]:
    """Replace, in test modules collected ahead of the learner, each name that stands for a
    plain value or an exception class of the learner's by the value itself: ``pytest.raises``
    needs a real class, ``isinstance(x, float)`` a real number.

    Returns, by test file, the import error of a name the learner's module does not have
    (``from prix import etiquette`` when there is no ``etiquette``): what collecting that file
    would have raised had it been collected now."""
    errors: dict[str, str] = {}
    for module in modules:
        for key, value in list(vars(module).items()):
            if not isinstance(value, LearnerRef):
                continue
            try:
                plain = value._lms_value()
            except AttributeError:
                source = object.__getattribute__(value, "_lms_module")
                name = object.__getattribute__(value, "_lms_attribute")
                file = os.path.basename(getattr(module, "__file__", "") or "")
                errors.setdefault(
                    file,
                    f"ImportError: cannot import name {name!r} from {source!r} (unknown location)",
                )
                continue
            except (LearnerStopped, Exception):  # noqa: BLE001, S112 - left as a reference
                continue
            if plain is not MISSING:
                module.__dict__[key] = plain
    return errors
