"""The Celery application of a Flask app: configuration, tasks and publishing.

Made on first use, never at import time or in ``create_app``; nothing connects to the broker
until a message is sent or a worker starts.
"""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask

from lms.models import OutboxKind
from lms.queue import jobs
from lms.transactions import unit_of_work

#: Task name and queue of each kind of work. Checks have their own queue so that an operator
#: can give project suites (60 s each) hosts of their own with `lms worker --queues checks`.
TASKS = {OutboxKind.SUBMISSION: "lms.grade_submission", OutboxKind.CHECK: "lms.run_check"}
QUEUES = {OutboxKind.SUBMISSION: "grading", OutboxKind.CHECK: "checks"}
#: Redis hands an unacknowledged message to another worker after this long. Far above the
#: longest grading (a project check: 60 s plus start-up), so a slow job is never run twice
#: meanwhile; a dead worker's job is recovered much sooner by the reconciler (its lease).
VISIBILITY_TIMEOUT = 3600


def celery_app(app: Flask) -> Celery:
    """This Flask app's Celery application (one per app)."""
    if "lms.celery" not in app.extensions:
        app.extensions["lms.celery"] = _make(app)
    return app.extensions["lms.celery"]


def publish(app: Flask, kind: OutboxKind, target_id: int) -> None:
    """Send one message; raises at once when the broker cannot take it (the relay retries)."""
    celery_app(app).send_task(
        TASKS[kind], args=[target_id], queue=QUEUES[kind], retry=False, ignore_result=True
    )


def _make(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            # A database session of its own, removed afterwards; the task is one unit of work
            # (whose steps, the claim and the result, commit on their own: lms.transactions).
            with app.app_context(), unit_of_work():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask, set_as_current=False)
    celery.conf.update(
        broker_url=app.config["LMS_BROKER_URL"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        # Acknowledge after grading: a worker that dies mid-grading leaves its message to
        # the broker instead of losing it; the atomic claim makes the redelivery harmless.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One message per free slot: a busy worker does not hoard jobs an idle one could run.
        worker_prefetch_multiplier=1,
        # After a broker reconnect Celery lowers the prefetch count and raises it again from
        # the ack callbacks. With the thread pool those run in the task's thread, whose
        # basic.qos then waits for its reply on the AMQP connection the consumer thread is
        # reading: the two threads can wedge the consumer for good (a RabbitMQ crash left both
        # workers holding no message while 6 waited, CI, 2026-11-24). Without the reduction a
        # reconnected worker may take up to two messages beyond its free threads, which wait
        # for one; another worker's claim or the reconciler covers anything they delay.
        worker_enable_prefetch_count_reduction=False,
        # Results live in the database; no result backend.
        task_ignore_result=True,
        task_default_queue=QUEUES[OutboxKind.SUBMISSION],
        task_serializer="json",
        accept_content=["json"],
    )
    celery.task(name=TASKS[OutboxKind.SUBMISSION])(jobs.grade_submission)
    celery.task(name=TASKS[OutboxKind.CHECK])(jobs.run_check)
    return celery
