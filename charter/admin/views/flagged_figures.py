"""Administrators' list of figures flagged as out of line (charter.services.domain.plausibility),
with each one's reasons, the organisation's explanation and whether an assessor has checked it."""

from __future__ import annotations

from flask import render_template

from charter.admin import bp
from charter.services.read_models import flagged_figures


@bp.app_template_global("flagged_figures_waiting")
def flagged_figures_waiting() -> int:
    return flagged_figures.count_waiting()


@bp.get("/flagged-figures")
def list_flagged_figures():
    return render_template("admin/flagged-figures.html", rows=flagged_figures.flagged_figures())
