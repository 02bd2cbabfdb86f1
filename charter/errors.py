"""Error pages, and the mapping of refused transitions and lost races to 403/409."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from transitions import MachineError

from charter.extensions import db
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

    @app.errorhandler(500)
    def server_error(error):  # noqa: ARG001
        db.session.rollback()
        return render_template("errors/500.html"), 500
