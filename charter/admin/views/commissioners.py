"""The managed list of public-sector commissioners that organisations pick from: one list for
the service. A charter's administrators add to it and say which take part in their charter; a
commissioner's own record (its name, whether it is offered) is every charter's, so changing it
is a service administrator's (charter/admin/scope.py).

Commissioners are deactivated rather than deleted: contracts already recorded keep theirs, and
organisations stop being offered it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from charter.admin import bp
from charter.admin.forms.commissioners import CommissionerForm, CommissionerStatusForm
from charter.admin.scope import may_use
from charter.auth.decorators import acting_charter, acting_charter_id
from charter.extensions import db
from charter.models import Commissioner
from charter.refusals_on_forms import show_error, shown_on
from charter.services.domain import charter_commissioners, contracts


def _saved(form: CommissionerForm, save) -> Commissioner | None:
    """The commissioner ``save`` returns, committed; or None with a duplicate name (found
    first, or lost in a race with another administrator) shown on the name field."""
    try:
        with shown_on(form, "name") as refused:
            commissioner = save(form.name.data, form.org_id.normalised)
            db.session.commit()
    except IntegrityError:
        db.session.rollback()
        show_error(form, "name", contracts.DUPLICATE_COMMISSIONER_MESSAGE)
        return None
    return None if refused else commissioner


def _render_form(form: CommissionerForm, commissioner: Commissioner | None):
    return render_template("admin/commissioner-form.html", form=form, commissioner=commissioner)


@bp.get("/commissioners")
def list_commissioners():
    return render_template(
        "admin/commissioner-list.html",
        commissioners=contracts.commissioners(),
        taking_part=charter_commissioners.taking_part(acting_charter_id()),
        charter_name=acting_charter().name,
        form=CommissionerStatusForm(),
        may_change_commissioners=may_use("admin.edit_commissioner"),
    )


@bp.post("/commissioners/<int:commissioner_id>/taking-part")
def set_commissioner_taking_part(commissioner_id: int):
    """Whether the commissioner takes part in the administrator's charter."""
    commissioner = db.get_or_404(Commissioner, commissioner_id)
    answer = request.form.get("take_part")
    if not CommissionerStatusForm().validate_on_submit() or answer not in ("yes", "no"):
        abort(400)
    charter = acting_charter()
    charter_commissioners.set_taking_part(commissioner, charter.id, answer == "yes")
    db.session.commit()
    flash(
        f"{commissioner.name} takes part in the {charter.name}: its contracts count for it."
        if answer == "yes"
        else f"{commissioner.name} no longer takes part in the {charter.name}: its contracts "
        "stay recorded but no longer count for it.",
        "success",
    )
    return redirect(url_for("admin.list_commissioners"))


@bp.route("/commissioners/new", methods=["GET", "POST"])
def add_commissioner():
    form = CommissionerForm()

    def add(name, org_id):
        return contracts.add_commissioner(name, org_id, acting_charter_id())

    saved = _saved(form, add) if form.validate_on_submit() else None
    if saved is None:
        return _render_form(form, None)
    flash(f"{saved.name} added to the list of commissioners.", "success")
    return redirect(url_for("admin.list_commissioners"))


@bp.route("/commissioners/<int:commissioner_id>/edit", methods=["GET", "POST"])
def edit_commissioner(commissioner_id: int):
    commissioner = db.get_or_404(Commissioner, commissioner_id)
    form = CommissionerForm(obj=commissioner)

    def update(name, org_id):
        contracts.update_commissioner(commissioner, name, org_id)
        return commissioner

    saved = _saved(form, update) if form.validate_on_submit() else None
    if saved is None:
        return _render_form(form, commissioner)
    flash(f"{saved.name} saved.", "success")
    return redirect(url_for("admin.list_commissioners"))


def _set_active(commissioner_id: int, active: bool, message: str):
    commissioner = db.get_or_404(Commissioner, commissioner_id)
    if not CommissionerStatusForm().validate_on_submit():
        abort(400)
    contracts.set_commissioner_active(commissioner, active)
    db.session.commit()
    flash(message.format(name=commissioner.name), "success")
    return redirect(url_for("admin.list_commissioners"))


@bp.post("/commissioners/<int:commissioner_id>/deactivate")
def deactivate_commissioner(commissioner_id: int):
    return _set_active(
        commissioner_id,
        False,
        "{name} is no longer offered to organisations. Contracts already recorded keep it.",
    )


@bp.post("/commissioners/<int:commissioner_id>/reactivate")
def reactivate_commissioner(commissioner_id: int):
    return _set_active(commissioner_id, True, "{name} is offered to organisations again.")
