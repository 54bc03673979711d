"""Plain data across the boundary between the judge and the learner's process.

Both sides run this module; neither trusts what the other sends. A value crosses as JSON in
which everything that JSON cannot say is a one-key object whose key starts with ``$``:

=========  ==========================================  =========================================
tag        value                                       rebuilt as
=========  ==========================================  =========================================
(none)     ``null``, ``true``, numbers, strings, lists  None, bool, int, float, str, list
``$f``     ``"nan"``, ``"inf"``, ``"-inf"``              float
``$c``     ``[real, imag]``                             complex
``$b``     base64                                       bytes (``$ba``: bytearray)
``$t``     list                                         tuple
``$s``     list                                         set (``$fs``: frozenset)
``$d``     list of ``[key, value]``                     dict
``$dec``   string                                       decimal.Decimal
``$date``  ISO string                                   datetime.date (``$dt``, ``$time`` alike)
``$td``    ``[days, seconds, microseconds]``            datetime.timedelta
``$r``     ``[start, stop, step]``                      range
``$p``     ``{"path": str, "x": bool}``                 pathlib.PurePosixPath (Path), see PathMap
``$nd``    dtype, shape and raw bytes or items           numpy.ndarray (``$ns``: numpy scalar)
``$se``    ``$df`` ``$ix`` ``$ts`` ``$tdl`` ``$nat``    pandas Series, DataFrame, Index, ...
``$h``     handle number, type name                     the other side's object, see ``Handles``
``$x``     exception class (learner's), by handle       a mirror class (judge) or the class
=========  ==========================================  =========================================

Subclasses of plain types travel as their plain base (a ``str`` subclass arrives as a ``str``
with the same characters, whatever its ``__eq__`` said). Anything else is a *handle*: the side
that owns the object keeps it and the other side gets a number. Decoding never evaluates,
imports or unpickles anything; an unknown tag, a malformed value, a cycle or excessive depth is a
:class:`CodecError`.
"""

from __future__ import annotations

import json
import math
import os
import posixpath
import sys
from collections.abc import Callable
from functools import cache

# The learner's process starts fresh for every submission: modules a value may need (datetime,
# decimal, pathlib, base64, re) are imported when such a value first comes up, not at start.

MAX_DEPTH = 200


@cache
def _raw_dtype():
    """numpy dtypes that may be rebuilt from raw bytes: booleans, numbers, dates, strings."""
    import re

    return re.compile(
        r"^[<>|=]?(b1|[iuf][1248]|f16|c(8|16|32)|[mM]8(\[[a-zA-Z0-9]+\])?|[US]\d{1,6})$"
    )


@cache
def _pandas_item_dtypes():
    """pandas dtypes rebuilt from a list of items."""
    import re

    return re.compile(
        r"^(U?Int(8|16|32|64)|Float(32|64)|boolean|string|object|str"
        r"|datetime64\[ns(, [A-Za-z0-9_+\-/]{1,40})?\])$"
    )


