"""The plain-data codec and the judge's stand-ins for the learner's objects.

The learner's server runs here in a thread, on one end of a socket pair, with the judge's
:class:`Learner` on the other: the same messages as between two boxes, without the boxes (their
isolation is proven in test_hostile_code.py). What is proven here is what crosses and how the
judge treats what comes back.
"""

from __future__ import annotations

import datetime
import decimal
import math
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from lms_grading import codec, learner
from lms_grading.proxies import Learner, LearnerModule, LearnerObject, LearnerStopped

from sandbox.framework import pytest_tests  # noqa: F401 - puts the framework on the path

LEARNER_MODULE = """
CALLS = []

class Meta(type):
    def __instancecheck__(cls, instance):
        CALLS.append("instancecheck")
        return True

class Anything(metaclass=Meta):
    def __eq__(self, other):
        CALLS.append("eq")
        return True
    __hash__ = object.__hash__
    def __lt__(self, other):
        CALLS.append("lt")
        return True
    def __sub__(self, other):
        CALLS.append(("sub", other))
        return 0
    __rsub__ = __sub__
    def __contains__(self, item):
        CALLS.append(("contains", item))
        return True
    def __repr__(self):
        return "Anything()"

class Liar(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)
    def norme(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

class SoldeInsuffisant(ValueError):
    pass

class PlafondDepasse(SoldeInsuffisant):
    pass

def liar():
    return Liar("wrong")

def anything():
    return Anything()

def calls():
    return list(CALLS)

def echo(value):
    return value

ERRORS = {"value": ValueError, "key": KeyError, "solde": SoldeInsuffisant,
          "plafond": PlafondDepasse, "exit": SystemExit, "interrupt": KeyboardInterrupt}

def fail(kind, *args):
    raise ERRORS[kind](*args)

def apply(function, value):
    return function(value)

def hang():
    import time
    time.sleep(2)  # longer than the judge waits (a thread here cannot be killed like a box)
"""


