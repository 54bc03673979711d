"""`lms worker`: a Celery worker grading on this host's Docker engine, with the relay and the
reconciler beside it.

Threads, not processes: grading waits on Docker, so threads use the cores as well as
processes would, and nothing is forked that would share a database connection or a Docker
client. The ``host:pid:thread`` of :func:`lms.submissions.operations.worker_name` then names
the `lms worker` process itself.
"""

from __future__ import annotations

import logging
import os
import socket

from flask import Flask

from lms.grading import close_warm_pools
from lms.queue.celery_app import QUEUES, celery_app
from lms.queue.housekeeping import Housekeeper
from sandbox import runner

log = logging.getLogger(__name__)
DEFAULT_QUEUES = tuple(QUEUES.values())


def run(app: Flask, concurrency: int, queues: tuple[str, ...], loglevel: str = "INFO") -> None:
    """Serve until stopped (SIGTERM finishes the gradings under way; SIGKILL is survived by
    the lease and the reconciler)."""
    _sweep_orphan_containers(app)
    housekeeper = Housekeeper(app)
    housekeeper.start()
    argv = [
        "worker",
        "--pool=threads",
        f"--concurrency={concurrency}",
        f"--queues={','.join(queues)}",
        f"--loglevel={loglevel}",
        # Several workers may share a host (and tests start two): name each by its pid.
        f"--hostname=lms-{os.getpid()}@{socket.gethostname()}",
        # Grading needs no worker-to-worker chatter; it only slows the start.
        "--without-gossip",
        "--without-mingle",
    ]
    try:
        celery_app(app).worker_main(argv)
    finally:
        housekeeper.stop()
        # Warm containers are this process's; remove them now rather than leave them to the
        # next start's orphan sweep.
        close_warm_pools()


def _sweep_orphan_containers(app: Flask) -> None:
    """Grading boxes left by a worker of this host that died (only dead owners' are removed)."""
    try:
        removed = runner.sweep_orphans()
        if removed:
            log.warning("removed %d orphan grading box(es)", removed)
    except Exception as exc:  # noqa: BLE001 - grading waits for the sandbox to work
        log.warning("could not sweep orphan grading boxes: %s", exc)
