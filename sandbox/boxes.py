"""Boxes: a process tree in namespaces of its own, started by runc on a prepared bundle.

A box has what a fresh Docker container has (it is started by the same OCI runtime Docker uses):
its own pid, mount, network (empty), IPC, UTS and cgroup namespaces; memory, swap, pids and CPU
limits in cgroups; a seccomp filter (:mod:`sandbox.seccomp`); no capabilities; no new
privileges; a read-only root file system (the grader image's, see :mod:`sandbox.rootfs`); a
size-limited tmpfs for writes; a uid that is not root. What it does not pay for is the Docker
daemon, containerd and the shim: about 20 ms of CPU to start and remove a box against ~90 ms for
a container (``bench/boxes.py``).

runc runs in the foreground (``runc run``): it is the box's parent on the host, exits with the
box's status and removes the box's state and cgroups as it exits. File descriptor 3 of the box
is a socket the caller passes in (``--preserve-fds 1``).
"""

from __future__ import annotations

import itertools
import json
import os
import select
import shutil
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sandbox import seccomp
from sandbox.errors import SandboxUnavailable

RUNC = "/usr/sbin/runc"
#: runc's state of our boxes, apart from Docker's own.
RUNC_ROOT = "/run/lms-sandbox/runc"
#: The cgroup (in each v1 hierarchy, or under the v2 root) that holds every box.
CGROUP_PARENT = "lms-sandbox"
_counter = itertools.count(1)
CAPABILITY_SETS = ("bounding", "effective", "inheritable", "permitted", "ambient")


def state_dir() -> Path:
    """Where bundles, staged jobs and exported root file systems live (LMS_SANDBOX_DIR)."""
    return Path(os.environ.get("LMS_SANDBOX_DIR") or "/var/lib/lms-sandbox")


@dataclass(frozen=True)
class Mount:
    source: Path
    target: str
    writable: bool = False
    #: Extra mount options, e.g. ("nosymfollow",).
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoxSpec:
    """Everything a box is made of."""

    rootfs: Path
    args: list[str]
    uid: int
    memory_mb: int
    pids: int
    cpus: float
    tmpfs_mb: int
    env: dict[str, str] = field(default_factory=dict)
    mounts: tuple[Mount, ...] = ()
    cwd: str = "/tmp"
    #: Shown in the box's id, to tell judges from learners in `runc list`.
    role: str = "box"
    nofile: int = 256
    #: Free labels (the submission it grades...), kept as OCI annotations: see labelled().
    labels: dict[str, str] = field(default_factory=dict)


def box_id(role: str) -> str:
    """``lms-<role>-<host pid>-<n>``: the pid says which process owns it (see sweep)."""
    return f"lms-{role}-{os.getpid()}-{next(_counter)}"