@pytest.fixture
def learner_side(tmp_path, monkeypatch):
    """The judge's Learner connected to a learner's server running in a thread."""
    name = f"appris_{time.monotonic_ns()}"
    (tmp_path / f"{name}.py").write_text(LEARNER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(learner, "prepare_workdir", lambda: None)
    judge_end, learner_end = socket.socketpair()
    server = learner.Server(learner_end)
    thread = threading.Thread(target=_serve, args=(server,), daemon=True)
    thread.start()
    side = Learner(
        None,
        deadline=time.monotonic() + 5,
        output_limit=10_000,
        exchange=None,
        test_modules=lambda: {__name__},
    )
    side.connect(judge_end.detach())
    yield side, LearnerModule(name, side, lazy=False)
    side.peer.channel.close()
    sys.modules.pop(name, None)


def _serve(server) -> None:
    try:
        server.peer.serve_forever()
    except Exception:  # noqa: BLE001, S110 - the judge closed its end
        pass


def test_a_str_subclass_crosses_as_a_plain_str_and_fails_an_equality_test(learner_side):
    _, module = learner_side
    value = module.liar()
    assert type(value) is str
    assert value == "wrong"
    assert value != "the expected answer"


def test_a_learner_object_never_reaches_an_isinstance_or_a_comparison_in_the_judge(learner_side):
    _, module = learner_side
    value = module.anything()
    assert isinstance(value, LearnerObject)
    assert type(value).__name__ == "Anything"
    assert not isinstance(value, (str, int, float, list, dict))
    assert (value == "expected") is False
    assert value != 120.0
    with pytest.raises(TypeError):
        assert value < 3
    with pytest.raises(TypeError):
        abs(120.0 - value)
    with pytest.raises(TypeError):
        assert "x" in value
    # None of those questions reached the learner's object.
    assert module.calls() == []


def test_a_learner_class_answers_isinstance_about_its_own_objects(learner_side):
    _, module = learner_side
    point = module.Point(3, 4)
    assert isinstance(point, module.Point)
    assert point.norme() == 5.0
    assert (point.x, point.y) == (3, 4)
    # Between two learner objects, the learner's own __eq__ decides.
    assert point == module.Point(3, 4)
    assert point != module.Point(4, 3)


@pytest.mark.parametrize(
    "kind, args, expected",
    [
        ("value", ("prix négatif",), ValueError),
        ("key", ("MA123",), KeyError),
    ],
)
def test_a_learner_exception_is_raised_as_the_same_builtin(learner_side, kind, args, expected):
    _, module = learner_side
    with pytest.raises(expected) as caught:
        module.fail(kind, *args)
    assert type(caught.value) is expected
    assert caught.value.args == args


def test_the_learners_exception_classes_become_mirror_classes_with_their_bases(learner_side):
    _, module = learner_side
    solde, plafond = module.SoldeInsuffisant, module.PlafondDepasse
    assert isinstance(solde, type) and issubclass(solde, ValueError)
    assert issubclass(plafond, solde)
    with pytest.raises(solde, match="trop"):
        module.fail("plafond", "trop")
    with pytest.raises(ValueError):
        module.fail("solde", "pas assez")


def test_an_exit_or_interrupt_in_the_learners_code_does_not_stop_the_judge(learner_side):
    _, module = learner_side
    with pytest.raises(SystemExit):
        module.fail("exit", 3)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - any exception but the real one
        module.fail("interrupt")
    assert not isinstance(caught.value, KeyboardInterrupt)
    assert type(caught.value).__name__ == "KeyboardInterrupt"


def test_the_learners_code_may_call_back_the_tests_functions(learner_side):
    _, module = learner_side
    assert module.apply(lambda v: v * 2, 21) == 42
    # Never the judge's internals.
    with pytest.raises(TypeError, match="cannot be given"):
        module.apply(sys.exit, 0)
    with pytest.raises(TypeError, match="cannot be given"):
        module.echo(sys)


def test_a_hanging_learner_stops_with_a_limit_no_exception_can_swallow(learner_side):
    side, module = learner_side
    side.deadline = time.monotonic() + 0.5
    with pytest.raises(LearnerStopped) as caught:
        try:
            module.hang()
        except Exception:  # noqa: BLE001 - a test's own guard must not catch it
            pytest.fail("LearnerStopped was caught as an Exception")
    assert caught.value.limit == "timeout"


VALUES = [
    None,
    True,
    0,
    -(10**30),
    1.5,
    -0.0,
    "texte é 漢",
    b"\x00\xff",
    bytearray(b"ab"),
    [1, [2, (3, 4)]],
    (1, "a"),
    {"a": 1, 2: "b", (1, 2): [3]},
    {1, 2, 3},
    frozenset({"x"}),
    decimal.Decimal("1.10"),
    datetime.date(2026, 12, 7),
    datetime.datetime(2026, 12, 7, 10, 30, tzinfo=datetime.UTC),
    datetime.time(10, 30),
    datetime.timedelta(days=2, seconds=5),
    complex(1, -2),
    range(2, 10, 3),
    Path("/job/exchange/x.csv"),
]


def _roundtrip(value):
    encoder = codec.Encoder(lambda v: pytest.fail(f"{v!r} became a handle"))
    decoder = codec.Decoder(lambda body: pytest.fail("a handle arrived"))
    return decoder.decode(codec.loads(codec.dumps({"v": encoder.encode(value)}))["v"])


@pytest.mark.parametrize("value", VALUES, ids=[type(v).__name__ for v in VALUES])
def test_plain_values_cross_unchanged_and_as_the_receivers_own_types(value):
    back = _roundtrip(value)
    assert back == value and type(back) is type(value) or isinstance(value, Path)


def test_nan_and_infinities_cross():
    back = _roundtrip([math.nan, math.inf, -math.inf])
    assert math.isnan(back[0]) and back[1:] == [math.inf, -math.inf]


def test_subclasses_of_plain_types_arrive_as_their_base():
    from collections import Counter, OrderedDict, namedtuple

    pair = namedtuple("Pair", "a b")
    for value, base in [(pair(1, 2), tuple), (OrderedDict(a=1), dict), (Counter("aab"), dict)]:
        assert type(_roundtrip(value)) is base


@pytest.mark.parametrize(
    "message",
    [
        b'{"v": {"$unknown": 1}}',
        b'{"v": {"$b": "not base64!"}}',
        b'{"v": {"$d": [[1]]}}',
        b'{"v": {"$t": 5}}',
        b'{"v": {"$f": "1e999"}}',
        b'{"v": {"$r": [1, "x", 1]}}',
        b'{"v": {"$dec": "' + b"9" * 200 + b'"}}',
        b'{"v": {"a": 1, "b": 2}}',
        b'{"v": NaN}',
        b"[1, 2]",
        b"{" * 100_000,
    ],
)
def test_malformed_values_are_refused_as_codec_errors(message):
    decoder = codec.Decoder(lambda body: pytest.fail("a handle arrived"))
    with pytest.raises(codec.CodecError):
        decoder.decode(codec.loads(message)["v"])


def test_values_that_contain_themselves_or_nest_too_deep_are_refused():
    encoder = codec.Encoder(lambda v: pytest.fail("handle"))
    loop = []
    loop.append(loop)
    with pytest.raises(codec.CodecError):
        encoder.encode(loop)
    deep = []
    for _ in range(codec.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(codec.CodecError):
        encoder.encode(deep)


def test_an_exchange_path_never_leads_outside_the_exchange():
    paths = codec.PathMap("/job/exchange")
    with pytest.raises(codec.CodecError):
        paths.decode({"path": "../tests/test_x.py", "x": True})
    with pytest.raises(codec.CodecError):
        paths.decode({"path": "/job/tests/test_x.py", "x": True})
    assert paths.decode({"path": "tmp/1/a.csv", "x": True}) == Path("/job/exchange/tmp/1/a.csv")
