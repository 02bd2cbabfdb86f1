"""Flask extensions, created unbound here and bound in create_app()."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from charter.replica_session import RoutingSession

# Named constraints so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The session sends a public request's reads to the replica, if there is one.
db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def limits_checked_by_their_views(app) -> None:
    """Once the blueprints are registered: take Flask-Limiter's before-request check off every
    request when it has nothing to check. The service's limits are declared on the views they
    guard (``@limiter.limit``: signing in, creating an account, password resets, emails), and
    each such view checks them in its own wrapper. The before-request check applies only
    default, application, blueprint and meta limits, and the service has none, yet resolving
    that for each request was a sixth of the time of a page served from the answer cache
    (issue 23). Should one of those kinds ever be configured, the check stays."""
    manager = limiter.limit_manager
    wide = (
        manager.default_limits,
        manager.application_limits,
        manager._blueprint_limits,  # no public accessor for "any blueprint limits"
        limiter._meta_limits,
    )
    hooks = app.before_request_funcs.get(None, [])
    if not any(wide) and limiter._check_request_limit in hooks:  # absent when it is disabled
        hooks.remove(limiter._check_request_limit)
