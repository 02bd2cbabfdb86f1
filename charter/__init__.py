"""Charter Mark: the application factory."""

from __future__ import annotations

import os
import sys

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from charter import template_imports
from charter.extensions import (
    csrf,
    db,
    limiter,
    limits_checked_by_their_views,
    login_manager,
    migrate,
)
from charter.operations import connection_checks, connection_settings, init_operations, replica
from charter.resources import instance_dir, resource_dir


def _default_config():
    from config import Config, ProductionConfig

    if os.environ.get("CHARTER_ENV") != "production":
        return Config
    # `flask charter check-config` must load the app to report everything that is missing,
    # SECRET_KEY included; every other entry point refuses to start without one.
    return ProductionConfig(checking_only="check-config" in sys.argv[1:])


def create_app(config_class=None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        instance_path=str(instance_dir()),
    )
    app.config.from_object(config_class or _default_config())
    os.makedirs(app.instance_path, exist_ok=True)
    init_operations(app)

    _configure_jinja(app)
    connection_settings.init_app(app)
    db.init_app(app)
    replica.init_app(app)
    connection_checks.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)

    from charter import admin, api, assessor, auth, caching, commissioner, dev, organisation, public
    from charter.auth import user_loader  # noqa: F401  (registers the loader)
    from charter.cli import register_cli
    from charter.errors import register_error_handlers
    from charter.security import register_converters, register_security
    from charter.services.read_models import register_version  # noqa: F401  (counts changes)
    from charter.services.read_models.impact import version  # noqa: F401  (counts changes)
    from charter.templating import register_template_helpers

    register_converters(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(organisation.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(assessor.bp)
    app.register_blueprint(commissioner.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(dev.bp)
    register_error_handlers(app)
    register_template_helpers(app)
    caching.init_app(app)
    register_cli(app)
    register_security(app)
    limits_checked_by_their_views(app)
    return app


def _configure_jinja(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.template_class = template_imports.Template
    # Every template loaded is kept, in a plain dict: Jinja's default keeps 400 in an LRU, whose
    # lookup (a lock and a deque rearranged) ran for each extends, include and import of every
    # page. The templates are the service's own files, a fixed set.
    app.jinja_env.cache = {}
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
