"""The distributed grading queue (``LMS_QUEUE=celery``): Celery workers on several Docker hosts.

Nothing is lost by design, in four steps, each with the database as the truth:

1. **Outbox** (:mod:`.outbox`): whatever queues work (a submission, a re-grade, a deliverable
   check) writes a ``grading_outbox`` row in the same transaction, so committed work is
   work that will be published, and rolled-back work is never published.
2. **Relay** (:mod:`.relay`): `lms worker` publishes unpublished rows to the broker and marks
   them; a broker outage leaves them unpublished, to be tried again.
3. **Workers** (:mod:`.jobs`): a message is a turn of grading: the task claims the next due
   submission in the fair order (:mod:`lms.submissions.fairness`, whichever the message
   named) atomically, under a lease that a heartbeat keeps alive while the grading runs
   (:mod:`lms.leases`), and runs the same :func:`lms.submissions.operations.grade` as the
   in-process pool. Every submission that becomes due brings a message, and a message claims
   nothing only when nothing is due, so no due submission is left without one; a duplicate
   is harmless. Messages are acknowledged after the grading, so a worker that dies leaves its
   message to the broker.
4. **Reconciler** (:mod:`.reconciler`): takes back submissions whose worker's lease ran out,
   and publishes again what waits without a live message (lost by the broker, due for a
   retry), never beyond ``LMS_MAX_ATTEMPTS``.
"""

from flask import Flask

from lms.queue import outbox


def init_app(app: Flask) -> None:
    """With ``LMS_QUEUE=celery``, every unit of work that queues work writes its outbox rows."""
    if app.config["LMS_QUEUE"] == "celery":
        outbox.init_app(app)
