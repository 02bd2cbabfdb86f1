"""The annual confirmation page: an owner confirms, once a year, that the organisation still
commits to the principles, and corrects its details if they changed. An organisation that signed
before it was asked whether to publish its verified figures answers that here too; one that has
answered sees its choice, with a link to change it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.confirmation import DETAIL_FIELDS, ConfirmationForm
from charter.organisation.forms.publishing import as_answer
from charter.services.domain import confirmations, signings
from charter.services.domain.schemes import principles_of, scheme_of
from workflows.lifecycle import TransitionRefused


@bp.route("/<slug>/confirm-commitment", methods=["GET", "POST"])
@login_required
@verified_required
def confirm_commitment(slug: str):
    organisation, _membership = organisation_for_member(slug, owner_only=True)
    pending = confirmations.open_confirmation(organisation)
    scheme = scheme_of(organisation)
    form = ConfirmationForm(
        formdata=request.form if request.method == "POST" else None,
        **{name: getattr(organisation, name) for name in DETAIL_FIELDS},
    )
    signing = signings.signing_of(organisation)
    asks_publishing = signing is None or signing.publishes_figures_decided_at is None
    if not asks_publishing:
        del form.publish
    if pending is not None and form.validate_on_submit():
        for name in DETAIL_FIELDS:
            setattr(organisation, name, getattr(form, name).data or None)
        publishes = as_answer(form.publish.data) if asks_publishing else None
        try:
            confirmations.confirm(organisation, current_user, publishes_figures=publishes)
            db.session.commit()
        except (TransitionRefused, StaleDataError) as exc:
            db.session.rollback()
            message = getattr(exc, "reason", "Someone else changed the organisation meanwhile.")
            flash(message, "error")
            return redirect(url_for(".confirm_commitment", slug=slug))
        flash("Thank you: the commitment is confirmed for another year", "success")
        return redirect(url_for(".show_dashboard", slug=slug))
    return render_template(
        "organisation/confirm-commitment.html",
        organisation=organisation,
        pending=pending,
        last=confirmations.last_confirmed(organisation) if pending is None else None,
        principles=principles_of(scheme) if scheme else [],
        form=form,
        asks_publishing=asks_publishing,
    )
