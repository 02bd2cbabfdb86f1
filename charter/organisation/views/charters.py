"""Signing a further charter (issue 20): an organisation signed to one charter registers with
another that covers its district, then signs it through the same journey, acting in that
charter (``?charter=``, charter.acting_charter). Its dashboard lists every charter it signed and
the ones it could sign."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import login_required

from charter.acting_charter import charter_named
from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.services.domain import signings


@bp.post("/<slug>/charters/<charter_slug>")
@login_required
@verified_required
def join_charter(slug: str, charter_slug: str):
    """Register with the charter, then sign it."""
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    charter = charter_named(charter_slug)
    if charter is None:
        abort(404)
    try:
        signings.join(organisation, charter.id)
    except signings.SigningRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("organisation.show_dashboard", slug=slug))
    db.session.commit()
    return redirect(url_for("organisation.start_signing", slug=slug, charter=charter.slug))
