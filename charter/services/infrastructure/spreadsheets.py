"""Report tables as CSV and as an Excel workbook (openpyxl): one sheet per table, numbers as
numbers, units in the headings, and every text cell safe from formula injection."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# A cell starting with one of these is run as a formula by spreadsheet programs (ASVS 1.2.10).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, int | float) or value is None:
        return value
    return spreadsheet_safe(value)


def table_csv(table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headings)
    for row in table.rows:
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in table.values(row)])
    return buffer.getvalue()


def workbook_bytes(tables, *, title_note: str) -> bytes:
    """An .xlsx file with one sheet per table; the first row of each is its headings."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:SHEET_TITLE_MAX])
        sheet.append([spreadsheet_safe(h) for h in table.headings])
        for row in table.rows:
            sheet.append([_cell(v) for v in table.values(row)])
        for index, heading in enumerate(table.headings, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(heading) + 2)
        sheet.freeze_panes = "A2"
    book.properties.title = title_note
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
