"""Proxy values: the pounds per unit the current scheme version puts on each measure."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import select

from charter.admin import bp
from charter.admin.forms import ProxyValueForm
from charter.auth.decorators import staff_required
from charter.extensions import db
from charter.models import Measure
from charter.services.domain.schemes import current_scheme


def _current_scheme():
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    return scheme


@bp.get("/proxy-values")
@login_required
@staff_required("admin")
def list_proxy_values():
    scheme = _current_scheme()
    measures = db.session.scalars(
        select(Measure).where(Measure.scheme_id == scheme.id).order_by(Measure.position)
    ).all()
    return render_template("admin/proxy-values.html", scheme=scheme, measures=measures)


@bp.route("/proxy-values/<measure_code>", methods=["GET", "POST"])
@login_required
@staff_required("admin")
def edit_proxy_value(measure_code: str):
    scheme = _current_scheme()
    measure = db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == measure_code)
    )
    if measure is None:
        abort(404)
    form = ProxyValueForm()
    if not form.is_submitted() and measure.proxy_value is not None:
        form.proxy_value.data = f"{measure.proxy_value:.2f}"
    if not form.validate_on_submit():
        return render_template(
            "admin/proxy-value-form.html", scheme=scheme, measure=measure, form=form
        )
    measure.proxy_value = form.proxy_value.value
    db.session.commit()
    if measure.proxy_value is None:
        flash(f"{measure.code} has no proxy value now.", "success")
    else:
        flash(
            f"The proxy value of {measure.code} is now £{measure.proxy_value:,.2f} per unit.",
            "success",
        )
    return redirect(url_for("admin.list_proxy_values"))
