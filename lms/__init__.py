"""The LMS Flask application."""

from __future__ import annotations

import os
from pathlib import Path

from lms import config
from lms.transactions import TransactionalFlask


def create_app(test_config: dict | None = None) -> TransactionalFlask:
    """Build the application: defaults, then ``LMS_*`` environment, then ``test_config``; then
    everything it is made of (:mod:`lms.assembly`). Every request is one unit of work
    (:mod:`lms.transactions`).

    Nothing here talks to Docker, the network or the database beyond binding extensions.
    """
    instance_path = os.environ.get("LMS_INSTANCE_DIR") or str(config.REPO_ROOT / "instance")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    app = TransactionalFlask(__name__, instance_path=str(Path(instance_path).resolve()))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.config.from_mapping(config.default_config(app.instance_path))
    app.config.from_mapping(config.from_environment(os.environ))
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)

    # Imported here, not at the top: this module runs whenever any ``lms`` module is imported
    # (``lms.extensions`` by every model), and the assembly imports every feature.
    from lms import assembly

    assembly.init_app(app)
    return app
