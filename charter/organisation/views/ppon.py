"""An organisation's Public Procurement Organisation Number (issue 22, docs/ocds.md): a member
records or removes it, and awards in published notices naming it are matched to the
organisation again straight away (charter.services.domain.ppon)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.plans import ButtonForm
from charter.organisation.forms.ppon import PponForm
from charter.refusals_on_forms import show_error, shown_on
from charter.services.domain import ppon

URL = "/<slug>/ppon"


def _matched(outcomes: dict[str, int]) -> str:
    proposed = outcomes.get("proposed", 0)
    if not proposed:
        return ""
    return (
        f" {proposed} contract{'' if proposed == 1 else 's'} from published notices "
        f"{'is' if proposed == 1 else 'are'} now proposed on your contracts page."
    )


@bp.route(URL, methods=["GET", "POST"])
@login_required
@verified_required
def edit_ppon(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    form = PponForm(data={"ppon": organisation.ppon} if organisation.ppon else None)
    if form.validate_on_submit():
        try:
            with shown_on(form, "ppon") as refused:
                outcomes = ppon.set_ppon(organisation, form.ppon.data, current_user)
                db.session.commit()
        except IntegrityError:  # another organisation recorded it at the same moment
            db.session.rollback()
            show_error(form, "ppon", "Another organisation has just recorded this PPON")
        else:
            if not refused:
                flash(f"PPON saved.{_matched(outcomes)}", "success")
                return redirect(url_for(".show_dashboard", slug=slug))
    return render_template(
        "organisation/ppon-form.html",
        organisation=organisation,
        form=form,
        button=ButtonForm() if organisation.ppon else None,
    )


@bp.post(f"{URL}/remove")
@login_required
@verified_required
def remove_ppon(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not ppon.remove_ppon(organisation, current_user):
        abort(404)
    db.session.commit()
    flash("PPON removed. Contracts already matched through it keep their match.", "success")
    return redirect(url_for(".show_dashboard", slug=slug))
