"""Contracts won from public-sector commissioners: the list, adding one through check your
answers, changing and removing it, and the social value commitments made at tender.

Members record contracts once their organisation has signed the charter; scheme staff may look
but not change anything. A contract id of another organisation is not found, whatever the slug.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models import Commissioner
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.contracts import (
    CommitmentForm,
    ContractChangeForm,
    ContractForm,
)
from charter.organisation.forms.plans import ButtonForm
from charter.refusals_on_forms import show_error, shown_on
from charter.services.domain import contract_proposals, contract_terminations, contracts, pledges
from charter.services.domain.contract_rules import ContractRules
from charter.services.domain.schemes import scheme_of
from charter.services.read_models import commitments, contract_social_value
from charter.services.read_models.contract_monitoring import figures_by_period

URL = "/<slug>/contracts"
CONTRACT_URL = f"{URL}/<int:contract_id>"


def _answers_key(organisation) -> str:
    return f"contract-answers:{organisation.id}"


def _for_recording(slug: str):
    """The member's organisation, refused with a 409 page unless it may record contracts."""
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    contracts.require_recording(organisation)
    return organisation


def _contract(organisation, contract_id: int):
    contract = contracts.contract_of(organisation, contract_id)
    if contract is None:
        abort(404)
    return contract


def _commissioner_choices(current: Commissioner | None = None) -> list[Commissioner]:
    """Active commissioners, plus a contract's own one when it has been deactivated since."""
    choices = contracts.active_commissioners()
    if current is not None and all(c.id != current.id for c in choices):
        choices.append(current)
    return choices


def _commissioner(form: ContractForm) -> Commissioner:
    return db.get_or_404(Commissioner, int(form.commissioner.data))


def _contract_fields(form: ContractForm) -> dict:
    return {
        "commissioner": _commissioner(form),
        "title": form.title.data,
        "reference": form.reference.data or None,
        "value": form.value.amount,
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
    }


def _rules(organisation) -> ContractRules:
    """The contract rules of the scheme the organisation signed (contract_rules.py)."""
    return ContractRules.of(scheme_of(organisation))


def _render_form(organisation, form, *, contract=None, commissioners):
    if contract is None:
        action = url_for(".add_contract", slug=organisation.slug)
    else:
        action = url_for(".edit_contract", slug=organisation.slug, contract_id=contract.id)
    return render_template(
        "organisation/contract-form.html",
        organisation=organisation,
        form=form,
        contract=contract,
        action=action,
        no_commissioners=not commissioners,
    )


@bp.get(URL)
@login_required
@verified_required
def list_contracts(slug: str):
    organisation, membership = organisation_for_member(slug)
    rows = contracts.contracts_of(organisation)
    can_record = membership is not None and contracts.can_record_contracts(organisation)
    return render_template(
        "organisation/contract-list.html",
        organisation=organisation,
        rows=rows,
        total_value=sum((row.contract.value for row in rows), Decimal(0)),
        can_record=can_record,
        proposals=contract_proposals.proposals_for(organisation),
        amendments=contract_proposals.amendments_for(organisation),
        terminations=contract_terminations.terminations_for(organisation),
        button=ButtonForm() if can_record else None,
    )


@bp.route(f"{URL}/new", methods=["GET", "POST"])
@login_required
@verified_required
def add_contract(slug: str):
    organisation = _for_recording(slug)
    commissioners = _commissioner_choices()
    # Coming back from check your answers to change something: the answers so far.
    saved = session.get(_answers_key(organisation)) if request.method == "GET" else None
    form = ContractForm(
        commissioners=commissioners,
        rules=_rules(organisation),
        data=_form_data(saved) if saved else None,
    )
    if form.validate_on_submit():
        session[_answers_key(organisation)] = form.answers()
        return redirect(url_for(".check_contract", slug=slug))
    return _render_form(organisation, form, commissioners=commissioners)


def _form_data(answers: dict) -> dict:
    return {
        **answers,
        "start_date": date.fromisoformat(answers["start_date"]),
        "end_date": date.fromisoformat(answers["end_date"]),
    }


@bp.route(f"{URL}/new/check-your-answers", methods=["GET", "POST"])
@login_required
@verified_required
def check_contract(slug: str):
    organisation = _for_recording(slug)
    answers = session.get(_answers_key(organisation))
    if not answers:
        return redirect(url_for(".add_contract", slug=slug))
    commissioners = _commissioner_choices()
    # Checked again: the commissioner may have been deactivated since the answers were given.
    form = ContractForm(
        rules=_rules(organisation),
        formdata=None,
        data=_form_data(answers),
        commissioners=commissioners,
        meta={"csrf": False},
    )
    if not form.validate():
        return _render_form(organisation, form, commissioners=commissioners)
    button = ButtonForm()
    if button.validate_on_submit():
        # A refusal is about the answer it names (ContractRefused.field), else the commissioner.
        with shown_on(form, "commissioner") as refused:
            contract = contracts.add_contract(
                organisation, current_user._get_current_object(), **_contract_fields(form)
            )
        if refused:
            return _render_form(organisation, form, commissioners=commissioners)
        db.session.commit()
        session.pop(_answers_key(organisation), None)
        flash(f"Contract ‘{contract.title}’ recorded.", "success")
        if pledges.offers_pledges(organisation, contract):  # next: the pledges made at tender
            return redirect(url_for(".choose_pledges", slug=slug, contract_id=contract.id))
        return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))
    return render_template(
        "organisation/contract-check.html",
        organisation=organisation,
        answers=answers,
        commissioner=_commissioner(form),
        value=form.value.amount,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        form=button,
    )


