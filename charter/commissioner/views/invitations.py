"""Accepting an invitation to be a commissioner's contract manager.

The link opens without signing in, so a person with no account is told to create one with the
invited address and come back; accepting needs a signed-in, confirmed account with that address.
Once they have an account, signing in takes a person with nothing else to do to their work
list, which lists their open invitations.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from charter.commissioner import bp
from charter.commissioner.forms import ButtonForm
from charter.extensions import db
from charter.services.domain import contract_managers, organisations
from charter.services.domain.contract_managers import ContractManagerRefused
from charter.services.domain.organisations import InvitationLinkError


def _unavailable(reason: str, invitation=None, status: int = 410):
    return render_template(
        "commissioner/invitation-unavailable.html",
        reason=reason,
        commissioner=invitation.commissioner if invitation is not None else None,
    ), status


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = contract_managers.invitation_from_token(token)
    except InvitationLinkError as error:
        if error.expired:
            return _unavailable("expired")
        return _unavailable("invalid", status=404)
    if not invitation.is_open or organisations.is_expired(invitation):
        if invitation.accepted_at is not None:
            return _unavailable("accepted", invitation)
        if invitation.cancelled_at is not None:
            return _unavailable("cancelled", invitation)
        return _unavailable("expired", invitation)
    if not current_user.is_authenticated:
        return render_template(
            "commissioner/invitation-sign-in.html",
            invitation=invitation,
            sign_in_url=url_for("auth.sign_in", next=request.path),
        )
    if not current_user.is_verified:
        return redirect(url_for("auth.confirm_email_address"))
    if invitation.email.lower() != current_user.email.lower():
        return render_template(
            "commissioner/invitation-wrong-account.html", invitation=invitation
        ), 403
    form = ButtonForm()
    if form.validate_on_submit():
        name = invitation.commissioner.name  # read before the commit expires it
        try:
            contract_managers.accept(invitation, current_user._get_current_object())
            db.session.commit()
        except ContractManagerRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            return redirect(url_for(".list_work"))
        except IntegrityError:
            # Accepted twice at once: the other request made the contract manager.
            db.session.rollback()
        flash(
            f"You are a contract manager for {name}. "
            "Contracts and figures waiting for you are below.",
            "success",
        )
        return redirect(url_for(".list_work"))
    return render_template("commissioner/invitation-accept.html", invitation=invitation, form=form)
