"""Limits on every JSON body the app reads, checked before and after parsing.

Python's parser recurses once per level of nesting: a body of 1,000 nested brackets raises
``RecursionError``, a 500 with a traceback, even on an unauthenticated endpoint. And JSON may
spell a lone surrogate (``"\\ud800"``), which Python accepts in a ``str`` but no UTF-8 encoder
does: such text crashed later, when stored, hashed, rendered or graded. The app's request class
refuses both, and bodies over ``LMS_MAX_JSON_BYTES``, before any view sees them, with a clear
message: 400 (413 for the size), never a 500. It does so whether the view asked for the body
``silent``-ly or not: these are refusals, not "no JSON here".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask import Flask, current_app
from flask import Request as FlaskRequest
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

#: A JSON string literal, escapes included (the unrolled form: linear, no backtracking).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_OPENING = frozenset(b"[{")


class JSONRefused(BadRequest):
    """A JSON body refused before or after parsing; the description says why."""


def nesting_depth(data: bytes, give_up_above: int) -> int:
    """How deeply the arrays and objects of ``data`` nest, not counting brackets inside
    strings; counting stops as soon as it passes ``give_up_above``."""
    level = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b'""', data)):
        if bracket.group()[0] in _OPENING:
            level += 1
            deepest = max(deepest, level)
            if deepest > give_up_above:
                break
        else:
            level -= 1
    return deepest


def lone_surrogate(value: object, path: str = "$") -> str | None:
    """Where in a parsed JSON ``value`` a string (or key) holds a lone surrogate, e.g.
    ``$.files["a.py"]``, or None when all its text is valid Unicode."""
    for where, text in _strings(value, path):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return where
    return None


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    # Recursion is bounded: the body was refused beforehand if it nests too deeply.
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path} (a key)", key
            yield from _strings(item, f"{path}[{key!r}]")


def check_body(data: bytes, max_bytes: int, max_depth: int) -> None:
    """Refuse a body too large to read as JSON, or nested too deeply to parse safely."""
    if len(data) > max_bytes:
        raise RequestEntityTooLarge(f"the JSON body is larger than {max_bytes} bytes")
    if nesting_depth(data, max_depth) > max_depth:
        raise JSONRefused(f"the JSON body nests arrays and objects more than {max_depth} deep")


class Request(FlaskRequest):
    """Flask's request, whose :meth:`get_json` applies the limits above."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        if force or self.is_json:
            max_bytes = current_app.config["LMS_MAX_JSON_BYTES"]
            if self.content_length is not None and self.content_length > max_bytes:
                raise RequestEntityTooLarge(f"the JSON body is larger than {max_bytes} bytes")
            check_body(
                self.get_data(cache=True), max_bytes, current_app.config["LMS_MAX_JSON_DEPTH"]
            )
        value = super().get_json(force=force, silent=silent, cache=cache)
        if (where := lone_surrogate(value)) is not None:
            raise JSONRefused(
                f"the JSON body holds a lone surrogate in {where}: text must be valid Unicode"
            )
        return value

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:
            return super().on_json_loading_failed(e)  # 415: not sent as application/json
        raise JSONRefused(f"the body is not valid JSON: {e}")


def init_app(app: Flask) -> None:
    app.request_class = Request