@bp.get(CONTRACT_URL)
@login_required
@verified_required
def show_contract(slug: str, contract_id: int):
    organisation, membership = organisation_for_member(slug)
    contract = _contract(organisation, contract_id)
    return render_template(
        "organisation/contract-show.html",
        organisation=organisation,
        contract=contract,
        commitments=contracts.commitments_of(contract),
        offers_pledges=pledges.offers_pledges(organisation, contract),
        pledge_text=pledges.pledge_text,
        frequency_labels=pledges.FREQUENCY_LABELS,
        next_due=pledges.next_due_of(contract),
        commitments_report=commitments.for_contract(contract),
        monitoring_periods=figures_by_period(contract),
        can_record=membership is not None and contracts.can_record_contracts(organisation),
        form=ButtonForm(),
        notice=contract_proposals.notice_of(contract),
        social_value=contract_social_value.for_contract(contract),
    )


@bp.route(f"{CONTRACT_URL}/edit", methods=["GET", "POST"])
@login_required
@verified_required
def edit_contract(slug: str, contract_id: int):
    organisation = _for_recording(slug)
    contract = _contract(organisation, contract_id)
    commissioners = _commissioner_choices(contract.commissioner)
    form = ContractChangeForm(commissioners=commissioners, rules=_rules(organisation))
    if form.validate_on_submit():
        with shown_on(form, "commissioner") as refused:
            sent_back = contracts.update_contract(
                organisation,
                contract,
                **_contract_fields(form),
                user=current_user._get_current_object(),
                version=form.version.data,
            )
        if not refused:
            message = "Contract details saved."
            if sent_back:
                commissioner_name = db.session.get(Commissioner, contract.commissioner_id).name
                message += f" We have sent it back to {commissioner_name} to confirm."
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))
    if not form.is_submitted():
        form.commissioner.data = str(contract.commissioner_id)
        form.title.data = contract.title
        form.reference.data = contract.reference or ""
        form.value.data = f"{contract.value:f}"
        form.start_date.data = contract.start_date
        form.end_date.data = contract.end_date
        form.version.data = contract.version_id
    return _render_form(organisation, form, contract=contract, commissioners=commissioners)


@bp.route(f"{CONTRACT_URL}/remove", methods=["GET", "POST"])
@login_required
@verified_required
def remove_contract(slug: str, contract_id: int):
    organisation = _for_recording(slug)
    contract = _contract(organisation, contract_id)
    form = ButtonForm()
    if form.validate_on_submit():
        title = contract.title
        contracts.remove_contract(organisation, contract)
        db.session.commit()
        flash(f"Contract ‘{title}’ removed.", "success")
        return redirect(url_for(".list_contracts", slug=slug))
    return render_template(
        "organisation/contract-remove.html",
        organisation=organisation,
        contract=contract,
        commitment_count=len(contracts.commitments_of(contract)),
        form=form,
    )


@bp.route(f"{CONTRACT_URL}/commitments/new", methods=["GET", "POST"])
@login_required
@verified_required
def add_commitment(slug: str, contract_id: int):
    organisation = _for_recording(slug)
    contract = _contract(organisation, contract_id)
    if pledges.offers_pledges(organisation, contract):  # its commitments are the toolkit's
        return redirect(url_for(".choose_pledges", slug=slug, contract_id=contract.id))
    measures = contracts.measures_for(organisation)
    form = CommitmentForm(measures=measures)
    if form.validate_on_submit():
        measure = form.chosen_measure
        try:
            with shown_on(form, "measure") as refused:
                contracts.add_commitment(
                    organisation,
                    contract,
                    measure,
                    target_value=form.target_value.amount,
                    notes=form.notes.data or None,
                )
                db.session.commit()
        except IntegrityError:
            # Lost a race with someone adding the same measure to this contract.
            db.session.rollback()
            show_error(form, "measure", contracts.duplicate_commitment_message(measure))
        else:
            if not refused:
                flash(f"Commitment for {measure.code} added.", "success")
                return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))
    return render_template(
        "organisation/contract-commitment.html",
        organisation=organisation,
        contract=contract,
        form=form,
    )


@bp.post(f"{CONTRACT_URL}/commitments/<int:commitment_id>/remove")
@login_required
@verified_required
def remove_commitment(slug: str, contract_id: int, commitment_id: int):
    organisation = _for_recording(slug)
    contract = _contract(organisation, contract_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not contracts.remove_commitment(organisation, contract, commitment_id):
        abort(404)
    db.session.commit()
    flash("Commitment removed.", "success")
    return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))
