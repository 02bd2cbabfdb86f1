"""Proxy values: the pounds per unit the scheme puts on each measure, with their history.

A change takes effect from a date (today or later) and is added to the history rather than
written over the old value, so a past year's monetised total never moves (issue: proxy values
are versioned; see charter.services.domain.proxy_values).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from charter.admin import bp
from charter.admin.forms.proxies import ProxyValueForm
from charter.extensions import db
from charter.formatting import format_date, format_money
from charter.models import Measure
from charter.refusals_on_forms import shown_on
from charter.services.domain import proxy_values
from charter.services.domain.schemes import current_scheme


def _current_scheme():
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    return scheme


@bp.get("/proxy-values")
def list_proxy_values():
    scheme = _current_scheme()
    measures = db.session.scalars(
        select(Measure).where(Measure.scheme_id == scheme.id).order_by(Measure.position)
    ).all()
    timelines, setters = proxy_values.history(scheme)
    return render_template(
        "admin/proxy-values.html",
        scheme=scheme,
        measures=measures,
        timelines=timelines,
        setters=setters,
    )


@bp.route("/proxy-values/<measure_code>", methods=["GET", "POST"])
def edit_proxy_value(measure_code: str):
    scheme = _current_scheme()
    measure = db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == measure_code)
    )
    if measure is None:
        abort(404)
    form = ProxyValueForm()
    today = date.today()
    if not form.is_submitted():
        form.effective_from.data = today
        if measure.proxy_value is not None:
            form.proxy_value.data = f"{measure.proxy_value:.2f}"
    if form.validate_on_submit():
        value = form.proxy_value.value
        with shown_on(form, "effective_from") as refused:
            proxy_values.set_proxy_value(
                measure,
                value,
                effective_from=form.effective_from.data,
                today=today,
                set_by_id=current_user.id,
                reason=form.reason.data or None,
            )
        if not refused:
            db.session.commit()
            flash(_saved_message(measure, value, form.effective_from.data, today), "success")
            return redirect(url_for("admin.list_proxy_values"))
    return render_template("admin/proxy-value-form.html", scheme=scheme, measure=measure, form=form)


def _saved_message(measure, value, effective_from: date, today: date) -> str:
    when = "from today" if effective_from == today else f"from {format_date(effective_from)}"
    if value is None:
        return f"{measure.code} has no proxy value {when}."
    return f"The proxy value of {measure.code} is {format_money(value)} per unit {when}."
