"""What the application is made of, named here and nowhere else: extensions, blueprints, and
everything the features plug into one another: graders, the kinds of event the audit chain
records, who listens to which signal, the background jobs and chores of the grading workers.

Nothing registers itself by being imported: an app built by :func:`lms.create_app` (the web
processes, ``lms`` commands, ``lms worker`` and its Celery worker) has all of it, and an app
built otherwise has none of it, which :func:`lms.audit.verify` refuses to vouch for.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from lms import (
    audit,
    auth,
    background,
    cli,
    content,
    database,
    errors,
    forms,
    grading,
    headers,
    i18n,
    json_limits,
    notifications,
    projects,
    queue,
    signals,
    submissions,
    templating,
    transactions,
)
from lms.api import facts as api_facts
from lms.api.tokens_views import bp as tokens_bp
from lms.api.views import bp as api_bp
from lms.auth.views import bp as auth_bp
from lms.certification import facts as certification_facts
from lms.certification.attendance.views import bp as certification_trainer_bp
from lms.certification.auditing import checkpoints
from lms.certification.auditing import notices as certificate_notices
from lms.certification.auditing.views import bp as certification_auditor_bp
from lms.certification.issuing import automatic
from lms.certification.verification.views import bp as certification_bp
from lms.extensions import csrf, db, migrate
from lms.learning.views import bp as learning_bp
from lms.metrics import bp as metrics_bp
from lms.notifications.views import bp as notifications_bp
from lms.outcomes import facts as outcome_facts
from lms.outcomes.recording import notices as outcome_notices
from lms.outcomes.recording import surveys
from lms.outcomes.recording.views import bp as outcomes_bp
from lms.outcomes.reports.views import bp as outcome_reports_bp
from lms.outcomes.talent.views import bp as talent_bp
from lms.projects import checks
from lms.projects import facts as project_facts
from lms.projects import notices as project_notices
from lms.projects.views import bp as projects_bp
from lms.submissions import facts as submission_facts
from lms.submissions.views import bp as submissions_bp
from lms.trainer.views import bp as trainer_bp

#: Who listens to what (:mod:`lms.signals`). Receivers run in the sender's transaction; the
#: audit chain's own receivers are connected by :func:`lms.audit.init_app`, one per kind below.
SUBSCRIPTIONS = (
    # Automatic certification: a learner's record changed (it evaluates after the commit).
    (signals.submission_graded, automatic.submission_graded),
    (signals.review_finalised, automatic.review_finalised),
    (signals.attendance_changed, automatic.attendance_changed),
    # Notices: who is told.
    (signals.brief_offered, project_notices.brief_offered),
    (signals.deliverable_submitted, project_notices.deliverable_submitted),
    (signals.review_submitted, project_notices.review_submitted),
    (signals.certificate_suspended, certificate_notices.certificate_suspended),
    (signals.certificate_suspension_lifted, certificate_notices.suspension_lifted),
    (signals.outcome_recorded, outcome_notices.outcome_recorded),
)

#: Every kind of event the audit chain records (lms.audit.kinds), with what records and checks
#: it: the feature that owns it says how.
AUDITED = {
    **submission_facts.AUDITED,
    **project_facts.AUDITED,
    **certification_facts.AUDITED,
    **outcome_facts.AUDITED,
    **api_facts.AUDITED,
}

#: What a grading worker of the in-process pool runs when no submission waits.
IDLE_JOBS = (checks.run_next,)

#: What the grading workers do now and then, the in-process pool and `lms worker` alike.
CHORES = (
    background.Chore("audit checkpoint", checkpoints.make_if_due),
    background.Chore("placement surveys", surveys.send_if_due),  # once an hour per process
)

BLUEPRINTS = (
    auth_bp,
    learning_bp,
    submissions_bp,
    trainer_bp,
    api_bp,
    tokens_bp,
    projects_bp,
    notifications_bp,
    certification_trainer_bp,
    certification_bp,
    certification_auditor_bp,
    outcomes_bp,
    outcome_reports_bp,
    talent_bp,
    metrics_bp,
)


def init_app(app: Flask) -> None:
    _init_extensions(app)
    _register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def _init_extensions(app: Flask) -> None:
    database.init_app(app)
    projects.init_app(app)  # before csrf: it sets the upload size limit the form is read with
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    forms.init_app(app)
    auth.init_app(app)
    content.init_app(app)
    transactions.init_app(app)
    queue.init_app(app)
    submissions.init_app(app)
    notifications.init_app(app)
    cli.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    headers.init_app(app)
    json_limits.init_app(app)


def _register(app: Flask) -> None:
    grading.init_app(app, grading.BUILT_IN)
    audit.init_app(app, AUDITED)
    # Blinker's connections are the process's: connecting the same receiver again (another
    # app of the process) changes nothing.
    for signal, receiver in SUBSCRIPTIONS:
        signal.connect(receiver, weak=False)
    background.init_app(app, IDLE_JOBS, CHORES)