def config(spec: BoxSpec, cgroup: str) -> dict:
    """The OCI runtime configuration of ``spec``."""
    tmpfs = f"size={spec.tmpfs_mb}m"
    mounts = [
        {
            "destination": "/proc",
            "type": "proc",
            "source": "proc",
            "options": ["nosuid", "noexec", "nodev"],
        },
        {
            "destination": "/dev",
            "type": "tmpfs",
            "source": "tmpfs",
            "options": ["nosuid", "strictatime", "mode=755", "size=64k"],
        },
        {
            "destination": "/dev/shm",
            "type": "tmpfs",
            "source": "shm",
            "options": ["nosuid", "noexec", "nodev", "mode=1777", tmpfs],
        },
        {
            "destination": "/tmp",
            "type": "tmpfs",
            "source": "tmpfs",
            "options": ["nosuid", "nodev", "mode=1777", tmpfs],
        },
    ]
    for mount in spec.mounts:
        options = ["rbind", "rw" if mount.writable else "ro", "nosuid", "nodev", *mount.options]
        mounts.append(
            {
                "destination": mount.target,
                "type": "bind",
                "source": str(mount.source),
                "options": options,
            }
        )
    memory = spec.memory_mb * 1024 * 1024
    nothing: list[str] = []
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": spec.uid, "gid": spec.uid, "additionalGids": []},
            "args": list(spec.args),
            "env": [f"{k}={v}" for k, v in spec.env.items()],
            "cwd": spec.cwd,
            "capabilities": dict.fromkeys(CAPABILITY_SETS, nothing),
            "rlimits": [
                {"type": "RLIMIT_NOFILE", "hard": spec.nofile, "soft": spec.nofile},
                {"type": "RLIMIT_CORE", "hard": 0, "soft": 0},
            ],
            "noNewPrivileges": True,
            "oomScoreAdj": 1000,
        },
        "root": {"path": str(spec.rootfs), "readonly": True},
        "hostname": "box",
        "annotations": {str(k): str(v) for k, v in spec.labels.items()},
        "mounts": mounts,
        "linux": {
            "cgroupsPath": f"/{CGROUP_PARENT}/{cgroup}",
            "resources": {
                "devices": [{"allow": False, "access": "rwm"}],
                "memory": {"limit": memory, "swap": memory},
                "pids": {"limit": spec.pids},
                "cpu": {"quota": max(int(spec.cpus * 100_000), 1000), "period": 100_000},
            },
            "namespaces": [
                {"type": t} for t in ("pid", "network", "ipc", "uts", "mount", "cgroup")
            ],
            "maskedPaths": [
                "/proc/acpi",
                "/proc/kcore",
                "/proc/keys",
                "/proc/latency_stats",
                "/proc/timer_list",
                "/proc/timer_stats",
                "/proc/sched_debug",
                "/proc/scsi",
                "/sys/firmware",
            ],
            "readonlyPaths": [
                "/proc/bus",
                "/proc/fs",
                "/proc/irq",
                "/proc/sys",
                "/proc/sysrq-trigger",
            ],
            "seccomp": seccomp.profile(),
        },
    }


class OutputReader(threading.Thread):
    """Drains a box's stdout and stderr, keeping the last ``keep`` bytes; past ``limit`` bytes
    it calls ``on_flood`` once (the caller stops the box)."""

    def __init__(self, fd: int, limit: int, keep: int = 64 * 1024, on_flood=None) -> None:
        super().__init__(daemon=True, name="lms-box-output")
        self.fd, self.limit, self.keep, self.on_flood = fd, limit, keep, on_flood
        self.tail = bytearray()
        self.total = 0
        self.flooded = False

    def run(self) -> None:
        try:
            while chunk := os.read(self.fd, 65536):
                self.total += len(chunk)
                self.tail += chunk
                del self.tail[: max(len(self.tail) - self.keep, 0)]
                if self.total > self.limit and not self.flooded:
                    self.flooded = True
                    if self.on_flood is not None:
                        self.on_flood()
        except OSError:
            pass
        finally:
            os.close(self.fd)


