"""Commissioners' queries about the organisation's per-contract figures, and the answers.

Only members answer (scheme staff may read the list). An answered query goes back to the
commissioner's contract managers, who endorse the figure or ask again.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from charter.auth.decorators import verified_required
from charter.commissioner.forms import AnswerQueryForm
from charter.extensions import db
from charter.models import Contract, ContractFigure
from charter.models.base import INTEGER_COLUMN_MAX
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.refusals_on_forms import shown_on
from charter.services.domain import contracts, figure_endorsement
from charter.services.read_models.contract_monitoring import queries_of

URL = "/<slug>/figure-queries"


@bp.get(URL)
@login_required
@verified_required
def list_figure_queries(slug: str):
    organisation, membership = organisation_for_member(slug)
    return render_template(
        "organisation/figure-query-list.html",
        organisation=organisation,
        queries=queries_of(organisation),
        is_member=membership is not None,
    )


def _queried_figure(organisation, figure_id: int):
    if not 0 < figure_id <= INTEGER_COLUMN_MAX:
        abort(404)
    contract_id = db.session.scalar(
        select(ContractFigure.contract_id)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .where(ContractFigure.id == figure_id, Contract.organisation_id == organisation.id)
    )
    contract = contracts.contract_of(organisation, contract_id) if contract_id else None
    found = figure_endorsement.figure_of(contract, figure_id) if contract else None
    if found is None:
        abort(404)
    return contract, *found


@bp.route(f"{URL}/<int:figure_id>", methods=["GET", "POST"])
@login_required
@verified_required
def answer_figure_query(slug: str, figure_id: int):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    contract, figure, line, monitoring_return = _queried_figure(organisation, figure_id)
    if figure.endorsement_status != "queried":
        flash(f"{contract.commissioner.name} has no open query about this figure.")
        return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))
    form = AnswerQueryForm()
    if form.validate_on_submit():
        with shown_on(form, "response") as refused:
            figure_endorsement.answer_query(
                organisation,
                contract,
                figure,
                line,
                monitoring_return,
                current_user._get_current_object(),
                form.response.data,
            )
        if not refused:
            commissioner_name = contract.commissioner.name
            db.session.commit()
            flash(
                f"Your answer was sent to {commissioner_name}. We will email you if they "
                "ask again.",
                "success",
            )
            return redirect(url_for(".show_contract", slug=slug, contract_id=contract.id))
    if not form.is_submitted() and figure.supplier_response:
        form.response.data = figure.supplier_response
    return render_template(
        "organisation/figure-query-answer.html",
        organisation=organisation,
        contract=contract,
        figure=figure,
        measure=line.measure,
        monitoring_return=monitoring_return,
        form=form,
    )
