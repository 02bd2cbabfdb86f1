"""Signing in and out, and signing out everywhere else."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from charter.auth import bp, throttle
from charter.auth.email_sending import SESSION_SIGN_IN_EMAIL
from charter.auth.forms.shared import ButtonForm
from charter.auth.forms.sign_in import SignInForm
from charter.auth.user_loader import end_all_sessions
from charter.extensions import db, limiter

SIGN_IN_FAILED = "Enter a correct email address and password"


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
