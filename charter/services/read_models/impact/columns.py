"""The columns of the impact open data (/impact.csv, and the fields of /impact.json), described
once: the data dictionary page and the CSV's CSVW metadata both read them; and one figure as a
row of them (``open_row``), for a charter's open data and every charter's together."""

from __future__ import annotations

from charter.services.infrastructure.spreadsheets import CsvColumn
from charter.services.read_models.impact.periods import parse_period

IMPACT_FIELDS = (
    CsvColumn(
        "period",
        "Period",
        'The period key: "2027-Q1" is January to March 2027, "2026-27" is 1 April 2026 to '
        '31 March 2027, "all" is all time.',
    ),
    CsvColumn("period_label", "Period in words", "The period in words."),
    CsvColumn(
        "measure_code", "Measure code", "The scheme's code for the measure (for example LE1)."
    ),
    CsvColumn("measure_title", "Measure", "What the measure counts."),
    CsvColumn("unit", "Unit", "GBP, FTE, weeks, hours, percent or count."),
    CsvColumn(
        "breakdown",
        "Breakdown",
        "all (the total), district, sector, organisation_type or commissioner.",
    ),
    CsvColumn(
        "breakdown_value",
        "Breakdown value",
        "The district, sector, type or commissioner; empty for the total.",
    ),
    CsvColumn("value", "Figure", "The figure in its unit; empty where withheld.", "decimal"),
    CsvColumn(
        "value_in_pounds",
        "Figure in pounds",
        "The figure in pounds, where a proxy value was in force; empty otherwise or where "
        "withheld.",
        "decimal",
    ),
    CsvColumn(
        "organisations",
        "Organisations",
        'How many organisations the figure is built from; where withheld, "fewer than N" in '
        'the CSV (or "withheld to protect a small figure" for a figure withheld so that a '
        "withheld one cannot be worked out from the others published) and null in the JSON, whose "
        '"suppression" says which: fewer_than_threshold or complementary.',
    ),
    CsvColumn(
        "suppressed",
        "Withheld",
        "Whether the figure is withheld by disclosure control: yes or no in the CSV, true or "
        "false in the JSON.",
        {"base": "boolean", "format": "yes|no"},
    ),
)


def open_row(figure, *, pounds: bool = True) -> dict:
    """One figure (``figures.Figure``) as a row of ``IMPACT_FIELDS``. ``pounds``: its value in
    pounds where a proxy value was in force (a charter's own figures; figures of several
    charters together have none, each charter valuing its own)."""
    period = parse_period(figure.period_key)
    return {
        "period": figure.period_key,
        "period_label": period.label if period else figure.period_key,
        "measure_code": figure.measure.code,
        "measure_title": figure.measure.title,
        "unit": figure.measure.unit,
        "breakdown": figure.dimension,
        "breakdown_value": figure.dimension_value,
        "value": None if figure.total is None else str(figure.total),
        "value_in_pounds": None
        if not pounds or figure.monetised is None
        else str(figure.monetised),
        "organisations": None if figure.suppressed else figure.organisations,
        "suppressed": figure.suppressed,
        "suppression": figure.suppression,
    }
