"""/impact: what the charter delivers, from verified figures only, with disclosure control.

The page and its open data read the summary rows `flask charter rebuild-impact` adds up
(nightly, in the scheduler), so every request is a handful of small queries whatever the
number of organisations. A figure built from fewer organisations than the scheme's threshold
is shown as "fewer than N" here and in the downloads, and the figures withheld to protect it
(set once per rebuild, see `impact.disclosure`) are withheld alike on the page, the CSV and
the JSON, so no organisation's own figure can be worked out from them.

The page, and the CSV and JSON asked for with a query, are answered from memory by ETag on the
charter's /impact version (``cached_by_register(scope="impact")``), which the rebuild moves; the
CSV and JSON themselves are files built after each rebuild (``open_data_files``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import Response, g, render_template, request, url_for

from charter.caching import cached_by_register, versioned_part
from charter.models.organisation import ORGANISATION_TYPES
from charter.public import bp, open_data_files
from charter.public.licence import LICENCE, LICENCE_URL, csvw_response
from charter.services.domain import proxy_values
from charter.services.domain.schemes import current_scheme
from charter.services.infrastructure.spreadsheets import (
    describedby_link,
    spreadsheet_safe,
)
from charter.services.read_models.impact import figures, themes
from charter.services.read_models.impact.columns import IMPACT_FIELDS, open_row
from charter.services.read_models.impact.figures import (
    COMPLEMENTARY,
    COMPLEMENTARY_TEXT,
    DIMENSION_LABELS,
)
from charter.services.read_models.impact.periods import (
    ALL,
    latest_complete_year,
    parse_period,
)
from charter.services.read_models.open_contracting_table import OPEN_CONTRACTING_FIELDS

SERIES_QUARTERS = 8
CSV_COLUMNS = [column.name for column in IMPACT_FIELDS]
NUMBER_COLUMNS = ("value", "value_in_pounds")
PERIOD_ERROR = "Choose a period from the list"
MEASURE_ERROR = "Choose a measure from the list"


def _choices(measures):
    available = versioned_part(("periods",), figures.available_periods)
    default = latest_complete_year(date.today())
    if not any(p.key == default.key for p in available):
        default = next((p for p in available if p.kind == "year"), parse_period(ALL))
    errors = {}
    period = default
    if "period" in request.args:
        chosen = parse_period(request.args["period"])
        if chosen is None:
            errors["period"] = PERIOD_ERROR
        else:
            period = chosen
    by_code = {m.code: m for m in measures}
    measure = next((m for m in measures if m.is_core), measures[0] if measures else None)
    if "measure" in request.args:
        if request.args["measure"] in by_code:
            measure = by_code[request.args["measure"]]
        else:
            errors["measure"] = MEASURE_ERROR
    return available, period, measure, errors


@dataclass(frozen=True)
class _PageScheme:
    """What the page needs of the charter's current scheme, as plain values: held per /impact
    version (which schemes and measures move), so a page for another period or measure reads
    neither."""

    name: str
    threshold: int
    measures: tuple[figures.MeasureFacts, ...]
    themes: tuple[themes.ThemeFacts, ...] = ()


def _page_scheme() -> _PageScheme | None:
    scheme = current_scheme(charter=g.charter)
    if scheme is None:
        return None
    return _PageScheme(
        scheme.name,
        scheme.disclosure_min_organisations,
        tuple(figures.published_measures(scheme)),
        themes.themes_of(scheme),
    )


@bp.get("/c/<charter_slug>/impact")
@cached_by_register(scope="impact")
def show_impact():
    scheme = versioned_part(("scheme",), _page_scheme)
    measures = list(scheme.measures) if scheme else []
    available, period, measure, errors = _choices(measures)
    threshold = scheme.threshold if scheme else 3
    # Every summary row, held per version; None on a page made afresh (signed in), which reads
    # just its own rows.
    held = versioned_part(("cells",), figures.held_cells, only_kept=True)
    context = {
        "scheme": scheme,
        "periods": available,
        "period": period,
        "measures": measures,
        "measure": measure,
        "errors": errors,
        "threshold": threshold,
        "breakdowns": figures.breakdowns(period, measure, threshold, held) if measure else {},
        "dimension_labels": DIMENSION_LABELS,
        "value_labels": ORGANISATION_TYPES,
        "series": (
            figures.quarterly_series(measure, period, SERIES_QUARTERS, threshold, held)
            if measure
            else []
        ),
        # Read only where the page renders them: the parts the period (or nothing) decides are
        # rendered once per /impact version (versioned_fragment), not for every measure.
        "load_headline": lambda: figures.headline(period, measures, threshold),
        "themes": scheme.themes if scheme else (),
        "by_theme": themes.by_theme,
        "by_priority": themes.by_priority,
        "load_lifecycle": lambda: figures.lifecycle_series(period, SERIES_QUARTERS),
        "load_proxy_history": _proxy_history,
        "load_built_at": figures.last_build,
    }
    return render_template("public/impact.html", **context), 400 if errors else 200


def _proxy_history():
    scheme = current_scheme(charter=g.charter)
    return proxy_values.history(scheme)[0] if scheme else {}


def _open_rows():
    scheme = current_scheme(charter=g.charter)
    if scheme is None:
        return [], scheme.disclosure_min_organisations if scheme else 3
    threshold = scheme.disclosure_min_organisations
    measures = {m.code: m for m in figures.published_measures(scheme)}
    rows = [open_row(figure) for figure in figures.all_cells(threshold, measures)]
    return rows, threshold


@bp.get("/c/<charter_slug>/impact.csv")
def download_impact_csv():
    if not request.args:
        return open_data_files.served("impact.csv")
    return _cached_impact_csv()


@open_data_files.built_as("impact.csv", follows="impact")
def impact_csv():
    rows, threshold = _open_rows()
    response = csv_response(rows, threshold, "social-value-impact.csv")
    metadata_url = url_for("public.show_impact_csv_metadata", _external=True)
    response.headers["Link"] = f'{describedby_link(metadata_url)}, <{LICENCE_URL}>; rel="license"'
    return response


def csv_response(rows: list[dict], threshold: int, filename: str) -> Response:
    """The impact open data rows as a CSV download (a charter's, or the charters together's)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = dict(row)
        values["suppressed"] = "yes" if row["suppressed"] else "no"
        if row["suppression"] == COMPLEMENTARY:
            values["organisations"] = COMPLEMENTARY_TEXT
        elif row["suppressed"]:
            values["organisations"] = f"fewer than {threshold}"
        for column in NUMBER_COLUMNS:  # numbers, so a negative one is not quoted as a formula
            if values[column] is not None:
                values[column] = Decimal(values[column])
        writer.writerow([spreadsheet_safe(values[c]) for c in CSV_COLUMNS])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_cached_impact_csv = cached_by_register(impact_csv, scope="impact")


