"""Error pages, the mapping of refused transitions and lost races to 403/409, and of a database
or an evidence store that cannot be reached (restarting, failing over, out of connections) to a
503."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from psycopg.errors import QueryCanceled
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from transitions import MachineError

from charter.extensions import db
from charter.services.infrastructure.storage import StorageUnavailable
from workflows.lifecycle import Forbidden, TransitionRefused

STALE_MESSAGE = (
    "Someone else changed this organisation while you were working on it. "
    "Nothing you sent was saved. Check the latest details and try again."
)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(TransitionRefused)
    def transition_refused(error: TransitionRefused):
        db.session.rollback()
        status = 403 if isinstance(error, Forbidden) else 409
        return (
            render_template(
                "errors/transition-refused.html", reason=error.reason, missing=error.missing
            ),
            status,
        )

    @app.errorhandler(MachineError)
    def machine_error(error: MachineError):
        # workflows.lifecycle.fire checks the source state first; this is the backstop.
        db.session.rollback()
        return render_template(
            "errors/transition-refused.html", reason=error.value, missing=[]
        ), 409

    @app.errorhandler(StaleDataError)
    def stale(error):
        db.session.rollback()
        message = getattr(error, "page_message", STALE_MESSAGE)
        return render_template("errors/conflict.html", message=message), 409

    @app.errorhandler(CSRFError)
    def csrf_error(error):  # noqa: ARG001
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(403)
    def forbidden(error):  # noqa: ARG001
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error):  # noqa: ARG001
        return render_template("errors/404.html"), 404

    @app.errorhandler(413)
    def too_large(error):  # noqa: ARG001
        return render_template("errors/413.html"), 413

    @app.errorhandler(429)
    def too_many(error):
        return render_template("errors/429.html", limit=getattr(error, "description", "")), 429

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeoutError)
    def database_unavailable(error):
        return unavailable_response(error)

    @app.errorhandler(StorageUnavailable)
    def storage_unavailable(error: StorageUnavailable):
        # The file was not stored (store_evidence removes what it staged); nothing of the
        # request is committed.
        current_app.logger.warning("evidence store unavailable: %s", error)
        _roll_back()
        response = current_app.response_class(
            render_template("errors/storage-unavailable.html"), status=503, mimetype="text/html"
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(500)
    def server_error(error):  # noqa: ARG001
        db.session.rollback()
        return render_template("errors/500.html"), 500


# Seconds a client (or the load balancer) should wait before asking again: a restart of
# PostgreSQL or a failover takes a few.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_FALLBACK = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Sorry, the service is unavailable</title></head><body>"
    "<h1>Sorry, the service is unavailable</h1>"
    "<p>Try again in a few minutes. If you were sending something, check whether it was saved "
    "before you send it again.</p></body></html>"
)


def unavailable_response(error):
    """The database could not answer: a 503 saying so, never a 500. The transaction was not
    committed, or its commit is in doubt; either way the session is rolled back. A GET may be
    retried by the load balancer on another host."""
    from charter.operations import replica

    if _timed_out(error):
        # The database answered: this statement ran past DATABASE_STATEMENT_TIMEOUT_SECONDS.
        # Not a sign that the replica (or the primary) is away.
        current_app.logger.warning(
            "statement timed out in %s: %s", request.endpoint, str(error).splitlines()[0]
        )
    else:
        current_app.logger.warning("database unavailable: %s", str(error).splitlines()[0])
        replica.note_failure()
    _roll_back()
    if request.blueprint == "api":
        from charter.api.views import error_response

        response = error_response(503, "unavailable", "The service is unavailable; try again")
    else:
        try:
            # The layout may itself need the database (the charter's branding, the signed-in
            # person): then a plain page, still a 503.
            body = render_template("errors/503.html")
        except SQLAlchemyError:
            current_app.logger.warning("the 503 page could not be rendered; a plain one sent")
            _roll_back()
            body = UNAVAILABLE_FALLBACK
        response = current_app.response_class(body, status=503, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _timed_out(error) -> bool:
    """PostgreSQL cancelled the statement (statement_timeout)."""
    return isinstance(getattr(error, "orig", None), QueryCanceled)


def _roll_back() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is already gone; the pool replaces it
        current_app.logger.debug("rollback after a lost connection failed", exc_info=True)
