"""The contract social value report for administrators (issue 21): per contract counting for
the charter, the weighting at award and what was committed, delivered, substituted and
credited; per commitment, committed and delivered to date. As a page, as CSV (one table) and as
an Excel workbook (both tables, a sheet each), in the impact reports' idiom."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request

from charter.admin import bp
from charter.admin.views.impact import XLSX
from charter.auth.decorators import acting_charter_id
from charter.services.infrastructure.spreadsheets import table_csv, workbook_bytes
from charter.services.read_models.contract_social_value import report_tables

CHOOSE_TABLE = "Choose a table to download: contracts or commitments"


def _tables():
    return report_tables(acting_charter_id(), date.today())


@bp.get("/contract-social-value")
def show_contract_report():
    return render_template("admin/contract-social-value.html", tables=_tables(), on=date.today())


@bp.get("/contract-social-value.csv")
def download_contract_report_csv():
    table = {t.key: t for t in _tables()}.get(request.args.get("table", "contracts"))
    if table is None:
        return Response(CHOOSE_TABLE + "\n", status=400, mimetype="text/plain")
    response = Response(table_csv(table), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    name = f"contract-social-value-{table.key}-{date.today():%Y-%m-%d}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/contract-social-value.xlsx")
def download_contract_report_workbook():
    today = date.today()
    data = workbook_bytes(_tables(), title_note=f"Contract social value, {today:%Y-%m-%d}")
    response = Response(data, mimetype=XLSX)
    name = f"contract-social-value-{today:%Y-%m-%d}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
