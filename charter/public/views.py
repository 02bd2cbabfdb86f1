"""Pages anyone can see: the start page, service information pages and the health check."""

from flask import current_app, render_template
from sqlalchemy import text

from charter.extensions import db
from charter.public import bp
from workflows import lifecycle


@bp.get("/")
def show_home():
    return render_template("public/home.html")


@bp.get("/accessibility")
def show_accessibility():
    return render_template("public/accessibility.html")


@bp.get("/privacy")
def show_privacy():
    return render_template("public/privacy.html")


@bp.get("/cookies")
def show_cookies():
    return render_template("public/cookies.html")


@bp.get("/how-it-works")
def show_lifecycle():
    """The lifecycle, generated from the machine itself so it cannot drift from the code."""
    rows = [
        {
            "trigger": trig,
            "sources": [lifecycle.STATE_LABELS[s] for s in trig.sources],
            "dest": lifecycle.STATE_LABELS[trig.dest] if trig.dest else "the state before suspension",
        }
        for trig in lifecycle.TRIGGERS.values()
    ]
    return render_template(
        "public/how-it-works.html", rows=rows, states=lifecycle.STATE_LABELS, mermaid=lifecycle.mermaid()
    )


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001  (any database failure means unhealthy)
        current_app.logger.exception("health check failed")
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
