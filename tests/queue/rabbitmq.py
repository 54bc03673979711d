"""A RabbitMQ node of one test only: Debian's rabbitmq-server in a folder of its own, on free
ports of 127.0.0.1 (AMQP, Erlang distribution and its own epmd), so that it can be killed and
restarted mid-test without touching anything else on the machine."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
CTL = SERVER.with_name("rabbitmqctl")
EPMD = shutil.which("epmd") or "/usr/bin/epmd"


def installed() -> bool:
    return SERVER.exists() and Path(EPMD).exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RabbitMQServer:
    """Durable queues survive a restart (the node keeps its data folder); a SIGKILL may still
    lose messages the broker had not written, as a crash would."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}//"
        # Not under pytest's tmp_path: the node writes its Erlang cookie in its home.
        self.root = Path(tempfile.mkdtemp(prefix="lms-rabbitmq-"))
        self.log = self.root / "server.log"
        epmd_port = _free_port()
        self.env = {
            "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": str(self.root),
            "LANG": "C.UTF-8",
            "RABBITMQ_HOME": str(SERVER.parent.parent),
            "RABBITMQ_NODENAME": f"lms{self.port}@localhost",
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(_free_port()),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_EPMD_PORT": str(epmd_port),
            "RABBITMQ_MNESIA_BASE": str(self.root / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.root / "log"),
            "RABBITMQ_CONFIG_FILE": str(self.root / "rabbitmq"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.root / "enabled_plugins"),
        }
        (self.root / "enabled_plugins").write_text("[].\n")
        # Our own epmd in the foreground, so that it is ours to stop (the node would otherwise
        # start one as a daemon that outlives the test).
        self.epmd = subprocess.Popen(
            [EPMD, "-port", str(epmd_port), "-address", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [str(SERVER)],
                env=self.env,
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not self._accepts_amqp():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"RabbitMQ did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def _accepts_amqp(self) -> bool:
        """The node listens for AMQP only once it has booted."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"AMQP\x00\x00\x09\x01")
                return sock.recv(8)[:1] == b"\x01"  # Connection.Start, a method frame
        except OSError:
            return False

    def report(self) -> str:
        """What the node holds: queues, bindings, consumers and channels; for a failing test."""
        listings = [
            [
                "list_queues",
                "name",
                "durable",
                "messages_ready",
                "messages_unacknowledged",
                "consumers",
                "state",
            ],
            ["list_exchanges", "name", "type", "durable"],
            ["list_bindings", "source_name", "destination_name", "routing_key"],
            ["list_consumers", "queue_name", "channel_pid", "prefetch_count", "ack_required"],
            [
                "list_channels",
                "pid",
                "connection",
                "number",
                "consumer_count",
                "messages_unacknowledged",
                "prefetch_count",
                "global_prefetch_count",
            ],
        ]
        out = []
        for listing in listings:
            try:
                done = subprocess.run(
                    [str(CTL), "-n", self.env["RABBITMQ_NODENAME"], "-q", *listing],
                    env=self.env,
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
                out.append(f"$ rabbitmqctl {' '.join(listing)}\n{done.stdout}{done.stderr}")
            except (OSError, subprocess.TimeoutExpired) as exc:
                out.append(f"$ rabbitmqctl {listing[0]}: {exc}")
        return "\n".join(out)

    def stop(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """SIGKILL: a crash. SIGTERM: the node shuts down cleanly."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        self.process.wait(60)
        self.process = None

    def destroy(self) -> None:
        self.stop()
        self.epmd.kill()
        self.epmd.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)
