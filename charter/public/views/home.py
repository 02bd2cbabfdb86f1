"""The service home (/), which lists the charters the service hosts, and each charter's own home
(/c/<slug>/), which says what the charter is and how to sign it.

The service home lists the charters even when there is only one: GOV.UK start pages begin with
what the service is for and where to go next, and a list of one keeps the same first step (pick
your area's charter) that a second charter will need, instead of a page that changes shape
when the second one arrives.
"""

from __future__ import annotations

from flask import g, render_template

from charter.branding import held_charters
from charter.caching import register_version_for_request
from charter.public import bp
from charter.services.domain import regions
from charter.services.domain.schemes import current_scheme, principles_of
from charter.services.read_models.charter_numbers import numbers_of


@bp.get("/")
def show_home():
    charters = held_charters()
    version = register_version_for_request().version if charters else 0
    return render_template(
        "public/service-home.html",
        charters=numbers_of(charters, version),
        regions=regions.grouped(charters),
    )


@bp.get("/c/<charter_slug>/")
def show_charter_home():
    scheme = current_scheme(charter=g.charter)
    principles = principles_of(scheme) if scheme else []
    return render_template(
        "public/home.html",
        scheme=scheme,
        principles=principles,
        several_charters=len(held_charters()) > 1,
    )
