"""The contract manager's report: commitments against delivery on their commissioner's
confirmed contracts, filtered by period, measure, supplier and contract, with the same rows as
a CSV file and as an Excel workbook (an "About" sheet with the period and filters, then one
sheet per measure, its unit in the headings).

Only a current contract manager gets it (anyone else, staff included, a 404 as on the contract
pages); contracts of an organisation the manager belongs to are left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.commissioner import bp
from charter.formatting import format_date
from charter.models import Measure
from charter.models.base import INTEGER_COLUMN_MAX
from charter.models.scheme import PAIR, UNITS
from charter.services.domain.contract_managers import commissioners_managed_by
from charter.services.infrastructure.spreadsheets import table_csv, workbook_bytes
from charter.services.read_models import commissioner_report_scope
from charter.services.read_models import commissioner_reports as reports
from charter.services.read_models import substitutions_and_credits as changes
from charter.services.read_models.commissioner_reports import (
    CommissionerReport,
    MeasureTable,
    ReportFilters,
    ReportRow,
    ScopeContract,
    endorsement_text,
)
from charter.services.read_models.delivery import (
    DELIVERED_HEADINGS,
    delivered_columns,
    delivered_text,
)
from charter.services.read_models.impact.periods import ALL_TIME, parse_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MESSAGES = {
    "period": "Choose a period from the list",
    "measure": "Choose a measure from the list",
    "supplier": "Choose a supplier from the list",
    "contract": "Choose a contract from the list",
    "table": "Choose a table from the list: commitments, substituted or credits",
}
SHEET_TITLE_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def _report() -> tuple[CommissionerReport, dict[str, str]]:
    """The report for the query string's filters, each checked against what the manager may
    choose; a bad one is named in the errors and left out of the report."""
    user = current_user._get_current_object()
    commissioners = commissioners_managed_by(user)
    if not commissioners:
        abort(404)
    scope = commissioner_report_scope.load_scope(user, commissioners)
    args, errors = request.args, {}

    def chosen_id(name: str, allowed: set[int]) -> int | None:
        text = (args.get(name) or "").strip()
        if not text:
            return None
        if text.isdigit() and 0 < int(text) <= INTEGER_COLUMN_MAX and int(text) in allowed:
            return int(text)
        errors[name] = MESSAGES[name]
        return None

    period = ALL_TIME
    if period_key := (args.get("period") or "").strip():
        period = parse_period(period_key) or ALL_TIME
        if parse_period(period_key) is None:
            errors["period"] = MESSAGES["period"]
    measure_code = (args.get("measure") or "").strip() or None
    if measure_code is not None and measure_code not in {m.code for m in scope.measures}:
        errors["measure"] = MESSAGES["measure"]
        measure_code = None
    filters = ReportFilters(
        period=period,
        measure_code=measure_code,
        supplier_id=chosen_id("supplier", {o.id for o in scope.suppliers}),
        contract_id=chosen_id("contract", {c.contract.id for c in scope.contracts}),
    )
    return reports.build(user, scope, filters), errors


def _filter_args(filters: ReportFilters) -> dict[str, str]:
    """The filters as query-string arguments, for the download links."""
    found = {"period": filters.period.key}
    if filters.measure_code:
        found["measure"] = filters.measure_code
    if filters.supplier_id:
        found["supplier"] = str(filters.supplier_id)
    if filters.contract_id:
        found["contract"] = str(filters.contract_id)
    return found


@bp.get("/report")
@login_required
@verified_required
def show_report():
    report, errors = _report()
    scope = report.scope
    periods = list(scope.periods)
    if report.filters.period not in periods:  # a valid period with no figures yet
        periods.append(report.filters.period)
    return render_template(
        "commissioner/report.html",
        report=report,
        scope=scope,
        filters=report.filters,
        periods=periods,
        errors=errors,
        download_args=_filter_args(report.filters),
        endorsement_text=endorsement_text,
    ), (400 if errors else 200)


def _refused(errors: dict[str, str]) -> Response:
    return Response("\n".join(errors.values()) + "\n", status=400, mimetype="text/plain")


def _attachment(response: Response, name: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/report.csv")
@login_required
@verified_required
def download_report_csv():
    """The commitments against delivery (the default), or ``?table=substituted`` or
    ``?table=credits``: a CSV file is one table."""
    report, errors = _report()
    table = (request.args.get("table") or "commitments").strip()
    tables = {"commitments": csv_table, "substituted": substituted_sheet, "credits": credits_sheet}
    if table not in tables:
        errors["table"] = MESSAGES["table"]
    if errors:
        return _refused(errors)
    response = Response(table_csv(tables[table](report)), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    name = "" if table == "commitments" else f"{table}-"
    return _attachment(response, f"contracts-report-{name}{report.filters.period.key}.csv")


@bp.get("/report.xlsx")
@login_required
@verified_required
def download_report_workbook():
    report, errors = _report()
    if errors:
        return _refused(errors)
    data = workbook_bytes(
        workbook_sheets(report),
        title_note=f"Commitments against delivery, {report.filters.period.label}",
    )
    return _attachment(
        Response(data, mimetype=XLSX), f"contracts-report-{report.filters.period.key}.xlsx"
    )


# --- the downloads' tables --------------------------------------------------------------------


@dataclass
class Sheet:
    """A table in the shape the spreadsheet writers take: headings, then rows of values."""

    title: str
    headings: list[str]
    rows: list[list]

    def values(self, row: list) -> list:
        return row


def _delivered(row: ReportRow | MeasureTable, measure: Measure) -> list:
    """Delivered, then a pair's second figure, an achievement's date and the value in words
    (charter.services.read_models.delivery): never a pair in one number, never a yes as 1."""
    if isinstance(row, MeasureTable):
        pair = measure.unit == PAIR
        if pair and (row.delivered is None or row.second is None):
            return [None, None, None, ""]
        words = "" if row.delivered is None else delivered_text(measure, row.delivered, row.second)
        return [row.delivered, row.second if pair else None, None, words]
    if not row.followed:
        return [None, None, None, delivered_text(measure, None)]
    return [row.delivered, *delivered_columns(measure, row.delivered, row.second, row.achieved_on)]


def _figures(row: ReportRow | MeasureTable, measure: Measure) -> list:
    is_row = isinstance(row, ReportRow)
    return [
        "As pledged" if is_row and row.pledge else row.committed,
        *_delivered(row, measure),
        row.share if is_row else None,
        row.figures,
        row.endorsed,
        row.queried,
        endorsement_text(
            row.figures,
            row.endorsed,
            row.queried,
            row.followed,
            row.organisation_wide if is_row else any(r.organisation_wide for r in row.rows),
        ),
    ]


def _contract(row: ReportRow | ScopeContract) -> list:
    return [
        row.commissioner.name,
        row.organisation.name,
        row.contract.title,
        row.contract.reference or "",
    ]


CONTRACT_HEADINGS = ["Commissioner", "Supplier", "Contract", "Reference"]
FIGURE_HEADINGS = [
    "Share of commitment (%)",
    "Verified figures",
    "Endorsed figures",
    "Queried figures",
    "Endorsement",
]


def csv_table(report: CommissionerReport) -> Sheet:
    """Every row of the page in one table, the measure and its unit in columns of their own."""
    headings = [
        "Period",
        "Measure",
        "Measure title",
        "Unit",
        "Commissioner",
        "Supplier",
        "Contract",
        "Reference",
        "Pledge",
        "Committed",
        "Delivered",
        *DELIVERED_HEADINGS,
        *FIGURE_HEADINGS,
    ]
    rows = []
    for table in report.tables:
        measure = table.measure
        first = [report.filters.period.label, measure.code, measure.title, measure.unit_label]
        for row in table.rows:
            rows.append([*first, *_contract(row), row.pledge or "", *_figures(row, measure)])
        rows.append([*first, "", "", "Total", "", "", *_figures(table, measure)])
    return Sheet("Commitments against delivery", headings, rows)


def _about(report: CommissionerReport) -> Sheet:
    filters, scope = report.filters, report.scope
    by_id = {item.contract.id: item for item in scope.contracts}
    suppliers = {o.id: o.name for o in scope.suppliers}
    measures = {m.code: m for m in scope.measures}
    rows = [
        ["Report", "Social value committed at tender against what was delivered, by contract"],
        ["Commissioner", ", ".join(c.name for c in scope.commissioners)],
        ["Period", f"{filters.period.label} ({filters.period.long_label})"],
        [
            "Measure",
            f"{filters.measure_code}: {measures[filters.measure_code].title}"
            if filters.measure_code
            else "All measures",
        ],
        ["Supplier", suppliers[filters.supplier_id] if filters.supplier_id else "All suppliers"],
        [
            "Contract",
            by_id[filters.contract_id].contract.title if filters.contract_id else "All contracts",
        ],
        ["Confirmed contracts shown", report.contracts_shown],
        [
            "Rules",
            "Committed is the target promised at tender for the whole contract. Delivered counts "
            "verified figures only, in the period in which their monitoring period ends: money, "
            "hours, weeks and counts add up; jobs (FTE) and percentages show the latest figure "
            "in the period. A pair's two figures each follow their own unit's rule, in columns "
            "of their own; an achievement shows the date a verified return says it was "
            "achieved. Only contracts the commissioner has confirmed are included.",
        ],
        ["Produced", format_date(date.today())],
    ]
    for table in report.tables:
        rows.append(
            [f"Sheet {_sheet_title(table)}", f"{table.measure.title} ({table.measure.unit_label})"]
        )
    rows.append([f"Sheet {SUBSTITUTED}", SUBSTITUTED_ABOUT])
    rows.append([f"Sheet {CREDITS}", CREDITS_ABOUT])
    return Sheet("About", ["About this report", ""], rows)


def _sheet_title(table: MeasureTable) -> str:
    return table.measure.code.translate(SHEET_TITLE_FORBIDDEN)[:31]


def workbook_sheets(report: CommissionerReport) -> list[Sheet]:
    sheets = [_about(report)]
    for table in report.tables:
        measure = table.measure
        unit = measure.unit_label
        delivered = [f"Delivered ({unit})", *DELIVERED_HEADINGS]
        if measure.unit == PAIR and measure.parts:  # each figure under its own label and unit
            one, two = measure.parts
            delivered[:2] = [
                f"Delivered: {one['label']} ({UNITS.get(one['unit'], one['unit'])})",
                f"Delivered: {two['label']} ({UNITS.get(two['unit'], two['unit'])})",
            ]
        headings = [
            "Commissioner",
            "Supplier",
            "Contract",
            "Reference",
            f"Committed ({unit})",
            *delivered,
            *FIGURE_HEADINGS,
        ]
        rows = [[*_contract(row), *_figures(row, measure)] for row in table.rows]
        rows.append(["", "", "Total", "", *_figures(table, measure)])
        sheets.append(Sheet(_sheet_title(table), headings, rows))
    return [*sheets, substituted_sheet(report), credits_sheet(report)]


SUBSTITUTED, CREDITS = "Substituted commitments", "Service credits"
SUBSTITUTED_ABOUT = (
    "Alternatives accepted in the period (by the day of acceptance): the commitment replaced "
    "and the alternative, each with its value by the proxy values in force that day"
)
CREDITS_ABOUT = (
    "Service credits recorded for the period (by the last day of the period each is for), "
    "whatever the measure chosen: a credit is against the contract"
)


def _per_contract_sheet(report: CommissionerReport, name, headings, by_contract, columns) -> Sheet:
    """One row per item of ``by_contract`` (contract id -> items), after its contract's columns."""
    by_id = {item.contract.id: item for item in report.scope.contracts}
    rows = [
        [*_contract(by_id[contract_id]), *columns(item)]
        for contract_id, found in by_contract.items()
        for item in found
    ]
    return Sheet(name, [*CONTRACT_HEADINGS, *headings], rows)


def substituted_sheet(report: CommissionerReport) -> Sheet:
    return _per_contract_sheet(
        report,
        SUBSTITUTED,
        changes.SUBSTITUTION_HEADINGS,
        report.changes.substituted,
        changes.substitution_columns,
    )


def credits_sheet(report: CommissionerReport) -> Sheet:
    return _per_contract_sheet(
        report, CREDITS, changes.CREDIT_HEADINGS, report.changes.credits, changes.credit_columns
    )
