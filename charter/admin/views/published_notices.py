"""Published notices for administrators (issue 22, docs/ocds.md): the awards imported from
notices that wait because no organisation or no commissioner matched them, and the buyer
identifiers each commissioner publishes under, whose adding matches waiting awards again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from charter.admin import bp
from charter.admin.forms.published_notices import BuyerIdentifierForm
from charter.admin.views.contract_managers import _back, _commissioner
from charter.commissioner.forms import ButtonForm
from charter.extensions import db
from charter.refusals_on_forms import show_error, shown_on
from charter.services.domain import contract_proposals

URL = "/commissioners/<int:commissioner_id>/buyer-identifiers"


@bp.app_template_global("awards_waiting")
def awards_waiting() -> int:
    return contract_proposals.count_waiting()


@bp.get("/published-notices")
def list_waiting_awards():
    return render_template("admin/waiting-awards.html", rows=contract_proposals.waiting_awards())


def _matched_message(outcomes: dict[str, int]) -> str:
    proposed = outcomes.get("proposed", 0)
    if not proposed:
        return "No imported award is proposed through it yet."
    return f"{proposed} imported award{'' if proposed == 1 else 's'} now proposed to organisations."


@bp.route(f"{URL}/new", methods=["GET", "POST"])
def add_buyer_identifier(commissioner_id: int):
    commissioner = _commissioner(commissioner_id)
    form = BuyerIdentifierForm()
    if form.validate_on_submit():
        try:
            with shown_on(form, "identifier") as refused:
                outcomes = contract_proposals.add_buyer_identifier(
                    commissioner, form.identifier.data, current_user
                )
                db.session.commit()
        except IntegrityError:  # another administrator added it first
            db.session.rollback()
            show_error(form, "identifier", "This buyer identifier has just been added")
        else:
            if not refused:
                flash(f"Buyer identifier added. {_matched_message(outcomes)}", "success")
                return _back(commissioner)
    return render_template("admin/buyer-identifier-form.html", commissioner=commissioner, form=form)


@bp.post(f"{URL}/<int:identifier_id>/remove")
def remove_buyer_identifier(commissioner_id: int, identifier_id: int):
    commissioner = _commissioner(commissioner_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not contract_proposals.remove_buyer_identifier(commissioner, identifier_id, current_user):
        abort(404)
    db.session.commit()
    flash(
        "Buyer identifier removed. Awards already matched through it keep their match.", "success"
    )
    return redirect(url_for("admin.show_commissioner", commissioner_id=commissioner.id))
