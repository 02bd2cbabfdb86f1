"""Pledges chosen at tender (issue 21): on a contract whose commissioner takes part in a
charter with a toolkit of pledges, the supplier picks pledges from the toolkit, puts its number
in each, and says how often it reports. Each becomes one of the contract's commitments
(charter.services.domain.pledges). Members only; another organisation's contract is not found.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy.exc import IntegrityError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.forms.pledges import PledgeForm
from charter.organisation.views.contracts import CONTRACT_URL, _contract, _for_recording
from charter.refusals_on_forms import show_error, shown_on
from charter.services.domain import pledges
from charter.services.domain.contracts import duplicate_commitment_message

PLEDGES_URL = f"{CONTRACT_URL}/pledges"


def _offering(slug: str, contract_id: int):
    organisation = _for_recording(slug)
    contract = _contract(organisation, contract_id)
    if not pledges.offers_pledges(organisation, contract):
        abort(404)
    return organisation, contract


@bp.get(PLEDGES_URL)
@login_required
@verified_required
def choose_pledges(slug: str, contract_id: int):
    organisation, contract = _offering(slug, contract_id)
    toolkit = pledges.pledges_of(organisation)
    themes: dict = {}
    for measure in toolkit:
        themes.setdefault(measure.theme.title if measure.theme else "", []).append(measure)
    return render_template(
        "organisation/pledge-list.html",
        organisation=organisation,
        contract=contract,
        themes=themes,
        pledged=pledges.pledged_codes(contract),
    )


@bp.route(f"{PLEDGES_URL}/<measure_code>", methods=["GET", "POST"])
@login_required
@verified_required
def make_pledge(slug: str, contract_id: int, measure_code: str):
    organisation, contract = _offering(slug, contract_id)
    measure = next((m for m in pledges.pledges_of(organisation) if m.code == measure_code), None)
    if measure is None:
        abort(404)
    form = PledgeForm.for_pledge(measure)
    if form.validate_on_submit():
        first = form.number_fields()[0] if form.units else form.frequency
        try:
            with shown_on(form, first) as refused:
                pledges.make_pledge(
                    organisation,
                    contract,
                    measure,
                    numbers=form.numbers(),
                    frequency=form.frequency.data,
                    notes=form.notes.data or None,
                )
                db.session.commit()
        except IntegrityError:
            db.session.rollback()  # lost a race with the same pledge made on this contract
            show_error(form, form.frequency, duplicate_commitment_message(measure))
        else:
            if not refused:
                flash(f"Pledge {measure.code} made.", "success")
                return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))
    return render_template(
        "organisation/pledge-form.html",
        organisation=organisation,
        contract=contract,
        measure=measure,
        form=form,
    )