def _b64encode(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def _loaded(module: str, name: str):
    """A class of a module the process has already imported (else no value can be one)."""
    loaded = sys.modules.get(module)
    return getattr(loaded, name, None) if loaded is not None else None


class CodecError(ValueError):
    """A value that cannot cross, or bytes that are not a value."""


class PathMap:
    """Where the exchange folder is on each side: a path inside it crosses as a relative path
    and arrives under the receiver's own exchange folder. Other paths cross unchanged.

    ``shared`` (judge side): a folder whose files a test may hand to the learner's code by
    passing their path (``Path(__file__).parent / "ventes.csv"``). Passing the path is what
    shares the file: it is copied into the exchange folder and the learner gets that copy.
    """

    def __init__(self, mine: str | None = None, shared: str | None = None) -> None:
        self.mine = str(mine) if mine else None
        self.shared = str(shared) if shared else None

    def encode(self, path) -> dict:
        text = posixpath.normpath(os.fspath(path))
        if self.mine is not None and self.shared is not None and _inside(text, self.shared):
            relative = posixpath.relpath(text, self.shared)
            root = posixpath.join(self.mine, "shared")
            _share(text, posixpath.join(root, relative), root)
            return {"path": posixpath.join("shared", relative), "x": True}
        if self.mine is not None and _inside(text, self.mine):
            return {"path": posixpath.relpath(text, self.mine), "x": True}
        return {"path": text, "x": False}

    def decode(self, data: dict):
        from pathlib import Path

        path = data.get("path")
        if not isinstance(path, str) or len(path) > 4096:
            raise CodecError("bad path")
        if data.get("x"):
            if self.mine is None or ".." in path.split("/") or path.startswith("/"):
                raise CodecError("bad exchange path")
            return Path(self.mine, path)
        return Path(path)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _share(source: str, target: str, root: str) -> None:
    """Copy a file (or folder) the test hands over into the exchange, readable by everyone."""
    import shutil
    from pathlib import Path

    if os.path.exists(target) or not os.path.exists(source):
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.isdir(source):
        shutil.copytree(source, target, symlinks=False)
    else:
        shutil.copyfile(source, target)
    for path in [Path(root), *Path(root).rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


class Encoder:
    """Turns a value into JSON-able data; ``handle`` is called for what is not plain data and
    returns the handle's encoding (or raises CodecError)."""

    def __init__(self, handle: Callable[[object], dict], paths: PathMap | None = None) -> None:
        self.handle = handle
        self.paths = paths or PathMap()
        self._path: set[int] = set()

    def encode(self, value: object, depth: int = 0) -> object:
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value
        if kind is float:
            return value if math.isfinite(value) else {"$f": repr(value)}
        if depth > MAX_DEPTH:
            raise CodecError("value nested too deeply")
        if kind in (list, tuple, set, frozenset, dict):
            return self._container(value, kind, depth)
        return self._other(value, depth)

    def _container(self, value, kind, depth):
        key = id(value)
        if key in self._path:
            raise CodecError("a value that contains itself cannot be sent")
        self._path.add(key)
        try:
            if kind is dict:
                items = [
                    [self.encode(k, depth + 1), self.encode(v, depth + 1)]
                    for k, v in _dict_items(value)
                ]
                return {"$d": items}
            items = [self.encode(item, depth + 1) for item in _sequence(value, kind)]
            if kind is list:
                return items
            return {{tuple: "$t", set: "$s", frozenset: "$fs"}[kind]: items}
        finally:
            self._path.discard(key)

    def _other(self, value, depth):
        # Subclasses of plain types travel as their base: the characters of a str subclass,
        # never its methods.
        if isinstance(value, bool):
            return bool(int.__int__(value))
        if isinstance(value, int):
            return int.__int__(value)
        if isinstance(value, float):
            return self.encode(float.__float__(value), depth)
        if isinstance(value, str):
            return str.__str__(value)
        for base in (dict, list, tuple, frozenset, set):
            if isinstance(value, base):
                # A namedtuple, an OrderedDict or a Counter arrives as its plain base.
                return self._container(_plain_copy(value, base), base, depth)
        if isinstance(value, bytes):
            return {"$b": _b64encode(bytes(memoryview(value)))}
        if isinstance(value, bytearray):
            return {"$ba": _b64encode(bytes(value))}
        if isinstance(value, complex):
            return {"$c": [self.encode(value.real), self.encode(value.imag)]}
        if isinstance(value, range):
            return {"$r": [value.start, value.stop, value.step]}
        for module, name, encode in _LOADED:
            cls = _loaded(module, name)
            if cls is not None and isinstance(value, cls):
                return encode(self, value, cls)
        scientific = _encode_scientific(value, self, depth)
        if scientific is not None:
            return scientific
        return self.handle(value)


def _plain_copy(value, base):
    if base is dict:
        return dict(dict.items(value))
    if base is list:
        return list(list.__iter__(value))
    if base is tuple:
        return tuple(tuple.__iter__(value))
    if base is set:
        return set(set.__iter__(value))
    return frozenset(frozenset.__iter__(value))


def _dict_items(value: dict):
    return dict.items(value)


def _sequence(value, kind):
    return kind.__iter__(value)


def _iso(value) -> str:
    return type(value).isoformat(value)


#: Values of modules a process may or may not have imported, most specific class first.
_LOADED = (
    ("decimal", "Decimal", lambda _e, v, cls: {"$dec": cls.__str__(v)}),
    ("datetime", "datetime", lambda _e, v, _cls: {"$dt": _iso(v)}),
    ("datetime", "date", lambda _e, v, cls: {"$date": cls.isoformat(v)}),
    ("datetime", "time", lambda _e, v, _cls: {"$time": _iso(v)}),
    ("datetime", "timedelta", lambda _e, v, _cls: {"$td": [v.days, v.seconds, v.microseconds]}),
    ("pathlib", "PurePath", lambda e, v, _cls: {"$p": e.paths.encode(v)}),
)


class Decoder:
    """Rebuilds plain values from JSON-able data; ``handle`` turns a ``$h`` (and ``exception``
    a ``$x``) into the receiver's stand-in for the other side's object."""

    def __init__(
        self,
        handle: Callable[[dict], object],
        exception_class: Callable[[dict], type] | None = None,
        paths: PathMap | None = None,
    ) -> None:
        self.handle = handle
        self.exception_class = exception_class
        self.paths = paths or PathMap()

    def decode(self, data: object, depth: int = 0) -> object:
        kind = type(data)
        if data is None or kind in (bool, str, int, float):
            return data
        if depth > MAX_DEPTH:
            raise CodecError("value nested too deeply")
        if kind is list:
            return [self.decode(item, depth + 1) for item in data]
        if kind is not dict or len(data) != 1:
            raise CodecError("malformed value")
        ((tag, body),) = data.items()
        decode = _TAGS.get(tag)
        if decode is None:
            raise CodecError(f"unknown tag {tag[:20]!r}")
        try:
            return decode(self, body, depth + 1)
        except CodecError:
            raise
        except (TypeError, ValueError, KeyError, IndexError, OverflowError, ArithmeticError) as exc:
            raise CodecError(f"malformed {tag[:20]} value: {exc}") from None

    def items(self, body, depth):
        if type(body) is not list:
            raise CodecError("malformed collection")
        return [self.decode(item, depth) for item in body]


def _float(_decoder, body, _depth):
    if body not in ("nan", "inf", "-inf"):
        raise CodecError("bad float")
    return float(body)


def _dict(decoder: Decoder, body, depth):
    if type(body) is not list:
        raise CodecError("malformed dict")
    result = {}
    for pair in body:
        if type(pair) is not list or len(pair) != 2:
            raise CodecError("malformed dict item")
        result[decoder.decode(pair[0], depth)] = decoder.decode(pair[1], depth)
    return result


def _b64(body) -> bytes:
    import base64

    if type(body) is not str:
        raise CodecError("malformed bytes")
    return base64.b64decode(body, validate=True)


def _string(body) -> str:
    if type(body) is not str or len(body) > 100:
        raise CodecError("malformed value")
    return body


def _timedelta(_decoder, body, _depth):
    import datetime

    days, seconds, micro = body
    if not all(type(v) is int for v in (days, seconds, micro)):
        raise CodecError("malformed timedelta")
    return datetime.timedelta(days=days, seconds=seconds, microseconds=micro)


def _range(_decoder, body, _depth):
    start, stop, step = body
    if not all(type(v) is int for v in (start, stop, step)):
        raise CodecError("malformed range")
    return range(start, stop, step)


def _complex(decoder, body, depth):
    real, imag = (decoder.decode(v, depth) for v in body)
    if type(real) is not float and type(real) is not int:
        raise CodecError("malformed complex")
    return complex(real, imag)


def _module(name: str):
    import importlib

    return importlib.import_module(name)


def _handle(decoder: Decoder, body, _depth):
    if type(body) is not dict:
        raise CodecError("malformed handle")
    return decoder.handle(body)


def _exception_class(decoder: Decoder, body, _depth):
    if decoder.exception_class is None or type(body) is not dict:
        raise CodecError("unexpected exception class")
    return decoder.exception_class(body)


_TAGS: dict[str, Callable] = {
    "$f": _float,
    "$c": _complex,
    "$b": lambda _d, body, _x: _b64(body),
    "$ba": lambda _d, body, _x: bytearray(_b64(body)),
    "$t": lambda d, body, depth: tuple(d.items(body, depth)),
    "$s": lambda d, body, depth: set(d.items(body, depth)),
    "$fs": lambda d, body, depth: frozenset(d.items(body, depth)),
    "$d": _dict,
    "$dec": lambda _d, body, _x: _module("decimal").Decimal(_string(body)),
    "$date": lambda _d, body, _x: _module("datetime").date.fromisoformat(_string(body)),
    "$dt": lambda _d, body, _x: _module("datetime").datetime.fromisoformat(_string(body)),
    "$time": lambda _d, body, _x: _module("datetime").time.fromisoformat(_string(body)),
    "$td": _timedelta,
    "$r": _range,
    "$p": lambda d, body, _x: d.paths.decode(body),
    "$h": _handle,
    "$x": _exception_class,
}


# --- numpy and pandas, when the process has them loaded -------------------------------------


def _encode_scientific(value, encoder: Encoder, depth: int):
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    if isinstance(value, numpy.ndarray):
        return {"$nd": _encode_array(numpy, value, encoder, depth)}
    if isinstance(value, numpy.generic):
        array = numpy.asarray(value)
        if array.dtype.kind == "O":
            return encoder.encode(value.item(), depth)
        return {"$ns": _encode_array(numpy, array.reshape(1), encoder, depth)}
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return None
    if isinstance(value, pandas.DataFrame):
        return {
            "$df": {
                "columns": encoder.encode(value.columns, depth + 1),
                "index": encoder.encode(value.index, depth + 1),
                "data": [
                    _encode_values(pandas, numpy, value.iloc[:, i], encoder, depth + 1)
                    for i in range(value.shape[1])
                ],
            }
        }
    if isinstance(value, pandas.Series):
        return {
            "$se": {
                "name": encoder.encode(value.name, depth + 1),
                "index": encoder.encode(value.index, depth + 1),
                "values": _encode_values(pandas, numpy, value, encoder, depth + 1),
            }
        }
    if isinstance(value, pandas.RangeIndex):
        return {
            "$ix": {
                "range": [value.start, value.stop, value.step],
                "name": encoder.encode(value.name, depth + 1),
            }
        }
    if isinstance(value, pandas.MultiIndex):
        return {
            "$ix": {
                "tuples": encoder.encode(list(value), depth + 1),
                "names": encoder.encode(list(value.names), depth + 1),
            }
        }
    if isinstance(value, pandas.Index):
        return {
            "$ix": {
                "values": _encode_values(pandas, numpy, value, encoder, depth + 1),
                "name": encoder.encode(value.name, depth + 1),
            }
        }
    if value is pandas.NaT:
        return {"$nat": 0}
    if value is pandas.NA:
        return {"$na": 0}
    if isinstance(value, pandas.Timestamp):
        return {"$ts": [value.value, str(value.tz) if value.tz is not None else None]}
    if isinstance(value, pandas.Timedelta):
        return {"$tdl": value.value}
    return None


def _encode_array(numpy, array, encoder: Encoder, depth: int) -> dict:
    if depth > MAX_DEPTH:
        raise CodecError("value nested too deeply")
    dtype = array.dtype
    shape = [int(n) for n in array.shape]
    if dtype.kind in "biufcmMUS" and _raw_dtype().match(dtype.str):
        data = numpy.ascontiguousarray(array).tobytes()
        return {"dtype": dtype.str, "shape": shape, "data": _b64encode(data)}
    items = [encoder.encode(item, depth + 1) for item in array.ravel(order="C").tolist()]
    return {"dtype": "O", "shape": shape, "items": items}


def _encode_values(pandas, numpy, values, encoder: Encoder, depth: int) -> dict:
    """The values of a Series or Index with their dtype."""
    dtype = values.dtype
    if isinstance(dtype, pandas.CategoricalDtype):
        categorical = values.array
        return {
            "category": {
                "categories": encoder.encode(categorical.categories, depth + 1),
                "codes": _encode_array(numpy, numpy.asarray(categorical.codes), encoder, depth + 1),
                "ordered": bool(categorical.ordered),
            }
        }
    if isinstance(dtype, numpy.dtype) and dtype.kind != "O":
        return {"array": _encode_array(numpy, numpy.asarray(values), encoder, depth + 1)}
    items = [encoder.encode(None if _missing(pandas, v) else v, depth + 1) for v in values.tolist()]
    return {"items": items, "dtype": str(dtype)}


def _missing(pandas, value) -> bool:
    return value is pandas.NA or value is pandas.NaT or value is None


def _numpy():
    try:
        import numpy
    except ImportError:
        raise CodecError("numpy is not available here") from None
    return numpy


def _pandas():
    try:
        import pandas
    except ImportError:
        raise CodecError("pandas is not available here") from None
    return pandas


def _decode_array(decoder: Decoder, body, depth):
    numpy = _numpy()
    if type(body) is not dict:
        raise CodecError("malformed array")
    shape = body["shape"]
    if (
        type(shape) is not list
        or len(shape) > 32
        or not all(type(n) is int and n >= 0 for n in shape)
    ):
        raise CodecError("malformed array shape")
    dtype = body["dtype"]
    if dtype == "O":
        items = decoder.items(body["items"], depth)
        array = numpy.empty(len(items), dtype=object)
        array[:] = items if items else []
        return array.reshape(shape)
    if type(dtype) is not str or not _raw_dtype().match(dtype):
        raise CodecError("unsupported array dtype")
    data = _b64(body["data"])
    return numpy.frombuffer(data, dtype=numpy.dtype(dtype)).reshape(shape).copy()


def _decode_scalar(decoder, body, depth):
    return _decode_array(decoder, body, depth)[0]


def _decode_values(decoder: Decoder, body, depth):
    pandas = _pandas()
    if type(body) is not dict:
        raise CodecError("malformed values")
    if "array" in body:
        return _decode_array(decoder, body["array"], depth)
    if "category" in body:
        spec = body["category"]
        categories = decoder.decode(spec["categories"], depth)
        codes = _decode_array(decoder, spec["codes"], depth)
        return pandas.Categorical.from_codes(
            codes, categories=categories, ordered=bool(spec["ordered"])
        )
    dtype = body["dtype"]
    if type(dtype) is not str or not _pandas_item_dtypes().match(dtype):
        raise CodecError("unsupported pandas dtype")
    items = decoder.items(body["items"], depth)
    if dtype in ("object", "O"):
        array = _numpy().empty(len(items), dtype=object)
        array[:] = items if items else []
        return array
    return pandas.array(items, dtype=dtype)


def _decode_index(decoder: Decoder, body, depth):
    pandas = _pandas()
    if "range" in body:
        start, stop, step = body["range"]
        if not all(type(v) is int for v in (start, stop, step)):
            raise CodecError("malformed range index")
        return pandas.RangeIndex(start, stop, step, name=decoder.decode(body["name"], depth))
    if "tuples" in body:
        return pandas.MultiIndex.from_tuples(
            decoder.decode(body["tuples"], depth), names=decoder.decode(body["names"], depth)
        )
    values = _decode_values(decoder, body["values"], depth)
    return pandas.Index(values, name=decoder.decode(body["name"], depth))


def _decode_series(decoder: Decoder, body, depth):
    pandas = _pandas()
    values = _decode_values(decoder, body["values"], depth)
    index = decoder.decode(body["index"], depth)
    return pandas.Series(values, index=index, name=decoder.decode(body["name"], depth), copy=False)


def _decode_frame(decoder: Decoder, body, depth):
    pandas = _pandas()
    columns = decoder.decode(body["columns"], depth)
    index = decoder.decode(body["index"], depth)
    data = body["data"]
    if type(data) is not list or len(data) != len(columns):
        raise CodecError("malformed data frame")
    series = {
        i: pandas.Series(_decode_values(decoder, values, depth), index=index, copy=False)
        for i, values in enumerate(data)
    }
    frame = pandas.DataFrame(series, index=index)
    frame.columns = columns
    return frame


def _decode_timestamp(_decoder, body, _depth):
    value, tz = body
    if type(value) is not int or (tz is not None and type(tz) is not str):
        raise CodecError("malformed timestamp")
    return _pandas().Timestamp(value, tz=tz)


_TAGS.update(
    {
        "$nd": _decode_array,
        "$ns": _decode_scalar,
        "$ix": _decode_index,
        "$se": _decode_series,
        "$df": _decode_frame,
        "$nat": lambda _d, _b, _x: _pandas().NaT,
        "$na": lambda _d, _b, _x: _pandas().NA,
        "$ts": _decode_timestamp,
        "$tdl": lambda _d, body, _x: _pandas().Timedelta(int(body)),
    }
)


def dumps(message: dict) -> bytes:
    """A protocol message (already encoded) as compact UTF-8 JSON; NaN never appears raw."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def loads(data: bytes) -> dict:
    """A protocol message; anything but a JSON object is a CodecError."""
    try:
        message = json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise CodecError(f"not a message: {str(exc)[:100]}") from None
    if type(message) is not dict:
        raise CodecError("not a message")
    return message


def _refuse_constant(name: str):
    raise CodecError(f"bare {name} in a message")
