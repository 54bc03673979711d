"""The learner's side of a SQL grading: runs the learner's query on the case's database.

Runs as the learner's uid in the learner's box. The judge sends the schema and each case's set-up
(the data the query must work on); this runs the learner's query (its ``.sql`` file) on a fresh
in-memory SQLite database and sends back the columns and rows by value. The reference query and
its result never come here.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
import time
from pathlib import Path

from lms_grading import codec
from lms_grading.channel import Channel, ChannelClosed, Peer

SUBMISSION = Path("/job/submission")
MAX_ROWS = 10_000
MAX_FRAME = 64 * 1024 * 1024


class Server:
    def __init__(self) -> None:
        self.schema = ""

    def serve(self, request: dict) -> dict:
        try:
            if request.get("op") == "hello":
                self.schema = str(request.get("schema", ""))
                return {"ok": None}
            if request.get("op") == "query":
                answer = self.query(
                    str(request.get("setup", "")), float(request.get("timeout", 10))
                )
                return {"ok": codec.Encoder(_no_handles).encode(answer)}
            raise ValueError("unknown request")
        except Exception as exc:  # noqa: BLE001 - the judge reads the failure
            return {
                "exc": {"cls": {"builtin": "RuntimeError"}, "message": str(exc)[:2000], "trace": ""}
            }

    def query(self, setup: str, timeout: float) -> dict:
        files = sorted(p for p in SUBMISSION.iterdir() if p.suffix == ".sql")
        if not files:
            return {"missing": True}
        sql = files[0].read_text(encoding="utf-8")
        if not sql.strip():
            return {"empty": files[0].name}
        connection = sqlite3.connect(":memory:")
        connection.executescript(self.schema)
        if setup:
            connection.executescript(setup)
        deadline = time.monotonic() + timeout
        connection.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        try:
            # sqlite3 refuses a second statement (comments after the first are fine).
            cursor = connection.execute(sql)
            columns = [d[0].lower() for d in cursor.description or []]
            rows = cursor.fetchmany(MAX_ROWS + 1)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                return {"timeout": True}
            return {"error": str(exc)}
        except sqlite3.Warning:
            return {"several": True}
        except sqlite3.Error as exc:
            if "one statement at a time" in str(exc):  # ProgrammingError on Python 3.11
                return {"several": True}
            return {"error": str(exc)}
        return {"columns": columns, "rows": [list(row) for row in rows]}


def _no_handles(value):
    raise codec.CodecError("only plain data")


def main() -> int:
    sock = socket.socket(fileno=3)
    try:
        Peer(Channel(sock, MAX_FRAME), Server().serve).serve_forever()
    except ChannelClosed:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
