"""Creating an account and confirming its email address."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user
from sqlalchemy.exc import IntegrityError

from charter.auth import bp
from charter.auth.email_sending import (
    SESSION_EMAIL_SENT_TO,
    SESSION_SIGN_IN_EMAIL,
    email_sending_limit,
)
from charter.auth.forms.create_account import CreateAccountForm
from charter.auth.forms.shared import ButtonForm, EmailAddressForm
from charter.extensions import db, limiter
from charter.services.domain import accounts


@bp.route("/create-account", methods=["GET", "POST"])
@limiter.limit(email_sending_limit, methods=["POST"])
def create_account():
    if current_user.is_authenticated:
        return redirect(url_for(".show_account"))
    form = CreateAccountForm()
    if form.validate_on_submit():
        accounts.create_account(form.full_name.data, form.email.data, form.password.data)
        try:
            db.session.commit()
        except IntegrityError:
            # The same address was registered a moment ago: answer as for any taken address.
            db.session.rollback()
        session[SESSION_EMAIL_SENT_TO] = form.email.data
        return redirect(url_for(".show_check_email"))
    return render_template("auth/create-account.html", form=form)


@bp.get("/create-account/check-your-email")
def show_check_email():
    return render_template(
        "auth/check-email.html",
        email=session.get(SESSION_EMAIL_SENT_TO),
        max_age_hours=current_app.config["EMAIL_VERIFY_MAX_AGE"] // 3600,
    )


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    result = accounts.user_for_verification_token(token)
    if result.user is None:
        form = ButtonForm() if current_user.is_authenticated else EmailAddressForm()
        return render_template(
            "auth/verify-email-failed.html",
            problem=result.problem,
            form=form,
            signed_in=current_user.is_authenticated,
        )
    user = result.user
    newly_confirmed = not user.is_verified
    if newly_confirmed:
        accounts.mark_email_verified(user)
        db.session.commit()
    confirmed = "Your email address is " + ("confirmed" if newly_confirmed else "already confirmed")
    if current_user.is_authenticated:
        flash(confirmed, "success")
        return redirect(url_for(".show_account"))
    if newly_confirmed and _signed_up_in_this_browser(user):
        # Sign the person in (issue 11: "sign in again from an empty form" after confirming).
        # Only the first use of the link, and only in the browser where the account was just
        # created (or the link re-sent) for this address: that browser typed the password, and
        # the link proves the mailbox. A link opened anywhere else, or again, signs no one in.
        session.clear()
        login_user(user)
        flash(f"{confirmed}. You are signed in.", "success")
        return redirect(url_for("organisation.list_organisations"))
    flash(f"{confirmed}. Sign in to continue.", "success")
    session[SESSION_SIGN_IN_EMAIL] = user.email
    return redirect(url_for(".sign_in"))


def _signed_up_in_this_browser(user) -> bool:
    sent_to = session.get(SESSION_EMAIL_SENT_TO) or ""
    return sent_to.strip().lower() == user.email.lower()


@bp.route("/resend-verification-email", methods=["GET", "POST"])
@limiter.limit(email_sending_limit, methods=["POST"])
def resend_verification():
    signed_in = current_user.is_authenticated
    if signed_in and current_user.is_verified:
        flash("Your email address is already confirmed", "success")
        return redirect(url_for(".show_account"))
    form = ButtonForm() if signed_in else EmailAddressForm()
    if form.validate_on_submit():
        email = current_user.email if signed_in else form.email.data
        accounts.resend_verification(email)
        db.session.commit()
        session[SESSION_EMAIL_SENT_TO] = email
        return redirect(url_for(".show_check_email"))
    return render_template("auth/resend-verification.html", form=form, signed_in=signed_in)


@bp.get("/confirm-your-email-address")
@login_required
def confirm_email_address():
    """Where ``verified_required`` sends someone who has not confirmed their address yet."""
    if current_user.is_verified:
        return redirect(url_for("organisation.list_organisations"))
    return render_template(
        "auth/confirm-email-address.html",
        form=ButtonForm(),
        email=current_user.email,
        signed_in=True,
    )
