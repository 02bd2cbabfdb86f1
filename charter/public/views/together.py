"""Several charters together (issue 20): /charters/register, the organisations on any charter's
register with the charters they signed, and /charters/impact (with its CSV and JSON), what the
charters deliver together; each of them for every charter, or with ``?region=west-midlands``
for a region's charters (issue 21: Warwickshire's regional taskforce's wish "to collectively
capture the level and impact of social value activity across the membership"). A region that
is not one of the ONS's, or that no charter is in, is a 404 with a message saying so and the
regions to choose from.

The register is each charter's register asked for any charter (``signings.ANY_CHARTER``: the
same statements and indexes as the API without ``charter=``), or for any of a region's charters,
without the standing filter, which is about one charter's Mark: each charter's own register
shows where an organisation stands.

Each verified figure counts once, however many charters it counts for, under its reference (a
National TOMs code or a PPN 002 metric, the same thing in every charter that gives it) or, for a
measure no other charter shares, under its own charter's measure (``combined_figures``). The
rows are built by the nightly impact rebuild beside each charter's, one set for every charter
and one per region, under the disclosure rules of the strictest charter shown, and read as a
charter's /impact reads its own (``impact.combined``). Figures are in their units only: each
charter values figures with its own proxy values.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Response, render_template, request

from charter.branding import held_charters
from charter.caching import cached_by_register
from charter.public import bp
from charter.public.licence import LICENCE, LICENCE_URL
from charter.public.views.impact import csv_response
from charter.public.views.register import register_page, searched
from charter.services.domain import register_entries
from charter.services.domain.signings import ANY_CHARTER
from charter.services.read_models.impact import combined, figures
from charter.services.read_models.impact.periods import ALL, latest_complete_year, parse_period

PERIOD_ERROR = "Choose a period from the list"


def _together() -> tuple[combined.Together, str | None]:
    """The charters the request asks for together, and the message for a region there is none
    of (then every charter's, for the page's choices)."""
    charters = held_charters()
    try:
        return combined.together(charters, request.args.get("region")), None
    except combined.UnknownRegion as unknown:
        return combined.together(charters, None), unknown.message


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
    shown, unknown = _together()
    with combined.showing(shown):
        available = figures.available_periods()
        period, errors = _period(available)
        if unknown:
            errors = {"region": unknown, **errors}
        measures, named = combined.measures(shown)
        threshold = combined.threshold(shown)
        headline = figures.headline(period, measures, threshold) if not errors else []
        built_at = figures.last_build()
    page = render_template(
        "public/combined-impact.html",
        shown=shown,
        every_charter=held_charters(),
        periods=available,
        period=period,
        errors=errors,
        headline=headline,
        named=named,
        threshold=threshold,
        built_at=built_at,
    )
    return page, 404 if unknown else (400 if errors else 200)


def _open_data():
    """The figures shown together as open data rows, or the message for an unknown region."""
    shown, unknown = _together()
    if unknown:
        return None, None, unknown
    with combined.showing(shown):
        rows, threshold = combined.open_rows(shown)
        built_at = figures.last_build()
    return shown, (rows, threshold, built_at), None


def _unknown_region(message: str, mimetype: str) -> Response:
    body = (
        json.dumps({"error": message}, ensure_ascii=False)
        if mimetype == "application/json"
        else message
    )
    return Response(body, status=404, mimetype=mimetype)


@bp.get("/charters/impact.csv")
@cached_by_register(scope="impact")
def download_combined_impact_csv():
    shown, found, unknown = _open_data()
    if unknown:
        return _unknown_region(unknown, "text/plain")
    rows, threshold, _ = found
    name = f"-{shown.region.slug}" if shown.region else ""
    response = csv_response(rows, threshold, f"social-value-impact-together{name}.csv")
    response.headers["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


@bp.get("/charters/impact.json")
@cached_by_register(scope="impact")
def download_combined_impact_json():
    shown, found, unknown = _open_data()
    if unknown:
        return _unknown_region(unknown, "application/json")
    rows, threshold, built_at = found
    document = {
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "region": (
            {"slug": shown.region.slug, "name": shown.region.name} if shown.region else None
        ),
        "charters": [{"slug": c.slug, "name": c.name} for c in shown.charters],
        "built_at": built_at.isoformat() if built_at else None,
        "disclosure_threshold": threshold,
        "figures": rows,
    }
    response = Response(json.dumps(document), mimetype="application/json")
    response.headers["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


@bp.get("/charters/register")
@cached_by_register
def show_combined_register():
    shown, unknown = _together()
    search = searched(ANY_CHARTER, award=None, region=shown.region)
    if unknown:
        search.query.errors["region"] = unknown
        search.result = None
    organisations = search.result.organisations if search.result else []
    charters = {charter.id: charter for charter in held_charters()}
    signed = register_entries.registers_of([o.id for o in organisations])
    page, status = register_page(
        search,
        "public.show_combined_register",
        combined=True,
        shown=shown,
        charters_of={
            organisation_id: [charters[c] for c in ids if c in charters]
            for organisation_id, ids in signed.items()
        },
    )
    return page, 404 if unknown else status
