"""What a contract manager decides on a contract's social value after award (issue 21): accept
or refuse a supplier's alternative commitment (accepted only when worth at least the original by
the proxy values in force), and record a service credit where the charter applies them."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from charter.auth.decorators import verified_required
from charter.commissioner import bp
from charter.commissioner.access import contract_for_manager
from charter.commissioner.forms import ButtonForm, RefuseAlternativeForm, ServiceCreditForm
from charter.commissioner.views.contracts import CONTRACT_URL
from charter.extensions import db
from charter.formatting import format_money
from charter.models.base import INTEGER_COLUMN_MAX
from charter.refusals_on_forms import shown_on
from charter.services.domain import commitment_alternatives, service_credits
from charter.services.domain.commitment_alternatives import AlternativeRefused

ALTERNATIVE_URL = f"{CONTRACT_URL}/alternatives/<int:alternative_id>"


def _user():
    return current_user._get_current_object()


def _alternative(contract, alternative_id: int):
    found = (
        commitment_alternatives.alternative_of(contract, alternative_id)
        if alternative_id <= INTEGER_COLUMN_MAX
        else None
    )
    if found is None:
        abort(404)
    return found


def _back(contract):
    return redirect(url_for(".show_contract", contract_id=contract.id, _anchor="alternatives"))


@bp.post(f"{ALTERNATIVE_URL}/accept")
@login_required
@verified_required
def accept_alternative(contract_id: int, alternative_id: int):
    contract, organisation = contract_for_manager(contract_id)
    alternative = _alternative(contract, alternative_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    codes = alternative.measure.code, alternative.original.measure.code
    try:
        commitment_alternatives.accept(contract, organisation, alternative, _user(), date.today())
        db.session.commit()
    except AlternativeRefused as refusal:
        flash(str(refusal), "error")
    except IntegrityError:  # another contract manager accepted it at the same moment
        db.session.rollback()
        flash("This alternative was already accepted: nothing changed", "error")
    else:
        flash(
            f"You accepted {codes[0]} in place of {codes[1]}. We have emailed {organisation.name}.",
            "success",
        )
    return _back(contract)


@bp.route(f"{ALTERNATIVE_URL}/refuse", methods=["GET", "POST"])
@login_required
@verified_required
def refuse_alternative(contract_id: int, alternative_id: int):
    contract, organisation = contract_for_manager(contract_id)
    alternative = _alternative(contract, alternative_id)
    form = RefuseAlternativeForm()
    codes = alternative.measure.code, alternative.original.measure.code
    if form.validate_on_submit():
        with shown_on(form, "reason") as refused:
            commitment_alternatives.refuse(
                contract, organisation, alternative, _user(), form.reason.data, date.today()
            )
        if not refused:
            db.session.commit()
            flash(
                f"You refused the alternative {codes[0]}: the {codes[1]} commitment stands. "
                f"We have emailed {organisation.name} your reason.",
                "success",
            )
            return _back(contract)
    return render_template(
        "commissioner/alternative-refuse.html",
        contract=contract,
        organisation=organisation,
        alternative=alternative,
        valuation=commitment_alternatives.valuation(alternative, date.today()),
        form=form,
    )


@bp.route(f"{CONTRACT_URL}/service-credits/new", methods=["GET", "POST"])
@login_required
@verified_required
def record_service_credit(contract_id: int):
    contract, organisation = contract_for_manager(contract_id)
    scheme = service_credits.scheme_for_credits(contract)
    if scheme is None:
        abort(404)
    form = ServiceCreditForm()
    if form.validate_on_submit():
        with shown_on(form, "amount") as refused:
            credit = service_credits.record_credit(
                contract,
                organisation,
                _user(),
                amount=form.amount.amount,
                reason=form.reason.data,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                today=date.today(),
            )
        if not refused:
            message = (
                f"You recorded a service credit of {format_money(credit.amount)} against "
                f"‘{contract.title}’. We have emailed {organisation.name}."
            )
            db.session.commit()
            flash(
                message,
                "success",
            )
            return redirect(
                url_for(".show_contract", contract_id=contract.id, _anchor="service-credits")
            )
    return render_template(
        "commissioner/service-credit.html",
        contract=contract,
        organisation=organisation,
        scheme=scheme,
        form=form,
    )
