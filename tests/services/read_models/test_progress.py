from datetime import date
from decimal import Decimal

from charter.extensions import db as _db
from charter.models import (
    Commissioner,
    Contract,
)
from charter.services.read_models.progress import charter_mark_checklist, measure_progress
from tests.factories import make_approved_plan, make_organisation, make_return


def test_flows_add_up_and_stocks_take_the_latest_verified_period(app, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    measures = make_approved_plan(
        org, scheme, {"LE1": (10_000, 50_000), "LE8": (70, 90), "LE5": (0, 0)}
    )
    make_return(org, measures, 1, {"LE1": 20_000, "LE8": 85, "LE5": 0})
    make_return(org, measures, 2, {"LE1": 35_000, "LE8": 92, "LE5": 0})
    make_return(org, measures, 3, {"LE1": 99_999, "LE8": 10}, status="submitted")  # not verified

    progress = {p.measure.code: p for p in measure_progress(org)}

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
    progress = {p.measure.code: p for p in measure_progress(org)}
    assert progress["LE1"].is_met and not progress["LE2"].is_met


def test_the_checklist_says_what_is_still_needed(app, scheme):
    org = make_organisation(scheme=scheme, status="monitoring")
    measures = make_approved_plan(org, scheme, {"LE1": (0, 100), "LE3": (0, 100)})
    make_return(org, measures, 1, {"LE1": 100, "LE3": 0})
    _db.session.commit()

    items = charter_mark_checklist(org, scheme, measure_progress(org))
    assert [(i.done, i.detail) for i in items] == [
        (False, "0 recorded"),
        (False, "1 verified"),
        (True, "1 of 1 met"),
        (False, "1 of 2 met (50%)"),
    ]

    council = Commissioner(name="Shropshire Council")
    _db.session.add(council)
    _db.session.flush()
    _db.session.add(
        Contract(
            organisation_id=org.id,
            commissioner_id=council.id,
            title="Highways maintenance",
            value=Decimal(250_000),
            start_date=date(2026, 1, 1),
            end_date=date(2027, 12, 31),
        )
    )
    make_return(org, measures, 2, {"LE1": 0, "LE3": 100})
    _db.session.commit()
    items = charter_mark_checklist(org, scheme, measure_progress(org))
    assert all(i.done for i in items)


def test_no_approved_plan_means_no_progress(app, scheme):
    org = make_organisation(scheme=scheme, status="signatory")
    assert measure_progress(org) == []
