"""Proposed contracts from published notices (issue 22, docs/ocds.md): a member accepts one,
and it becomes an ordinary contract waiting for its commissioner's contract manager, or
declines it; a change a later notice publishes to an accepted one is accepted (the contract
changes as by the member's own edit, back to the contract manager if confirmed) or declined;
so is a termination a later notice publishes (the contract then ends on its date).
Shown on the contracts page (contracts.py); a proposal of another organisation, or one already
answered, is not found."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.formatting import format_date
from charter.organisation import bp
from charter.organisation.forms.contract_proposals import ContractChangeAnswerForm
from charter.organisation.forms.plans import ButtonForm
from charter.organisation.views.contracts import URL, _for_recording
from charter.services.domain import contract_proposals, contract_terminations
from charter.services.domain.refusals import Refused

PROPOSAL_URL = f"{URL}/proposed/<int:proposal_id>"
CHANGE_URL = f"{URL}/published-changes/<int:proposal_id>"
TERMINATION_URL = f"{URL}/published-terminations/<int:proposal_id>"


def _proposal(organisation, proposal_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    proposal = contract_proposals.proposal_of(organisation, proposal_id)
    if proposal is None:
        abort(404)
    return proposal


@bp.post(f"{PROPOSAL_URL}/accept")
@login_required
@verified_required
def accept_proposed_contract(slug: str, proposal_id: int):
    organisation = _for_recording(slug)
    proposal = _proposal(organisation, proposal_id)
    try:
        contract = contract_proposals.accept(organisation, proposal, current_user)
    except Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(".list_contracts", slug=slug))
    db.session.commit()
    flash(
        f"Contract ‘{contract.title}’ added from the published notice. Add the social value "
        "you committed to in your tender; the commissioner’s contract manager will confirm it.",
        "success",
    )
    return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))


@bp.post(f"{PROPOSAL_URL}/decline")
@login_required
@verified_required
def decline_proposed_contract(slug: str, proposal_id: int):
    organisation = _for_recording(slug)
    proposal = _proposal(organisation, proposal_id)
    contract_proposals.decline(organisation, proposal, current_user)
    db.session.commit()
    flash(f"‘{proposal.title}’ declined: it will not be proposed again.", "success")
    return redirect(url_for(".list_contracts", slug=slug))


def _answered(find, organisation, proposal_id: int) -> tuple:
    """The published change or termination being answered (``find`` looks it up among the
    organisation's own), and the answer's form: 400 for a form without its version, 404 for
    another organisation's or a finished one."""
    form = ContractChangeAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    row = find(organisation, proposal_id)
    if row is None:
        abort(404)
    return row, form


@bp.post(f"{CHANGE_URL}/accept")
@login_required
@verified_required
def accept_contract_change(slug: str, proposal_id: int):
    organisation = _for_recording(slug)
    row, form = _answered(contract_proposals.amendment_of, organisation, proposal_id)
    try:
        action = contract_proposals.accept_amendment(
            organisation, row, current_user, form.version.data
        )
    except Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(".list_contracts", slug=slug))
    contract_id = row.contract_id
    db.session.commit()
    again = " It goes back to the commissioner’s contract manager to confirm." if action else ""
    flash(f"Contract changed as the published notice says.{again}", "success")
    return redirect(url_for(".show_contract", slug=slug, contract_id=contract_id))


@bp.post(f"{CHANGE_URL}/decline")
@login_required
@verified_required
def decline_contract_change(slug: str, proposal_id: int):
    organisation = _for_recording(slug)
    row, _form = _answered(contract_proposals.amendment_of, organisation, proposal_id)
    contract_proposals.decline_amendment(organisation, row, current_user)
    db.session.commit()
    flash("Published change declined: your contract stays as it is.", "success")
    return redirect(url_for(".list_contracts", slug=slug))


@bp.post(f"{TERMINATION_URL}/accept")
@login_required
@verified_required
def accept_contract_termination(slug: str, proposal_id: int):
    organisation = _for_recording(slug)
    row, form = _answered(contract_terminations.termination_of, organisation, proposal_id)
    try:
        action = contract_terminations.accept_termination(
            organisation, row, current_user, form.version.data
        )
    except Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(".list_contracts", slug=slug))
    contract_id, ended = row.contract_id, row.termination_date
    db.session.commit()
    again = " It goes back to the commissioner’s contract manager to confirm." if action else ""
    flash(
        f"Contract ended on {format_date(ended)}, as the termination notice says.{again}",
        "success",
    )
    return redirect(url_for(".show_contract", slug=slug, contract_id=contract_id))


@bp.post(f"{TERMINATION_URL}/decline")
@login_required
@verified_required
def decline_contract_termination(slug: str, proposal_id: int):
    organisation = _for_recording(slug)
    row, _form = _answered(contract_terminations.termination_of, organisation, proposal_id)
    contract_terminations.decline_termination(organisation, row, current_user)
    db.session.commit()
    flash("Published termination declined: your contract stays as it is.", "success")
    return redirect(url_for(".list_contracts", slug=slug))
