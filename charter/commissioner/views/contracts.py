"""The contract manager's work list and contract page, and what they do there: confirm or
dispute a contract, endorse a period's figures, query one figure."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.commissioner import bp
from charter.commissioner.access import contract_for_manager, managed_ids
from charter.commissioner.forms import (
    ButtonForm,
    ConfirmContractForm,
    DisputeContractForm,
    EndorsePeriodForm,
    QueryFigureForm,
)
from charter.extensions import db
from charter.models.base import INTEGER_COLUMN_MAX
from charter.models.contract import CONTRACT_CONFIRMED
from charter.models.invitation import CONTRACT_MANAGER
from charter.refusals_on_forms import shown_on
from charter.services.domain import (
    contract_managers,
    contract_monitoring,
    contract_proposals,
    figure_endorsement,
    invitations,
)
from charter.services.domain.contract_monitoring import MonitoringRefused
from charter.services.read_models import commitments, contract_social_value
from charter.services.read_models import contract_monitoring as monitoring_reads

CONTRACT_URL = "/contracts/<int:contract_id>"


def _user():
    return current_user._get_current_object()


@bp.get("/")
@login_required
@verified_required
def list_work():
    ids = managed_ids()
    waiting = invitations.open_invitations_for(current_user.email, CONTRACT_MANAGER)
    return render_template(
        "commissioner/work-list.html",
        commissioners=contract_managers.commissioners_managed_by(_user()) if ids else [],
        work=monitoring_reads.work_list(_user(), ids),
        invitations=[(inv, invitations.token_for(inv)) for inv in waiting],
    )


def _contract_page(contract, organisation, *, confirm_form=None, status=200):
    confirm_form = confirm_form or ConfirmContractForm(version=contract.version_id)
    return render_template(
        "commissioner/contract-show.html",
        contract=contract,
        organisation=organisation,
        # The same service and partial as the supplier's contract page, its dashboard and the
        # assessor's application view, so all four show the same figures.
        commitments_report=commitments.for_contract(contract),
        periods=monitoring_reads.figures_by_period(contract),
        confirm_form=confirm_form,
        form=confirm_form,  # its errors in the page's error summary
        endorse_form=EndorsePeriodForm(),
        notice=contract_proposals.notice_of(contract),
        social_value=contract_social_value.for_contract(contract),
        button_form=ButtonForm(),
        as_manager=True,
    ), status


@bp.get(CONTRACT_URL)
@login_required
@verified_required
def show_contract(contract_id: int):
    contract, organisation = contract_for_manager(contract_id)
    return _contract_page(contract, organisation)


@bp.post(f"{CONTRACT_URL}/confirm")
@login_required
@verified_required
def confirm_contract(contract_id: int):
    contract, organisation = contract_for_manager(contract_id)
    form = ConfirmContractForm()
    if not form.validate_on_submit():
        return _contract_page(contract, organisation, confirm_form=form, status=400)
    try:
        contract_monitoring.confirm_contract(contract, _user(), form.version.data)
    except MonitoringRefused as refusal:
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(f"You confirmed ‘{contract.title}’. We have emailed {organisation.name}.", "success")
    return redirect(url_for(".show_contract", contract_id=contract.id))


@bp.route(f"{CONTRACT_URL}/dispute", methods=["GET", "POST"])
@login_required
@verified_required
def dispute_contract(contract_id: int):
    contract, organisation = contract_for_manager(contract_id)
    form = DisputeContractForm()
    if form.validate_on_submit():
        with shown_on(form, "reason") as refused:
            contract_monitoring.dispute_contract(
                contract, _user(), form.reason.data, form.version.data
            )
        if not refused:
            db.session.commit()
            flash(
                f"You disputed ‘{contract.title}’. We have emailed {organisation.name} your "
                "reason; the contract comes back to your work list when they correct it.",
                "success",
            )
            return redirect(url_for(".list_work"))
    if not form.is_submitted():
        form.version.data = contract.version_id
    return render_template(
        "commissioner/contract-dispute.html",
        contract=contract,
        organisation=organisation,
        form=form,
        was_confirmed=contract.confirmation_status == CONTRACT_CONFIRMED,
    )


@bp.post(f"{CONTRACT_URL}/periods/<int:return_id>/endorse")
@login_required
@verified_required
def endorse_period(contract_id: int, return_id: int):
    contract, organisation = contract_for_manager(contract_id)
    if not EndorsePeriodForm().validate_on_submit():
        abort(400)
    monitoring_return = (
        figure_endorsement.period_return(contract, return_id)
        if return_id <= INTEGER_COLUMN_MAX
        else None
    )
    if monitoring_return is None:
        abort(404)
    try:
        count = figure_endorsement.endorse_period(contract, monitoring_return, _user())
    except MonitoringRefused as refusal:
        flash(str(refusal), "error")
    else:
        db.session.commit()
        period = monitoring_reads.period_label(
            monitoring_return.period_start, monitoring_return.period_end
        )
        flash(
            f"You endorsed {count} figure{'s' if count != 1 else ''} for {period}. "
            f"We have emailed {organisation.name}.",
            "success",
        )
    return redirect(url_for(".show_contract", contract_id=contract.id))


@bp.route(f"{CONTRACT_URL}/figures/<int:figure_id>/query", methods=["GET", "POST"])
@login_required
@verified_required
def query_figure(contract_id: int, figure_id: int):
    contract, organisation = contract_for_manager(contract_id)
    found = (
        figure_endorsement.figure_of(contract, figure_id)
        if figure_id <= INTEGER_COLUMN_MAX
        else None
    )
    if found is None:
        abort(404)
    figure, line, monitoring_return = found
    form = QueryFigureForm()
    if form.validate_on_submit():
        with shown_on(form, "comment") as refused:
            figure_endorsement.query_figure(
                contract, figure, line, monitoring_return, _user(), form.comment.data
            )
        if not refused:
            db.session.commit()
            flash(
                f"Query sent to {organisation.name}. The figure comes back to your work list "
                "when they answer.",
                "success",
            )
            return redirect(url_for(".show_contract", contract_id=contract.id))
    return render_template(
        "commissioner/figure-query.html",
        contract=contract,
        organisation=organisation,
        figure=figure,
        measure=line.measure,
        monitoring_return=monitoring_return,
        form=form,
    )
