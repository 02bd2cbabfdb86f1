"""A supplier that cannot deliver a commitment proposes an alternative of equal value (issue 21,
Cheshire West and Chester's Social Value Policy); the commissioner's contract manager decides
(charter/commissioner/views/social_value.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models import ContractCommitment
from charter.models.base import INTEGER_COLUMN_MAX
from charter.organisation import bp
from charter.organisation.forms.contract_alternatives import AlternativeForm
from charter.organisation.views.contracts import CONTRACT_URL, _contract, _for_recording
from charter.refusals_on_forms import shown_on
from charter.services.domain import commitment_alternatives, contracts


def _commitment(contract, commitment_id: int) -> ContractCommitment:
    found = (
        db.session.scalar(
            select(ContractCommitment)
            .options(joinedload(ContractCommitment.measure))
            .where(
                ContractCommitment.id == commitment_id,
                ContractCommitment.contract_id == contract.id,
            )
        )
        if commitment_id <= INTEGER_COLUMN_MAX
        else None
    )
    if found is None:
        abort(404)
    return found


@bp.route(f"{CONTRACT_URL}/commitments/<int:commitment_id>/alternative", methods=["GET", "POST"])
@login_required
@verified_required
def propose_alternative(slug: str, contract_id: int, commitment_id: int):
    organisation = _for_recording(slug)
    contract = _contract(organisation, contract_id)
    original = _commitment(contract, commitment_id)
    form = AlternativeForm(measures=contracts.measures_for(organisation))
    if form.validate_on_submit():
        with shown_on(form, "measure") as refused:
            commitment_alternatives.propose(
                organisation,
                contract,
                original,
                form.chosen_measure,
                target_value=form.target_value.amount,
                reason=form.reason.data,
                user=current_user._get_current_object(),
            )
        if not refused:
            code, commissioner = original.measure.code, contract.commissioner.name
            db.session.commit()
            flash(
                f"Alternative to {code} proposed. We have emailed {commissioner}’s contract "
                "managers to decide.",
                "success",
            )
            return redirect(
                url_for(
                    ".show_contract", slug=slug, contract_id=contract.id, _anchor="alternatives"
                )
            )
    return render_template(
        "organisation/commitment-alternative.html",
        organisation=organisation,
        contract=contract,
        original=original,
        form=form,
    )
