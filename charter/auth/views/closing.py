"""Closing your own account: a check-your-answers page, then the account closes at once.

The service (charter/services/domain/account_closing.py) decides whether it may close and does
it; an only owner of an organisation still taking part is sent to pass ownership on first.
"""

from __future__ import annotations

from flask import render_template, session
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.auth import bp
from charter.auth.forms.closing import CloseAccountForm
from charter.extensions import db
from charter.models import Membership
from charter.services.domain import account_closing, accounts

PASSWORD_WRONG = "Your password is not correct"


def _memberships():
    return db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.organisation))
        .where(Membership.user_id == current_user.id)
        .order_by(Membership.id)
    ).all()


@bp.route("/account/close", methods=["GET", "POST"])
@login_required
def close_account():
    problem = account_closing.refusal(current_user)
    if problem:
        return render_template(
            "auth/close-account-refused.html",
            problem=problem,
            organisations=account_closing.organisations_to_hand_on(current_user),
        )
    form = CloseAccountForm()
    if form.validate_on_submit():
        if not accounts.check_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(PASSWORD_WRONG)
        else:
            account_closing.close_account(current_user, reason=account_closing.REASON_OWN_REQUEST)
            db.session.commit()
            logout_user()
            session.clear()
            return render_template("auth/account-closed.html")
    return render_template("auth/close-account.html", form=form, memberships=_memberships())
