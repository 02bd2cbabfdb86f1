"""Email preferences: turn reminders off or on from the account page, or in one click from the
link in any reminder (no sign-in: the link carries a signed token naming the person).

The one-click address answers GET with a page and a button, and POST (from the button, or from
a mail program following RFC 8058's List-Unsubscribe-Post) by turning reminders off. The POST
has no CSRF token by design: the signed token is what authorises it, and all it can do is stop
reminders to the person it names.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from charter.auth import bp
from charter.extensions import csrf, db
from charter.refusals_on_forms import shown_on
from charter.services.domain import preferences
from charter.services.notices import tokens


class EmailPreferencesForm(FlaskForm):
    reminders = RadioField(
        "Do you want reminder emails?",
        choices={
            "yes": "Yes, remind me when a return or the annual confirmation is due",
            "no": "No, do not send me reminders",
        },
        widget=GovRadioInput(),
        validators=[InputRequired("Choose whether you want reminder emails")],
    )
    submit = SubmitField("Save email preferences", widget=GovSubmitInput())


@bp.route("/account/email-preferences", methods=["GET", "POST"])
@login_required
def change_email_preferences():
    form = EmailPreferencesForm(
        formdata=request.form if request.method == "POST" else None,
        reminders="yes" if current_user.reminder_emails else "no",
    )
    if form.validate_on_submit():
        with shown_on(form, "reminders") as refused:
            preferences.set_reminders(current_user, form.reminders.data == "yes")
        if not refused:
            db.session.commit()
            flash(
                "You will get reminder emails"
                if current_user.reminder_emails
                else "You will not get reminder emails. Warnings and decisions still come to you.",
                "success",
            )
            return redirect(url_for(".show_account"))
    return render_template(
        "auth/email-preferences.html",
        form=form,
        organisations=preferences.organisations_of(current_user),
    )


@bp.route("/email-preferences/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    user = tokens.user_for_token(token)
    if user is None:
        return render_template("auth/unsubscribe-invalid.html"), 404
    refused = None
    done = False
    if request.method == "POST":
        try:
            preferences.set_reminders(user, False)
            db.session.commit()
            done = True
        except preferences.PreferenceRefused as exc:
            db.session.rollback()
            refused = str(exc)
    return render_template(
        "auth/unsubscribe.html",
        user=user,
        token=token,
        done=done or (request.method == "GET" and not user.reminder_emails),
        refused=refused,
    ), (409 if refused else 200)
