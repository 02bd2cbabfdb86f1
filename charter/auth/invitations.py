"""The one page that opens and accepts an invitation, of any kind (templates/invitations/).

Each kind keeps the URL its emails have always linked to, as a thin route to ``accept_page``
(the organisation and commissioner blueprints), so every link already sent still works. A URL
opens only its own kind of invitation: any other token there is a broken link.

The order of the checks: a broken or too old link; an invitation no longer open; someone not
signed in (the route may send them to sign in first, as an organisation's does) is told how to
sign in or create an account with the invited address; an unconfirmed account confirms first;
the wrong account is told so; then the invited person accepts.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from charter.auth.forms.shared import ButtonForm
from charter.extensions import db
from charter.models.invitation import CONTRACT_MANAGER, MEMBER
from charter.services.domain import invitation_tokens, invitations
from charter.services.domain.invitation_tokens import InvitationLinkError
from charter.services.domain.invitations import InvitationRefused


def _joined(organisation) -> tuple[str, str]:
    url = url_for("organisation.show_dashboard", slug=organisation.slug)
    return url, f"You are now a member of {organisation.name}"


def _managing(commissioner) -> tuple[str, str]:
    message = (
        f"You are a contract manager for {commissioner.name}. "
        "Contracts and figures waiting for you are below."
    )
    return url_for("commissioner.list_work"), message


# Per kind, from what was accepted: where accepting takes the person, and what it tells them.
AFTER = {MEMBER: _joined, CONTRACT_MANAGER: _managing}


def _page(name: str, kind: str, invitation=None, status: int = 200, **context):
    return render_template(
        f"invitations/{name}.html", kind=kind, invitation=invitation, **context
    ), status


def _unavailable(kind: str, reason: str, invitation=None):
    status = 404 if reason == "invalid" else 410
    return _page("unavailable", kind, invitation, status, reason=reason)


def accept_page(token: str, kind: str):
    """GET shows the invitation (or why it cannot be accepted); POST accepts it."""
    try:
        invitation = invitations.from_token(token)
    except InvitationLinkError as error:
        return _unavailable(kind, "expired" if error.expired else "invalid")
    if invitation.kind != kind:
        return _unavailable(kind, "invalid")
    reason = invitation_tokens.unavailable_reason(invitation)
    if reason is not None:
        return _unavailable(kind, reason, invitation)
    if not current_user.is_authenticated:
        sign_in_url = url_for("auth.sign_in", next=request.path)
        return _page("sign-in", kind, invitation, sign_in_url=sign_in_url)
    if not current_user.is_verified:
        return redirect(url_for("auth.confirm_email_address"))
    if invitation.email.lower() != current_user.email.lower():
        return _page("wrong-account", kind, invitation, 403)
    form = ButtonForm()
    if not form.validate_on_submit():
        return _page("accept", kind, invitation, form=form)
    # Read before the commit expires the invitation.
    next_url, message = AFTER[kind](invitation.target)
    user = current_user._get_current_object()
    try:
        invitations.accept(invitation, user)
        db.session.commit()
    except InvitationRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(request.path)
    except IntegrityError:
        # Accepted twice at once: the other request gave them what it gives.
        db.session.rollback()
        if not invitations.holds(invitation, user):
            raise
    flash(message, "success")
    return redirect(next_url)
