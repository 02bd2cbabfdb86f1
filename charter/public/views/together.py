"""Every charter together (issue 20): /charters/register, the organisations on any charter's
register with the charters they signed, and /charters/impact, what the charters deliver together
(Warwickshire's regional taskforce's wish "to collectively capture the level and impact of
social value activity across the membership").

The register is each charter's register asked for any charter (``signings.ANY_CHARTER``: the
same statements and indexes as the API without ``charter=``), without the standing filter, which
is about one charter's Mark: each charter's own register shows where an organisation stands.

Each verified figure counts once, however many charters it counts for, under its reference (a
National TOMs code or a PPN 002 metric, the same thing in every charter that gives it) or, for a
measure no other charter shares, under its own charter's measure (``combined_figures``). The
rows are built by the nightly impact rebuild beside each charter's, under the disclosure rules
of the strictest charter, and read as a charter's /impact reads its own. Figures are in their
units only: each charter values figures with its own proxy values.
"""

from __future__ import annotations

from datetime import date

from flask import render_template, request

from charter.branding import held_charters
from charter.caching import cached_by_register
from charter.public import bp
from charter.public.views.register import register_page, searched
from charter.services.domain import combined_figures, counted_figures, register_entries
from charter.services.domain.signings import ANY_CHARTER
from charter.services.read_models.impact import figures
from charter.services.read_models.impact.periods import ALL, latest_complete_year, parse_period

PERIOD_ERROR = "Choose a period from the list"


def _measures() -> tuple[list[figures.MeasureFacts], dict]:
    """A MeasureFacts per combined key (its title: what each charter calls it), in the order of
    the charters and their measures, and what each charter's measure under it is."""
    references = combined_figures.references_in_one_unit()
    charters_measures = combined_figures.charters_measures(references)
    units = combined_figures.units(references)
    measures = []
    for key, named in charters_measures.items():
        title = named[0][2] if len(named) == 1 else f"{len(named)} charters' measures"
        measures.append(figures.MeasureFacts(key, title, units.get(key, ""), None, False))
    return measures, charters_measures


def _period(available):
    default = latest_complete_year(date.today())
    if not any(p.key == default.key for p in available):
        default = next((p for p in available if p.kind == "year"), parse_period(ALL))
    if "period" not in request.args:
        return default, {}
    chosen = parse_period(request.args["period"])
    if chosen is None:
        return default, {"period": PERIOD_ERROR}
    return chosen, {}


@bp.get("/charters/impact")
@cached_by_register(scope="impact")
def show_combined_impact():
    token = counted_figures.showing_combined.set(True)
    try:
        threshold, _ = combined_figures.settings()
        available = figures.available_periods()
        period, errors = _period(available)
        measures, named = _measures()
        headline = figures.headline(period, measures, threshold) if not errors else []
        page = render_template(
            "public/combined-impact.html",
            charters=held_charters(),
            periods=available,
            period=period,
            errors=errors,
            headline=headline,
            named=named,
            threshold=threshold,
            built_at=figures.last_build(),
        )
    finally:
        counted_figures.showing_combined.reset(token)
    return page, 400 if errors else 200


@bp.get("/charters/register")
@cached_by_register
def show_combined_register():
    search = searched(ANY_CHARTER, award=None)
    organisations = search.result.organisations if search.result else []
    charters = {charter.id: charter for charter in held_charters()}
    signed = register_entries.registers_of([o.id for o in organisations])
    return register_page(
        search,
        "public.show_combined_register",
        combined=True,
        charters_of={
            organisation_id: [charters[c] for c in ids if c in charters]
            for organisation_id, ids in signed.items()
        },
    )
