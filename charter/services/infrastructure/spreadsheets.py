"""Report tables as CSV and as an Excel workbook (openpyxl): one sheet per table, numbers as
numbers, units in the headings, and every text cell safe from formula injection. Also the W3C
"CSV on the Web" metadata that gives an open-data CSV its licence, publisher and column types,
so a reuser's tools can read them without our documentation page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# A cell starting with one of these is run as a formula by spreadsheet programs (ASVS 1.2.10).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
CSVW_MEDIA_TYPE = "application/csvm+json"


@dataclass(frozen=True)
class CsvColumn:
    """One column of an open-data CSV: its header, a title and description for people, and
    its CSVW datatype (``string``, ``date``, ``decimal``, ``integer``, ``anyURI``...)."""

    name: str
    title: str
    description: str
    datatype: str | dict = "string"


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula. A number (int, float or
    Decimal, not text that looks like one) is written as it is: it cannot run, and a quote
    would turn a negative figure into text."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
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


def csvw_metadata(
    csv_url: str,
    columns,
    *,
    title: str,
    description: str,
    licence_url: str,
    publisher: str,
    documentation_url: str | None = None,
) -> dict:
    """A CSVW metadata document (https://www.w3.org/TR/tabular-metadata/) describing the CSV at
    ``csv_url``: its columns in header order, with titles, descriptions and datatypes."""
    document = {
        "@context": [CSVW_CONTEXT, {"@language": "en"}],
        "url": csv_url,
        "dc:title": title,
        "dc:description": description,
        "dc:license": {"@id": licence_url},
        "dc:publisher": {"schema:name": publisher},
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {
            "columns": [
                {
                    "name": column.name,
                    "titles": column.name,
                    "dc:title": column.title,
                    "dc:description": column.description,
                    "datatype": column.datatype,
                }
                for column in columns
            ]
        },
    }
    if documentation_url:
        document["rdfs:seeAlso"] = {"@id": documentation_url}
    return document


def describedby_link(metadata_url: str) -> str:
    """The Link header value that points a CSV at its CSVW metadata."""
    return f'<{metadata_url}>; rel="describedby"; type="{CSVW_MEDIA_TYPE}"'
