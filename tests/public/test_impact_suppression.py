"""Complementary suppression on /impact: the page's tables, its charts, /impact.csv and
/impact.json withhold the same cells, so a small figure cannot be worked out as the total less
the figures shown, in a breakdown or from a year less its quarters. Staff reports still show
every figure."""

from __future__ import annotations

import csv
import io

from tests.public.impact_page_helpers import bar_charts, tables
from tests.services.read_models.impact_helpers import contributor, rebuild, verified

YEAR, Q2, Q3 = "2026-27", "2026-Q2", "2026-Q3"
SMALL, WITHHELD = "fewer than 3", "withheld to protect a small figure"


def districts_with_a_small_one(scheme):
    """In April to June 2026: Oswestry 2 organisations (small), Ludlow 3 with little between
    them (withheld with it), Shrewsbury 3 and Wem 4 (shown). In July to September one of Wem's
    organisations reports again, alone: Wem's quarter is small, so in the year Wem less its
    April to June would reveal it, and Wem's April to June is withheld too."""
    districts = (
        ("Oswestry", (111, 222)),
        ("Ludlow", (5, 6, 7)),
        ("Shrewsbury", (1000, 2000, 3000)),
        ("Wem", (400, 500, 600, 700)),
    )
    for district, amounts in districts:
        for amount in amounts:
            organisation, measures = contributor(scheme, district)
            verified(organisation, measures, 2, LE1=amount)
    verified(organisation, measures, 3, LE1=77)  # the last Wem organisation
    rebuild()


def _page_cells(client, period):
    page = client.get(f"/c/shropshire/impact?period={period}&measure=LE1").get_data(as_text=True)
    table = next(rows for caption, rows in tables(page).items() if "by district" in caption)
    chart = next(rows for caption, rows in bar_charts(page).items() if "By district" in caption)
    return page, {r[0]: (r[1], r[2]) for r in table}, {r[0]: (r[1], r[2]) for r in chart}


def _open_data(client, period):
    rows = csv.DictReader(
        io.StringIO(client.get("/c/shropshire/impact.csv").get_data(as_text=True))
    )
    wanted = {"period": period, "measure_code": "LE1", "breakdown": "district"}
    in_csv = {r["breakdown_value"]: r for r in rows if all(r[k] == v for k, v in wanted.items())}
    in_json = {
        f["breakdown_value"]: f
        for f in client.get("/c/shropshire/impact.json").get_json()["figures"]
        if all(f[k] == v for k, v in wanted.items())
    }
    return in_csv, in_json


def test_the_page_table_chart_csv_and_json_withhold_the_same_cells(client, scheme):
    districts_with_a_small_one(scheme)

    for period, expected in (
        (YEAR, {"Oswestry": SMALL, "Ludlow": WITHHELD, "Wem": None, "Shrewsbury": None}),
        (Q2, {"Oswestry": SMALL, "Ludlow": WITHHELD, "Wem": WITHHELD, "Shrewsbury": None}),
    ):
        page, table, chart = _page_cells(client, period)
        in_csv, in_json = _open_data(client, period)
        assert set(table) == set(chart) == set(in_csv) == set(in_json) == set(expected)
        for district, withheld in expected.items():
            figure, organisations = table[district]
            has_bar, chart_text = chart[district]
            row, item = in_csv[district], in_json[district]
            if withheld is None:
                assert has_bar and figure.startswith("£") and organisations.isdigit()
                assert row["suppressed"] == "no" and item["suppression"] is None
                continue
            assert figure.startswith(withheld) and chart_text == withheld, (period, district)
            assert organisations == ("withheld" if withheld == WITHHELD else SMALL)
            assert not has_bar
            assert row["value"] == row["value_in_pounds"] == "" and row["suppressed"] == "yes"
            assert row["organisations"] == withheld
            assert item["value"] is None and item["organisations"] is None
            expected_reason = "complementary" if withheld == WITHHELD else "fewer_than_threshold"
            assert item["suppression"] == expected_reason
        if WITHHELD in expected.values():
            assert "marks a figure from 3 or more organisations that is not shown" in page


def test_no_withheld_figure_is_the_total_less_those_shown(client, scheme):
    districts_with_a_small_one(scheme)
    rows = list(
        csv.DictReader(io.StringIO(client.get("/c/shropshire/impact.csv").get_data(as_text=True)))
    )

    # Total less the districts shown: only the sum of the withheld ones, from 5 organisations.
    cells = [r for r in rows if (r["period"], r["measure_code"]) == (YEAR, "LE1")]
    (total,) = [float(r["value"]) for r in cells if r["breakdown"] == "all"]
    districts = [r for r in cells if r["breakdown"] == "district"]
    shown = sum(float(r["value"]) for r in districts if r["value"])
    assert [r["breakdown_value"] for r in districts if not r["value"]] == ["Ludlow", "Oswestry"]
    assert total - shown == 111 + 222 + 5 + 6 + 7
    # The year's total less April to June's would be July to September's, from one
    # organisation: April to June's total is withheld too (and with it a district beside it).
    (quarter,) = [
        r for r in rows if (r["period"], r["measure_code"], r["breakdown"]) == (Q2, "LE1", "all")
    ]
    assert quarter["value"] == "" and quarter["organisations"] == WITHHELD
    # Across periods: Wem's year less its April to June would be July to September's figure.
    wem = {
        r["period"]: r["value"]
        for r in rows
        if (r["measure_code"], r["breakdown_value"]) == ("LE1", "Wem")
    }
    assert wem[YEAR] and not wem[Q2] and not wem[Q3]


def test_staff_reports_show_every_figure(admin_client, scheme):
    districts_with_a_small_one(scheme)

    page = admin_client.get(f"/admin/impact-report?period={Q2}&measure=LE1").get_data(as_text=True)

    assert "333" in page  # Oswestry, withheld from the public as small
    assert "2,200" in page  # Wem, withheld to protect July to September
    assert WITHHELD not in page