class Box:
    """A running box. ``wait`` for its status, ``kill`` it, ``close`` it in every case."""

    def __init__(
        self, spec: BoxSpec, channel: socket.socket | None, output_limit: int = 1 << 20
    ) -> None:
        self.spec = spec
        self.id = box_id(spec.role)
        self.bundle = state_dir() / "bundles" / self.id
        self.bundle.mkdir(parents=True, exist_ok=True)
        (self.bundle / "config.json").write_text(json.dumps(config(spec, self.id)))
        self.killed: str | None = None
        self.status: int | None = None
        self.started = time.monotonic()
        read, write = os.pipe()
        self.output = OutputReader(read, output_limit, on_flood=lambda: self.kill("output"))
        try:
            self.pid = _spawn(self.bundle, self.id, write, channel)
        except OSError as exc:
            os.close(read)
            shutil.rmtree(self.bundle, ignore_errors=True)
            raise SandboxUnavailable(f"cannot start runc ({RUNC}): {exc}") from exc
        finally:
            os.close(write)
        self.output.start()
        self._pidfd = os.pidfd_open(self.pid)

    def wait(self, timeout: float | None = None) -> int | None:
        """The box's exit status (128 + signal for a signal), or None if it runs past
        ``timeout`` seconds."""
        if self.status is not None:
            return self.status
        if timeout is not None:
            ready, _, _ = select.select([self._pidfd], [], [], max(timeout, 0))
            if not ready:
                return None
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        self.status = 128 - code if code < 0 else code
        return self.status

    def init_pid(self) -> int | None:
        try:
            return int((self.bundle / "pid").read_text())
        except (OSError, ValueError):
            return None

    def kill(self, reason: str = "killed") -> None:
        """SIGKILL the box's first process: the kernel then ends every process of its pid
        namespace. Idempotent; the first reason given is kept."""
        if self.killed is None:
            self.killed = reason
        pid = self.init_pid()
        if pid is not None and self.status is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        """Stop the box if it still runs, collect runc, remove the bundle."""
        if self.wait(0) is None:
            self.kill()
            if self.wait(5) is None:
                _runc("delete", "--force", self.id)
                self.wait()
        os.close(self._pidfd)
        self.output.join(timeout=1)
        shutil.rmtree(self.bundle, ignore_errors=True)

    def fate(self) -> dict:
        """How the box ended, for the judge: exit (with its code), killed, memory, output."""
        status = self.wait(0)
        if self.killed in ("output", "timeout"):
            return {"status": self.killed}
        if status is None:
            return {"status": "running"}
        if status == 128 + signal.SIGKILL and self.killed is None:
            # Nobody here killed it: the kernel's OOM killer did.
            return {"status": "memory"}
        if self.killed:
            return {"status": "killed"}
        return {"status": "exit", "code": status}


def _spawn(bundle: Path, name: str, output: int, channel: socket.socket | None) -> int:
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        actions = [
            (os.POSIX_SPAWN_DUP2, null, 0),
            (os.POSIX_SPAWN_DUP2, output, 1),
            (os.POSIX_SPAWN_DUP2, output, 2),
        ]
        command = [
            RUNC,
            "--root",
            RUNC_ROOT,
            "run",
            "--bundle",
            str(bundle),
            "--pid-file",
            str(bundle / "pid"),
        ]
        if channel is not None:
            actions.append((os.POSIX_SPAWN_DUP2, channel.fileno(), 3))
            command += ["--preserve-fds", "1"]
        return os.posix_spawn(
            RUNC, [*command, name], {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}, file_actions=actions
        )
    finally:
        os.close(null)


def _runc(*args: str) -> None:
    pid = os.posix_spawn(
        RUNC,
        [RUNC, "--root", RUNC_ROOT, *args],
        {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
        ],
    )
    os.waitpid(pid, 0)


def check_runtime() -> None:
    """SandboxUnavailable with what to do, unless boxes can start here."""
    if not os.path.exists(RUNC):
        raise SandboxUnavailable(
            f"{RUNC} is missing: install Debian's runc package (scripts/lib.sh)"
        )
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "grading starts boxes with runc, which needs root (as the Docker engine does)"
        )


def sweep_orphans() -> int:
    """Remove boxes whose owning process is gone (a worker that died mid-grading)."""
    root = Path(RUNC_ROOT)
    removed = 0
    if not root.is_dir():
        return 0
    for entry in root.iterdir():
        parts = entry.name.split("-")
        if len(parts) < 4 or parts[0] != "lms" or not parts[-2].isdigit():
            continue
        if _alive(int(parts[-2])):
            continue
        _runc("delete", "--force", entry.name)
        shutil.rmtree(state_dir() / "bundles" / entry.name, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def labelled(**labels: str) -> list[str]:
    """Ids of the running boxes that carry every one of ``labels``."""
    found = []
    for name in running_boxes():
        try:
            config = json.loads((state_dir() / "bundles" / name / "config.json").read_text())
        except (OSError, ValueError):
            continue
        annotations = config.get("annotations") or {}
        if all(annotations.get(k) == str(v) for k, v in labels.items()):
            found.append(name)
    return found


def running_boxes() -> list[str]:
    """Ids of the boxes runc knows (for tests and metrics)."""
    root = Path(RUNC_ROOT)
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []
