"""Accounts: create, confirm, sign in and out, change and reset a password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from charter.auth import bp, throttle
from charter.auth.forms import (
    ButtonForm,
    ChangePasswordForm,
    CreateAccountForm,
    EmailAddressForm,
    ResetPasswordForm,
    SignInForm,
)
from charter.auth.user_loader import end_all_sessions, keep_this_session
from charter.extensions import db, limiter
from charter.services.domain import accounts

SIGN_IN_FAILED = "Enter a correct email address and password"
CURRENT_PASSWORD_WRONG = "Your current password is not correct"
ROLE_LABELS = {
    "member": "Organisation member",
    "assessor": "Assessor",
    "admin": "Scheme administrator",
}
# Where the "check your email" pages find the address the person typed.
SESSION_EMAIL_SENT_TO = "email_sent_to"
# The address to put in the sign-in form after an emailed link (never in the URL or logs).
SESSION_SIGN_IN_EMAIL = "sign_in_email"
# Pages that send email are throttled per IP so they cannot be used to flood an inbox.
DEFAULT_EMAIL_SENDING_LIMIT = "20 per 10 minutes"


def _email_sending_limit() -> str:
    return current_app.config.get("EMAIL_SENDING_LIMIT_PER_IP", DEFAULT_EMAIL_SENDING_LIMIT)


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _after_sign_in_url() -> str:
    from charter.services.domain.contract_managers import lands_on_work_list

    next_url = safe_next_url(request.args.get("next"))
    if next_url:
        return next_url
    if current_user.is_authenticated and lands_on_work_list(current_user):
        return url_for("commissioner.list_work")
    return url_for("organisation.list_organisations")


# --- Sign in and out -----------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_IP"],
    methods=["POST"],
    deduct_when=throttle.failed_attempt,
    exempt_when=throttle.password_is_correct,
)
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
    key_func=throttle.address_and_account,
    methods=["POST"],
    deduct_when=throttle.failed_attempt,
    exempt_when=throttle.no_account_submitted,
)
def sign_in():
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(_after_sign_in_url())
    form = SignInForm()
    if request.method == "GET" and session.get(SESSION_SIGN_IN_EMAIL):
        form.email.data = session.pop(SESSION_SIGN_IN_EMAIL)
    if form.validate_on_submit():
        user = throttle.authenticated_user(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()  # keeps an upgraded password hash
            # A fresh session, so an identifier planted before sign-in is worth nothing.
            session.clear()
            login_user(user)
            return redirect(_after_sign_in_url())
        form.email.errors.append(SIGN_IN_FAILED)
    return render_template("auth/sign-in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        # Server-side: a copy of this session's cookie stops working too.
        end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("public.show_home"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """For a person who signed in on a shared or lost device: every session ends, this one
    included."""
    form = ButtonForm()
    if not form.validate_on_submit():
        return redirect(url_for(".show_account"))
    end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out on every device. Sign in again to carry on.", "success")
    return redirect(url_for(".sign_in"))


# --- Creating and confirming an account ----------------------------------------------------


@bp.route("/create-account", methods=["GET", "POST"])
@limiter.limit(_email_sending_limit, methods=["POST"])
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
@limiter.limit(_email_sending_limit, methods=["POST"])
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


# --- Your account and your password --------------------------------------------------------


@bp.get("/account")
@login_required
def show_account():
    return render_template(
        "auth/account.html",
        user=current_user,
        role_label=ROLE_LABELS.get(current_user.role, current_user.role),
        sign_out_everywhere_form=ButtonForm(),
    )


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
@limiter.limit(_email_sending_limit, methods=["POST"])
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
