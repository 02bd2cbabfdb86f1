from datetime import date, datetime
from decimal import Decimal

from charter.extensions import db as _db
from charter.models import (
    Contract,
)
from charter.services.domain.progress import charter_mark_checklist, measure_progress
from tests.factories import make_approved_plan, make_commissioner, make_organisation, make_return

# The plans below are approved on 1 January 2026: plan year 1 is the calendar year 2026.
TODAY = date(2026, 12, 1)


def test_flows_add_up_and_stocks_take_the_latest_verified_period(app, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    measures = make_approved_plan(
        org, scheme, {"LE1": (10_000, 50_000), "LE8": (70, 90), "LE5": (0, 0)}
    )
    make_return(org, measures, 1, {"LE1": 20_000, "LE8": 85, "LE5": 0})
    make_return(org, measures, 2, {"LE1": 35_000, "LE8": 92, "LE5": 0})
    make_return(org, measures, 3, {"LE1": 99_999, "LE8": 10}, status="submitted")  # not verified

    progress = {p.measure.code: p for p in measure_progress(org, TODAY)}

    assert progress["LE1"].achieved == 55_000 and progress["LE1"].is_met
    assert progress["LE1"].percent_of_target == 110
    assert progress["LE8"].achieved == 92 and progress["LE8"].is_met  # latest, not 177
    # A zero target is met once a verified period reports it, not before.
    assert progress["LE5"].is_met and progress["LE5"].percent_of_target == 100


def test_a_target_exactly_reached_is_met_and_one_short_is_not(app, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    measures = make_approved_plan(org, scheme, {"LE1": (0, 1000), "LE2": (0, 1000)})
    make_return(org, measures, 1, {"LE1": 1000, "LE2": 999})
    _db.session.commit()
    progress = {p.measure.code: p for p in measure_progress(org, TODAY)}
    assert progress["LE1"].is_met and not progress["LE2"].is_met


def test_the_checklist_says_what_is_still_needed(app, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    measures = make_approved_plan(org, scheme, {"LE1": (0, 100), "LE3": (0, 100)})
    make_return(org, measures, 1, {"LE1": 100, "LE3": 0})
    _db.session.commit()

    items = charter_mark_checklist(org, scheme, measure_progress(org, TODAY), TODAY)
    assert [(i.done, i.detail) for i in items] == [
        (False, "0 recorded"),
        (False, "0 of 0 confirmed"),
        (False, "1 verified"),
        (True, "1 of 1 met"),
        (False, "1 of 2 met (50%)"),
    ]

    council = make_commissioner("Shropshire Council")
    _db.session.add(
        Contract(
            organisation_id=org.id,
            commissioner_id=council.id,
            title="Highways maintenance",
            value=Decimal(250_000),
            start_date=date(2026, 1, 1),
            end_date=date(2027, 12, 31),
            confirmation_status="confirmed",
        )
    )
    make_return(org, measures, 2, {"LE1": 0, "LE3": 100})
    _db.session.commit()
    items = charter_mark_checklist(org, scheme, measure_progress(org, TODAY), TODAY)
    assert all(i.done for i in items)


def test_no_approved_plan_means_no_progress(app, scheme):
    org = make_organisation(scheme=scheme, status="signatory")
    assert measure_progress(org) == []


# --- plan years: a flow target is annual, a stock target a level ------------------------------

APPROVED = datetime(2026, 4, 1, 10, 0)  # plan year 1: 1 April 2026 to 31 March 2027


def _flow_plan(scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    measures = make_approved_plan(
        org, scheme, {"LE1": (0, 100_000), "LE8": (70, 90)}, decided_at=APPROVED
    )
    return org, measures


def _le1(org, today):
    return {p.measure.code: p for p in measure_progress(org, today)}["LE1"]


def test_an_annual_flow_target_counts_the_current_plan_year_and_the_next_starts_from_zero(
    app, scheme
):
    org, measures = _flow_plan(scheme)
    make_return(org, measures, 0, {"LE1": 60_000}, period=(date(2026, 4, 1), date(2026, 6, 30)))
    make_return(org, measures, 0, {"LE1": 60_000}, period=(date(2026, 7, 1), date(2026, 9, 30)))

    year_one = _le1(org, date(2027, 3, 31))  # the last day of plan year 1
    assert (year_one.achieved, year_one.target_value, year_one.periods) == (120_000, 100_000, 2)
    assert year_one.window.label == "in the plan year 1 April 2026 to 31 March 2027"
    assert year_one.met_now and year_one.percent_of_target == 120

    year_two = _le1(org, date(2027, 4, 1))  # the first day of plan year 2
    assert (year_two.achieved, year_two.periods, year_two.met_now) == (0, 0, False)
    assert year_two.window.label == "in the plan year 1 April 2027 to 31 March 2028"
    assert [(y.achieved, y.is_met) for y in year_two.past_years] == [(120_000, True)]
    # Met last plan year: still met, and the page can say when.
    assert year_two.is_met and year_two.met_in == year_two.past_years[0].window

    year_three = _le1(org, date(2028, 4, 1))  # nothing in plan year 2: no longer met
    assert not year_three.is_met
    assert [y.achieved for y in year_three.past_years] == [120_000, 0]


def test_a_period_counts_in_the_plan_year_in_which_it_ends(app, scheme):
    org, measures = _flow_plan(scheme)
    # Ends on the last day of plan year 1: year 1.
    make_return(org, measures, 0, {"LE1": 1_000}, period=(date(2027, 1, 1), date(2027, 3, 31)))
    # Straddles the two years (March to May 2027): counted wholly in plan year 2.
    make_return(org, measures, 0, {"LE1": 20_000}, period=(date(2027, 3, 1), date(2027, 5, 31)))
    # Ends on the first day of plan year 2... and one before the plan: in no plan year.
    make_return(org, measures, 0, {"LE1": 300}, period=(date(2027, 3, 2), date(2027, 4, 1)))
    make_return(org, measures, 0, {"LE1": 9_999}, period=(date(2026, 1, 1), date(2026, 3, 31)))

    progress = _le1(org, date(2027, 6, 1))
    assert progress.achieved == 20_300 and progress.periods == 2
    assert [y.achieved for y in progress.past_years] == [1_000]


def test_a_stock_takes_the_latest_verified_figure_and_says_which_period(app, scheme):
    org, measures = _flow_plan(scheme)
    make_return(org, measures, 0, {"LE8": 95}, period=(date(2026, 4, 1), date(2026, 6, 30)))
    make_return(org, measures, 0, {"LE8": 88}, period=(date(2027, 1, 1), date(2027, 3, 31)))
    make_return(
        org, measures, 0, {"LE8": 99}, period=(date(2027, 4, 1), date(2027, 6, 30)), status="draft"
    )
    le8 = {p.measure.code: p for p in measure_progress(org, date(2028, 1, 1))}["LE8"]
    assert le8.achieved == 88 and not le8.is_met and le8.past_years == ()
    assert le8.window.label == "latest, for 1 January to 31 March 2027"


def test_plan_years_from_29_february_and_before_the_plan():
    from charter.services.domain.periods import plan_year_containing

    assert plan_year_containing(date(2028, 2, 29), date(2028, 2, 28)) is None
    year = plan_year_containing(date(2028, 2, 29), date(2029, 2, 28))
    assert (year.number, year.start, year.end) == (2, date(2029, 2, 28), date(2030, 2, 27))
    first = plan_year_containing(date(2028, 2, 29), date(2029, 2, 27))
    assert (first.number, first.end) == (1, date(2029, 2, 27))
