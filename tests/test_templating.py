"""Figures, dates, tags and error links as people meet them on the pages (issue 11: 1, 2, 5)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from charter import formatting
from charter.extensions import db
from charter.formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_period,
)
from charter.services.domain import periods
from charter.services.domain.signings import signing_of
from tests.factories import make_commissioner, make_mark, make_organisation, submit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("163156.00"), "£163,156"),
        (Decimal("163156.5"), "£163,156.50"),
        (Decimal("0.25"), "£0.25"),
        (Decimal("-1200"), "-£1,200"),
        (0, "£0"),
        (None, ""),
    ],
)
def test_money_shows_pence_only_when_there_are_any(value, expected):
    assert format_money(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("77.00"), "percent", "77%"),
        (Decimal("12.50"), "FTE", "12.5 FTE"),
        (Decimal("40.00"), "weeks", "40 weeks"),
        (Decimal("1.00"), "weeks", "1 week"),
        (Decimal("1200.00"), "hours", "1,200 hours"),
        (Decimal("85500.00"), "GBP", "£85,500"),
        (Decimal("3.00"), "count", "3"),
        (Decimal("7"), "tonnes", "7 tonnes"),
        (None, "GBP", ""),
    ],
)
def test_amount_writes_a_figure_with_its_unit(value, unit, expected):
    assert format_amount(value, unit) == expected


@pytest.mark.parametrize(
    "forms",
    [
        ("12.5", "12.50", "1.25E+1"),
        ("1000", "1000.00", "1E+3"),
        ("-0.5", "-0.50"),
        ("0", "0.00", "-0"),
    ],
)
@pytest.mark.parametrize("formatter", [format_money, format_number])
def test_a_figure_kept_by_value_reads_the_same_in_every_form(forms, formatter):
    """Formatted figures are kept: whichever form of a value comes first, each reads as Babel
    writes it."""
    from babel.numbers import format_currency, format_decimal

    def babel(text: str) -> str:
        amount = Decimal(text)
        if formatter is format_number:
            return format_decimal(amount, "#,##0.##", locale="en_GB")
        if amount == amount.to_integral_value():
            return format_currency(amount, "GBP", "¤#,##0", currency_digits=False, locale="en_GB")
        return format_currency(amount, "GBP", locale="en_GB")

    for order in (forms, tuple(reversed(forms))):
        formatting._pounds.cache_clear()
        formatting._grouped.cache_clear()
        assert [formatter(Decimal(text)) for text in order] == [babel(text) for text in order]


def test_dates_are_written_out():
    assert format_date(date(2028, 10, 24)) == "24 October 2028"
    assert format_date(None) == ""
    assert format_datetime(datetime(2028, 10, 4, 15, 5)) == "4 October 2028 at 3:05pm"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2027, 1, 1), date(2027, 3, 31), "1 January to 31 March 2027"),
        (date(2026, 10, 1), date(2027, 3, 31), "1 October 2026 to 31 March 2027"),
        (date(2027, 4, 1), date(2027, 4, 1), "1 April to 1 April 2027"),
    ],
)
def test_a_period_is_written_one_way_everywhere(app, start, end, expected):
    assert format_period(start, end) == expected
    assert periods.Period(start, end).label == expected
    render = app.jinja_env.from_string("{{ p | period }}").render
    assert render(p=periods.Period(start, end)) == expected


def test_filters_are_registered_for_templates(app):
    render = app.jinja_env.from_string(
        "{{ a | money }}|{{ b | amount('percent') }}|{{ c | date }}|{{ d | quantity }}"
    ).render
    out = render(a=Decimal("163156.00"), b=Decimal("77.00"), c=date(2028, 10, 24), d=1250)
    assert out == "£163,156|77%|24 October 2028|1,250"


def _visible_text(page: str) -> str:
    """Roughly what a person sees: tags stripped, entities decoded once, as a browser does."""
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_standing_on_a_holder_s_register_page_is_a_tag_not_markup(client, scheme):
    holder = make_organisation(scheme=scheme, status="accredited", name="Tag Test Ltd")
    make_mark(holder, scheme)
    page = client.get(f"/c/shropshire/register/{holder.slug}").get_data(as_text=True)
    assert '<strong class="govuk-tag govuk-tag--green">Valid</strong>' in page
    assert "<strong" not in _visible_text(page)
    assert "&lt;strong" not in page


def test_a_date_error_links_to_the_box_that_needs_fixing(member_client, organisation):
    organisation.status = "signatory"
    signing_of(organisation).route = "working_towards"
    db.session.commit()
    council = make_commissioner("Shropshire Council")
    url = f"/organisations/{organisation.slug}/contracts/new"
    response = submit(
        member_client,
        url,
        {
            "commissioner": str(council.id),
            "title": "Highways",
            "value": "1000",
            "start_date": ["1", "", "2026"],
            "end_date": ["", "", ""],
        },
    )
    page = response.get_data(as_text=True)
    summary = page[
        page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))
    ]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == ["start_date-month", "end_date-day"]
    for target in links:  # each link lands on an input that exists
        assert re.search(rf'<input[^>]* id="{target}"', page)
