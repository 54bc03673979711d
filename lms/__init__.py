"""The LMS Flask application."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from lms import config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then ``LMS_*`` environment, then ``test_config``.

    Nothing here talks to Docker, the network or the database beyond binding extensions.
    """
    instance_path = os.environ.get("LMS_INSTANCE_DIR") or str(config.REPO_ROOT / "instance")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    app = Flask(__name__, instance_path=str(Path(instance_path).resolve()))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.config.from_mapping(config.default_config(app.instance_path))
    app.config.from_mapping(config.from_environment(os.environ))
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)

    _init_extensions(app)
    _register_blueprints(app)
    return app


def _init_extensions(app: Flask) -> None:
    from lms import auth, content, database, i18n, notifications, projects, submissions
    from lms.extensions import csrf, db, migrate

    database.init_app(app)
    projects.init_app(app)  # before csrf: it sets the upload size limit the form is read with
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    content.init_app(app)
    submissions.init_app(app)
    notifications.init_app(app)

    from lms import cli, errors, templating

    cli.init_app(app)
    errors.init_app(app)
    templating.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from lms.api.views import bp as api_bp
    from lms.auth.views import bp as auth_bp
    from lms.certification.attendance.views import bp as certification_trainer_bp
    from lms.certification.auditing.views import bp as certification_auditor_bp
    from lms.certification.verification.views import bp as certification_bp
    from lms.learning.views import bp as learning_bp
    from lms.metrics import bp as metrics_bp
    from lms.notifications.views import bp as notifications_bp
    from lms.outcomes.recording.views import bp as outcomes_bp
    from lms.outcomes.reports.views import bp as outcome_reports_bp
    from lms.outcomes.talent.views import bp as talent_bp
    from lms.projects.views import bp as projects_bp
    from lms.submissions.views import bp as submissions_bp
    from lms.trainer.views import bp as trainer_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(submissions_bp)
    app.register_blueprint(trainer_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(certification_trainer_bp)
    app.register_blueprint(certification_bp)
    app.register_blueprint(certification_auditor_bp)
    app.register_blueprint(outcomes_bp)
    app.register_blueprint(outcome_reports_bp)
    app.register_blueprint(talent_bp)
    app.register_blueprint(metrics_bp)