@bp.get("/c/<charter_slug>/impact.csv-metadata.json")
def show_impact_csv_metadata():
    """The CSV's W3C "CSV on the Web" metadata: columns, types, licence and publisher."""
    return csvw_response(
        url_for("public.download_impact_csv", _external=True),
        IMPACT_FIELDS,
        title="What the Social Value Charter delivers",
        description="Verified figures per period, measure and breakdown, with disclosure "
        "control: a figure from too few organisations is withheld.",
        documentation_url=url_for("public.show_impact_data", _external=True),
    )


@bp.get("/c/<charter_slug>/impact.json")
def download_impact_json():
    if not request.args:
        return open_data_files.served("impact.json")
    return _cached_impact_json()


@open_data_files.built_as("impact.json", follows="impact")
def impact_json():
    rows, threshold = _open_rows()
    document = {
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "data_dictionary": url_for("public.show_impact_data", _external=True),
        "built_at": (built.isoformat() if (built := figures.last_build()) else None),
        "disclosure_threshold": threshold,
        "figures": rows,
    }
    response = Response(json.dumps(document, indent=None), mimetype="application/json")
    response.headers["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


_cached_impact_json = cached_by_register(impact_json, scope="impact")


@bp.get("/c/<charter_slug>/impact/about-the-data")
def show_impact_data():
    scheme = current_scheme(charter=g.charter)
    return render_template(
        "public/impact-data.html",
        scheme=scheme,
        threshold=scheme.disclosure_min_organisations if scheme else 3,
        protection=scheme.disclosure_protection_percent if scheme else 20,
        licence=LICENCE,
        licence_url=LICENCE_URL,
        columns=IMPACT_FIELDS,
        contract_columns=OPEN_CONTRACTING_FIELDS,
    )
