"""Email delivery for administrators: the queue's state, emails that could not be sent (with
the reason, free of personal data) and a button to try one again once the cause is fixed."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm

from charter.admin import bp
from charter.extensions import db
from charter.models import OutboxEmail
from charter.models.base import INTEGER_COLUMN_MAX, utcnow
from charter.models.mail import MAIL_FAILED, MAIL_RETRYING, MAIL_STATES
from charter.services.infrastructure.mail import status
from charter.services.infrastructure.mail.backends import backend_name

EMAILS_SHOWN = 50
# An email waiting longer than this suggests the mail worker is not running.
WORKER_WARNING_AFTER = timedelta(minutes=15)
BACKEND_LABELS = {
    "smtp": "sends it through the SMTP relay",
    "notify": "hands it to GOV.UK Notify",
    "log": "writes it to the application log (development: no email leaves this machine)",
}


UNKNOWN_BACKEND = "sends it (though MAIL_BACKEND is not one it knows)"


class RetryEmailForm(FlaskForm):
    """The "Try again" button (CSRF only)."""


@bp.context_processor
def _failed_email_count():
    # A callable, so only the pages that show the count run the query.
    return {"failed_email_count": status.failed_email_count}


@bp.get("/emails")
def list_email_deliveries():
    state = status.queue_state()
    stalled_since = None
    if state.oldest_waiting_at and utcnow() - state.oldest_waiting_at > WORKER_WARNING_AFTER:
        stalled_since = state.oldest_waiting_at
    return render_template(
        "admin/email-deliveries.html",
        state=state,
        state_rows=[(status.STATE_LABELS[name], state.counts[name]) for name in MAIL_STATES],
        failed=status.emails_in_state(MAIL_FAILED, EMAILS_SHOWN),
        retrying=status.emails_in_state(MAIL_RETRYING, EMAILS_SHOWN),
        emails_shown=EMAILS_SHOWN,
        stalled_since=stalled_since,
        backend_label=BACKEND_LABELS.get(backend_name(current_app.config), UNKNOWN_BACKEND),
        form=RetryEmailForm(),
    )


@bp.post("/emails/<int:email_id>/retry")
def retry_email(email_id: int):
    if (
        email_id > INTEGER_COLUMN_MAX
    ):  # SQLite cannot even compare a larger number; no such row anyway
        abort(404)
    email = db.get_or_404(OutboxEmail, email_id)
    if not RetryEmailForm().validate_on_submit():
        abort(400)
    if status.retry_failed_email(email.id):
        db.session.commit()
        current_app.logger.info("Outbox email %s queued again by an administrator", email.id)
        flash(f"The email to {email.to_address} will be sent again shortly.", "success")
    else:
        flash(
            f"The email to {email.to_address} had not failed, so nothing was changed: "
            "it may already have been tried again."
        )
    return redirect(url_for("admin.list_email_deliveries"))
