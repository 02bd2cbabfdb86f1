"""Impact reports for administrators: the figures unsuppressed, filtered, with downloads as
CSV (one table) and as an Excel workbook (every table, one sheet each)."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request
from sqlalchemy import select

from charter.admin import bp
from charter.extensions import db
from charter.models import Commissioner
from charter.services.domain.schemes import current_scheme
from charter.services.infrastructure.spreadsheets import table_csv, workbook_bytes
from charter.services.read_models.impact import figures
from charter.services.read_models.impact.periods import latest_complete_year, parse_period
from charter.services.read_models.impact.reports import (
    ReportFilters,
    breakdown_tables,
    contract_table,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MESSAGES = {
    "period": "Choose a period from the list",
    "measure": "Choose a measure from the list",
    "district": "Choose a district from the list",
    "sector": "Choose a sector from the list",
    "commissioner": "Choose a commissioner from the list",
    "table": "Choose a table to download",
}


def _report():
    """The filters from the query string, checked against the lists; errors by field."""
    scheme = current_scheme()
    measures = figures.measures_of(scheme) if scheme else []
    commissioners = list(db.session.scalars(select(Commissioner).order_by(Commissioner.name)))
    args, errors = request.args, {}

    def chosen(name, allowed):
        value = args.get(name) or None
        if value is not None and value not in allowed:
            errors[name] = MESSAGES[name]
            return None
        return value

    period = latest_complete_year(date.today())
    if args.get("period"):
        period = parse_period(args["period"]) or period
        if parse_period(args["period"]) is None:
            errors["period"] = MESSAGES["period"]
    commissioner = chosen("commissioner", {str(c.id) for c in commissioners})
    filters = ReportFilters(
        period=period,
        measure_code=chosen("measure", {m.code for m in measures}),
        district=chosen("district", set(scheme.districts) if scheme else set()),
        sector=chosen("sector", set(scheme.sectors) if scheme else set()),
        commissioner_id=int(commissioner) if commissioner else None,
    )
    tables = [*breakdown_tables(filters, measures), contract_table(filters, measures)]
    options = {
        "periods": figures.available_periods(),
        "measures": measures,
        "districts": scheme.districts if scheme else [],
        "sectors": scheme.sectors if scheme else [],
        "commissioners": commissioners,
    }
    return filters, tables, options, errors


@bp.get("/impact-report")
def show_impact_report():
    filters, tables, options, errors = _report()
    query = request.query_string.decode("utf-8", "replace")
    return render_template(
        "admin/impact-report.html",
        filters=filters,
        tables=tables,
        options=options,
        errors=errors,
        query=query,
        built_at=figures.last_build(),
    ), (400 if errors else 200)


@bp.get("/impact-report.csv")
def download_impact_report_csv():
    filters, tables, _options, errors = _report()
    by_key = {t.key: t for t in tables}
    table = by_key.get(request.args.get("table", "all"))
    if table is None:
        errors["table"] = MESSAGES["table"]
    if errors:
        return Response("\n".join(errors.values()) + "\n", status=400, mimetype="text/plain")
    response = Response(table_csv(table), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    name = f"impact-{filters.period.key}-{table.key}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/impact-report.xlsx")
def download_impact_report_workbook():
    filters, tables, _options, errors = _report()
    if errors:
        return Response("\n".join(errors.values()) + "\n", status=400, mimetype="text/plain")
    data = workbook_bytes(tables, title_note=f"Social value impact, {filters.period.label}")
    response = Response(data, mimetype=XLSX)
    name = f"impact-{filters.period.key}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
