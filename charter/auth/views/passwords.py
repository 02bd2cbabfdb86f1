"""Changing your password, and resetting a forgotten one by an emailed link."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from charter.auth import bp, throttle
from charter.auth.email_sending import SESSION_EMAIL_SENT_TO, email_sending_limit
from charter.auth.forms.passwords import ChangePasswordForm, ResetPasswordForm
from charter.auth.forms.shared import EmailAddressForm
from charter.auth.user_loader import end_all_sessions, keep_this_session
from charter.extensions import db, limiter
from charter.services.domain import accounts

CURRENT_PASSWORD_WRONG = "Your current password is not correct"


@bp.route("/account/change-password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
    key_func=lambda: f"user:{current_user.get_id()}",
    methods=["POST"],
    deduct_when=throttle.failed_attempt,
)
def change_password():
    form = ChangePasswordForm(email=current_user.email)
    if form.validate_on_submit():
        if accounts.check_password(current_user.password_hash, form.current_password.data):
            accounts.change_password(current_user, form.password.data)
            # This session carries on; every other one ends.
            end_all_sessions(current_user)
            db.session.commit()
            keep_this_session(current_user)
            flash("Your password has been changed", "success")
            return redirect(url_for(".show_account"))
        form.current_password.errors.append(CURRENT_PASSWORD_WRONG)
    return render_template("auth/change-password.html", form=form)


@bp.route("/forgotten-password", methods=["GET", "POST"])
@limiter.limit(email_sending_limit, methods=["POST"])
def request_password_reset():
    form = EmailAddressForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        session[SESSION_EMAIL_SENT_TO] = form.email.data
        return redirect(url_for(".show_password_reset_sent"))
    return render_template("auth/forgotten-password.html", form=form)


@bp.get("/forgotten-password/check-your-email")
def show_password_reset_sent():
    return render_template(
        "auth/password-reset-sent.html",
        email=session.get(SESSION_EMAIL_SENT_TO),
        max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    result = accounts.user_for_reset_token(token)
    if result.user is None:
        return render_template("auth/reset-link-invalid.html", problem=result.problem)
    form = ResetPasswordForm(email=result.user.email)
    if form.validate_on_submit():
        accounts.reset_password(result.user, form.password.data)
        end_all_sessions(result.user)
        db.session.commit()
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for(".sign_in"))
    return render_template("auth/reset-password.html", form=form)
