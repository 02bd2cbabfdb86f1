"""The year-on-year line on /impact compares like with like: the organisations that reported in
both periods, where that gives away nothing about those that joined or left; otherwise the two
totals with how many organisations each is from. A withheld year before says so."""

from __future__ import annotations

from datetime import date

from tests.factories import make_return
from tests.services.read_models.impact_helpers import contributor, rebuild, verified

QUARTER = "2026-Q2"
A_YEAR_BEFORE = (date(2025, 4, 1), date(2025, 6, 30))


def _a_year_before(organisation, measures, amount: int) -> None:
    make_return(organisation, measures, 2, {"LE1": str(amount)}, period=A_YEAR_BEFORE)


def _reporting(scheme, both: int, joined: int, before_only: int = 0):
    """``both`` organisations report £100 in April to June 2025 and £150 in 2026; ``joined``
    report £1,000 in 2026 only; ``before_only`` £500 in 2025 only."""
    for _ in range(both):
        organisation, measures = contributor(scheme, "Shrewsbury")
        _a_year_before(organisation, measures, 100)
        verified(organisation, measures, 2, LE1=150)
    for _ in range(joined):
        organisation, measures = contributor(scheme, "Shrewsbury")
        verified(organisation, measures, 2, LE1=1000)
    for _ in range(before_only):
        organisation, measures = contributor(scheme, "Shrewsbury")
        _a_year_before(organisation, measures, 500)
    rebuild()


def _page(client) -> str:
    return client.get(f"/c/shropshire/impact?period={QUARTER}&measure=LE1").get_data(as_text=True)


def test_the_change_is_among_the_organisations_that_reported_in_both(client, scheme):
    _reporting(scheme, both=4, joined=3)

    page = _page(client)

    # Like for like: 4 x £150 against 4 x £100, not £3,600 against £400.
    assert "Up £200 on the year before, among the 4 organisations that reported in both" in page
    assert "Up £3,200" not in page


def test_too_few_joined_to_compare_like_for_like_gives_both_counts(client, scheme):
    """Two organisations joined: the like-for-like figure would tell their sum (the total less
    it), so the totals are compared, saying how many organisations each is from."""
    _reporting(scheme, both=4, joined=2)

    page = _page(client)

    assert "among the" not in page
    assert "Up £2,200 on the year before (from 6 organisations, against 4 the year before)" in page


def test_too_few_left_to_compare_like_for_like_gives_both_counts(client, scheme):
    _reporting(scheme, both=4, joined=0, before_only=1)

    page = _page(client)

    assert "among the" not in page
    assert "(from 4 organisations, against 5 the year before)" in page


def test_a_withheld_year_before_says_withheld(client, scheme):
    """April to June 2025 from 2 organisations is withheld; four more report in July to
    September 2025, so the 2025-26 year is shown (and its July to September withheld)."""
    for _ in range(4):
        organisation, measures = contributor(scheme, "Shrewsbury")
        period = (date(2025, 7, 1), date(2025, 9, 30))
        make_return(organisation, measures, 3, {"LE1": "300"}, period=period)
    _reporting(scheme, both=2, joined=3)

    page = _page(client)

    assert "The year before: withheld" in page
    assert "No figure for the year before" not in page


def test_no_year_before_says_so(client, scheme):
    _reporting(scheme, both=0, joined=3)

    assert "No figure for the year before" in _page(client)
