"""A commissioner's contract managers, as administrators see them: the list, invitations by
email (sent as every kind of invitation is: charter.services.domain.invitations), cancelling an
invitation and removing a manager. The person accepts at charter/commissioner/views/invitations.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.admin import bp
from charter.admin.scope import may_use
from charter.auth.decorators import acting_charter_id
from charter.commissioner.forms import ButtonForm, InviteContractManagerForm
from charter.extensions import db
from charter.models import Commissioner
from charter.models.base import INTEGER_COLUMN_MAX
from charter.models.invitation import CONTRACT_MANAGER
from charter.refusals_on_forms import shown_on
from charter.services.domain import (
    charter_commissioners,
    contract_managers,
    contract_proposals,
    invitation_tokens,
    invitations,
)
from charter.services.domain.contract_managers import ContractManagerRefused

URL = "/commissioners/<int:commissioner_id>"


def _commissioner(commissioner_id: int) -> Commissioner:
    """The commissioner, whichever charters it takes part in (the service's pages)."""
    if not 0 < commissioner_id <= INTEGER_COLUMN_MAX:
        abort(404)
    return db.get_or_404(Commissioner, commissioner_id)


def _commissioner_here(commissioner_id: int) -> Commissioner:
    """The commissioner, if it takes part in the charter the administrator acts in: its
    contract managers are that charter's administrators' to manage; another charter's
    commissioner is not found (a service administrator reaches it through that charter)."""
    commissioner = _commissioner(commissioner_id)
    if commissioner.id not in charter_commissioners.taking_part(acting_charter_id()):
        abort(404)
    return commissioner


def _back(commissioner: Commissioner):
    return redirect(url_for("admin.show_commissioner", commissioner_id=commissioner.id))


@bp.get(URL)
def show_commissioner(commissioner_id: int):
    commissioner = _commissioner_here(commissioner_id)
    return render_template(
        "admin/commissioner-show.html",
        commissioner=commissioner,
        managers=contract_managers.active_managers_of(commissioner),
        invitations=invitations.open_invitations_to(CONTRACT_MANAGER, commissioner),
        is_expired=invitation_tokens.is_expired,
        button=ButtonForm(),
        buyer_identifiers=contract_proposals.buyer_identifiers_of(commissioner),
        may_change_commissioner=may_use("admin.add_buyer_identifier"),
    )


@bp.route(f"{URL}/contract-managers/invite", methods=["GET", "POST"])
def invite_contract_manager(commissioner_id: int):
    commissioner = _commissioner_here(commissioner_id)
    form = InviteContractManagerForm()
    if form.validate_on_submit():
        with shown_on(form, "email") as refused:
            invitations.invite(CONTRACT_MANAGER, commissioner, form.email.data, current_user)
        if not refused:
            db.session.commit()
            flash(f"Invitation sent to {form.email.data}", "success")
            return _back(commissioner)
    return render_template(
        "admin/contract-manager-invite.html", commissioner=commissioner, form=form
    )


@bp.post(f"{URL}/contract-managers/invitations/<int:invitation_id>/cancel")
def cancel_contract_manager_invitation(commissioner_id: int, invitation_id: int):
    commissioner = _commissioner_here(commissioner_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    invitation = (
        invitations.cancel(CONTRACT_MANAGER, commissioner, invitation_id)
        if invitation_id <= INTEGER_COLUMN_MAX
        else None
    )
    if invitation is None:
        abort(404)
    db.session.commit()
    flash(f"Invitation to {invitation.email} cancelled", "success")
    return _back(commissioner)


@bp.post(f"{URL}/contract-managers/<int:manager_id>/remove")
def remove_contract_manager(commissioner_id: int, manager_id: int):
    commissioner = _commissioner_here(commissioner_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if manager_id > INTEGER_COLUMN_MAX:
        abort(404)
    try:
        user = contract_managers.remove_manager(commissioner, manager_id)
    except ContractManagerRefused as refusal:
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(
            f"{user.full_name} is no longer a contract manager for {commissioner.name}", "success"
        )
    return _back(commissioner)
