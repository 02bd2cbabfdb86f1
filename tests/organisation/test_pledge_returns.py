"""Pledges reported and verified (issue 21), through HTTP on Worcestershire's real toolkit: a
supplier pledges at tender, reports a count per contract, a percentage and a yes/no
achievement with its evidence file and date, sends the return, and an assessor sees each kind
as it is and verifies them. Bad answers are refused with a message and change nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Charter, Contract, MonitoringReturn, ReturnLine
from charter.models.base import utcnow
from charter.services.domain import returns as returns_service
from tests.factories import csrf_token, give_role, make_contract, make_user, sign_in, submit
from tests.organisation.contract_helpers import contract_data
from tests.organisation.pledge_helpers import (
    WORCESTERSHIRE,
    load_worcestershire,
    monitor,
    worcestershire_council,
    worcestershire_supplier,
)
from tests.organisation.pledge_helpers import url as org_url
from tests.organisation.return_helpers import PDF, line_of


@pytest.fixture
def worcestershire(app, scheme):
    return load_worcestershire()


@pytest.fixture
def owner(app, scheme):
    return make_user(email="owner@supplier.example")


@pytest.fixture
def supplier(client, owner, worcestershire):
    organisation = worcestershire_supplier(owner, worcestershire)
    sign_in(client, owner.email)
    return organisation


@pytest.fixture
def county(worcestershire):
    return worcestershire_council(worcestershire)


@pytest.fixture
def reviewer(app, assessor, worcestershire):
    """An assessor of Worcestershire's charter, signed in, acting in it (``?charter=``). Also
    the default charter's (the ``assessor`` fixture): the assessment pages act in the default
    charter before they act in the person's own (the lead's branch), and in the charter named
    after."""
    give_role(assessor, "assessor", db.session.get(Charter, worcestershire.charter_id))
    db.session.commit()
    client = app.test_client()
    sign_in(client, assessor.email)
    return client


def review_url(monitoring_return, rest=""):
    return f"/assessor/returns/{monitoring_return.id}{rest}?charter={WORCESTERSHIRE}"


def line_url(organisation, monitoring_return, code, rest=""):
    return org_url(organisation, f"/returns/{monitoring_return.id}/measures/{code}{rest}")


def upload(client, organisation, monitoring_return, code, name="assessment.pdf"):
    page = line_url(organisation, monitoring_return, code)
    return client.post(
        line_url(organisation, monitoring_return, code, "/evidence"),
        data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(PDF), name)},
        content_type="multipart/form-data",
    )


def add_link(client, organisation, monitoring_return, code):
    return submit(
        client,
        line_url(organisation, monitoring_return, code, "/links"),
        {"url": "https://example.com/report", "description": "Training register"},
        form_url=line_url(organisation, monitoring_return, code),
    )


def first_return(client, organisation) -> MonitoringReturn:
    assert client.get(org_url(organisation, "/returns")).status_code == 200  # opens them
    db.session.expire_all()
    return db.session.scalars(
        select(MonitoringReturn)
        .where(MonitoringReturn.organisation_id == organisation.id)
        .order_by(MonitoringReturn.period_start)
    ).first()


# A contract active in every period the returns ask about, whatever the date of the run.
START, END = date.today() - timedelta(days=400), date.today() + timedelta(days=400)


def boxes(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


PAST = boxes(date.today() - timedelta(days=5))


def in_monitoring(supplier, worcestershire, codes=("CD2", "EE1", "DI2")):
    # A plan approved 120 days ago: at least one quarter has ended since.
    monitor(supplier, worcestershire, codes, decided_at=utcnow() - timedelta(days=120))


def test_a_supplier_pledges_reports_three_kinds_and_an_assessor_verifies_them(
    client, supplier, county, worcestershire, reviewer
):
    # At tender: three pledges with their numbers, on a contract recorded through the pages.
    assert (
        submit(
            client,
            org_url(supplier, "/contracts/new"),
            contract_data(county, start_date=boxes(START), end_date=boxes(END)),
        ).status_code
        == 302
    )
    assert submit(client, org_url(supplier, "/contracts/new/check-your-answers")).status_code == 302
    contract = db.session.scalar(select(Contract))
    pledges = org_url(supplier, f"/contracts/{contract.id}/pledges")
    for code, data in (
        ("CD2", {"number_0": "4", "frequency": "quarterly"}),
        ("EE1", {"number_0": "30", "frequency": "quarterly"}),
        ("DI2", {"frequency": "quarterly"}),  # annually: only the year's last return asks
    ):
        assert submit(client, pledges.replace("?", f"/{code}?"), data).status_code == 302
    shown = client.get(org_url(supplier, f"/contracts/{contract.id}")).get_data(as_text=True)
    assert "Train 4 number of staff as Mental Health First Aiders" in shown
    assert "Allocate at least 30% of total expenditure" in shown

    in_monitoring(supplier, worcestershire)
    monitoring_return = first_return(client, supplier)
    assert monitoring_return is not None

    # A count, per contract: the contract's figure.
    cd2 = line_url(supplier, monitoring_return, "CD2")
    page = client.get(cd2).get_data(as_text=True)
    assert contract.title in page
    saved = submit(client, cd2, {f"figure_{contract.id}": "3", "narrative": "Three trained."})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    assert add_link(client, supplier, monitoring_return, "CD2").status_code == 302

    # A percentage, for the organisation: 0 to 100, one decimal place, nothing rounded.
    ee1 = line_url(supplier, monitoring_return, "EE1")
    for typed, message in (
        ("101", "must be 100% or less"),
        ("22.55", "to one decimal place"),
    ):
        refused = submit(client, ee1, {"actual_value": typed, "narrative": "Spent locally."})
        assert refused.status_code == 200
        assert message in refused.get_data(as_text=True)
        assert line_of(monitoring_return, "EE1").actual_value is None
    saved = submit(client, ee1, {"actual_value": "23.5", "narrative": "Spent locally."})
    assert saved.status_code == 302
    assert add_link(client, supplier, monitoring_return, "EE1").status_code == 302

    # An achievement: a yes needs the date and a file that shows it.
    di2 = line_url(supplier, monitoring_return, "DI2")
    page = client.get(di2).get_data(as_text=True)
    assert "Has it been achieved?" in page
    achieved_on = date.today() - timedelta(days=10)
    day = [str(achieved_on.day), str(achieved_on.month), str(achieved_on.year)]
    no_date = submit(client, di2, {"achieved": "yes", "narrative": "Assessed."})
    assert "Enter the date it was achieved" in no_date.get_data(as_text=True)
    no_file = submit(client, di2, {"achieved": "yes", "achieved_on": day, "narrative": "Assessed."})
    assert "Upload a file that shows it was achieved" in no_file.get_data(as_text=True)
    assert line_of(monitoring_return, "DI2").achieved is None
    assert upload(client, supplier, monitoring_return, "DI2").status_code == 302
    saved = submit(client, di2, {"achieved": "yes", "achieved_on": day, "narrative": "Assessed."})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    line = line_of(monitoring_return, "DI2")
    assert (line.achieved, line.achieved_on, line.actual_value) == (True, achieved_on, None)

    # Sent for verification.
    check = client.get(org_url(supplier, f"/returns/{monitoring_return.id}/check-your-answers"))
    check_text = check.get_data(as_text=True)
    assert "Yes, achieved on" in check_text and "23.5%" in check_text
    db.session.expire_all()
    version = db.session.get(MonitoringReturn, monitoring_return.id).version_id
    sent = submit(
        client,
        org_url(supplier, f"/returns/{monitoring_return.id}/check-your-answers"),
        {"version": str(version)},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:3000]

    # The assessor sees each kind as it is, with the achievement's evidence, and verifies.
    review = reviewer.get(review_url(monitoring_return))
    assert review.status_code == 200
    text = review.get_data(as_text=True)
    assert f"Yes, achieved on {achieved_on.day} " in text
    assert "assessment.pdf" in text and "/evidence/" in text
    assert "23.5%" in text
    assert "Total: <strong>3</strong>" in text
    db.session.expire_all()
    lines = db.session.scalars(
        select(ReturnLine).where(ReturnLine.return_id == monitoring_return.id)
    ).all()
    data = {"version": str(db.session.get(MonitoringReturn, monitoring_return.id).version_id)}
    for each in lines:
        data[f"decision_{each.id}"] = "accepted"
        data[f"comment_{each.id}"] = ""
    decided = submit(
        reviewer,
        review_url(monitoring_return, "/decision"),
        data,
        form_url=review_url(monitoring_return),
    )
    assert decided.status_code == 302, decided.get_data(as_text=True)[:3000]
    db.session.expire_all()
    assert db.session.get(MonitoringReturn, monitoring_return.id).status == "verified"


@pytest.fixture
def reporting(client, supplier, county, worcestershire):
    """The supplier in monitoring, its returns reporting a pair for the organisation (DI3), a
    pair per contract (ES1) and an achievement (DI2), with a contract active."""
    contract = make_contract(
        supplier, county, title="Home care, north", start_date=START, end_date=END
    )
    in_monitoring(supplier, worcestershire, ("DI2", "DI3", "ES1"))
    return first_return(client, supplier), contract


DI3_FIRST, DI3_SECOND = "Carers identified", "Staff with flexible working arrangements"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"actual_value": "4"}, f"Enter the figure for ‘{DI3_SECOND}’"),
        ({"second_value": "40"}, f"Enter the figure for ‘{DI3_FIRST}’"),
        ({"actual_value": "4", "second_value": "100.5"}, "must be 100% or less"),
        ({"actual_value": "4", "second_value": "40.25"}, "to one decimal place"),
        ({"actual_value": "4.5", "second_value": "40"}, "as a whole number"),
        ({"actual_value": "4", "second_value": "-1"}, "must be 0 or more"),
    ],
)
def test_a_pairs_figures_are_each_checked_in_their_own_unit(
    client, supplier, reporting, data, message
):
    monitoring_return, _contract = reporting
    response = submit(
        client, line_url(supplier, monitoring_return, "DI3"), {**data, "narrative": "Done."}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    line = line_of(monitoring_return, "DI3")
    assert (line.actual_value, line.second_value) == (None, None)


def test_a_pair_for_the_organisation_is_saved_and_shown_with_its_labels(
    client, supplier, reporting
):
    monitoring_return, _contract = reporting
    page = client.get(line_url(supplier, monitoring_return, "DI3")).get_data(as_text=True)
    assert DI3_FIRST in page and DI3_SECOND in page
    data = {"actual_value": "4", "second_value": "62.5", "narrative": "Done."}
    assert submit(client, line_url(supplier, monitoring_return, "DI3"), data).status_code == 302
    line = line_of(monitoring_return, "DI3")
    assert (str(line.actual_value), str(line.second_value)) == ("4.00", "62.50")
    shown = client.get(org_url(supplier, f"/returns/{monitoring_return.id}")).get_data(as_text=True)
    assert f"{DI3_FIRST}: 4; {DI3_SECOND}: 62.5%" in shown


def test_a_pair_per_contract_takes_both_figures_for_each_contract(
    client, supplier, reporting, reviewer
):
    monitoring_return, contract = reporting
    es1 = line_url(supplier, monitoring_return, "ES1")
    half = submit(client, es1, {f"figure_{contract.id}": "2", "narrative": "Two sessions."})
    assert "Enter the figure ‘Staff trained’ for Home care, north" in half.get_data(as_text=True)
    data = {
        f"figure_{contract.id}": "2",
        f"second_{contract.id}": "18",
        "figure_none": "1",
        "second_none": "5",
        "narrative": "Three sessions.",
    }
    assert submit(client, es1, data).status_code == 302
    line = line_of(monitoring_return, "ES1")
    assert (line.actual_value, line.second_value) == (3, 23)
    # One figure of the pair without the other, not on a listed contract: refused.
    lopsided = submit(client, es1, {**data, "second_none": ""})
    assert "Enter both figures for each contract for ES1" in lopsided.get_data(as_text=True)
    assert line_of(monitoring_return, "ES1").second_value == 23
    # The assessor sees both parts, contract by contract, labelled.
    monitoring_return.status = "submitted"
    monitoring_return.submitted_at = utcnow()
    db.session.commit()
    # The supplier's contract page lists the sent figures, both parts.
    contract_page = client.get(org_url(supplier, f"/contracts/{contract.id}")).get_data(
        as_text=True
    )
    assert "Training sessions: 2; Staff trained: 18" in contract_page
    text = reviewer.get(review_url(monitoring_return)).get_data(as_text=True)
    assert "Training sessions: 2; Staff trained: 18" in text
    assert "Total: <strong>Training sessions: 3; Staff trained: 23</strong>" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select yes if it was achieved, or no if not yet"),
        ({"achieved": "maybe"}, "Select yes if it was achieved, or no if not yet"),
        ({"achieved": "yes"}, "Enter the date it was achieved"),
        ({"achieved": "yes", "achieved_on": ["31", "2", "2026"]}, "must be a real date"),
        ({"achieved": "yes", "achieved_on": "tomorrow"}, "must be today or in the past"),
        ({"achieved": "no", "achieved_on": PAST}, "Leave the date empty"),
        ({"achieved": "yes", "achieved_on": PAST}, "Upload a file that shows it"),
    ],
)
def test_an_achievement_is_refused_without_what_it_needs(
    client, supplier, reporting, data, message
):
    monitoring_return, _contract = reporting
    if data.get("achieved_on") == "tomorrow":
        day = date.today() + timedelta(days=1)
        data = {**data, "achieved_on": [str(day.day), str(day.month), str(day.year)]}
    response = submit(
        client, line_url(supplier, monitoring_return, "DI2"), {**data, "narrative": "Done."}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    line = line_of(monitoring_return, "DI2")
    assert (line.achieved, line.achieved_on) == (None, None)


def test_a_no_is_saved_without_a_date_or_file_and_a_return_cannot_go_unanswered(
    client, supplier, reporting
):
    monitoring_return, _contract = reporting
    check = org_url(supplier, f"/returns/{monitoring_return.id}/check-your-answers")
    assert "say whether it has been achieved" in client.get(check).get_data(as_text=True)
    di2 = line_url(supplier, monitoring_return, "DI2")
    assert submit(client, di2, {"achieved": "no", "narrative": "Booked."}).status_code == 302
    line = line_of(monitoring_return, "DI2")
    assert (line.achieved, line.achieved_on) == (False, None)
    text = client.get(check).get_data(as_text=True)
    assert "say whether it has been achieved" not in text
    assert "No, not yet achieved" in text
    # A yes whose file was removed since cannot be sent.
    assert upload(client, supplier, monitoring_return, "DI2").status_code == 302
    day = PAST
    data = {"achieved": "yes", "achieved_on": day, "narrative": "Done."}
    assert submit(client, di2, data).status_code == 302
    file = returns_service.evidence_for([line_of(monitoring_return, "DI2")]).files
    file_id = next(iter(file.values()))[0].id
    removed = submit(
        client,
        org_url(supplier, f"/returns/{monitoring_return.id}/evidence/{file_id}/remove"),
        form_url=di2,
    )
    assert removed.status_code == 302, removed.get_data(as_text=True)[:2000]
    assert "upload a file that shows it was achieved" in client.get(check).get_data(as_text=True)


def test_a_pairs_second_figure_far_above_the_usual_is_flagged_like_any_figure(
    client, supplier, reporting
):
    monitoring_return, _contract = reporting
    earlier = MonitoringReturn(
        organisation_id=supplier.id,
        signing_id=monitoring_return.signing_id,
        period_start=monitoring_return.period_start - timedelta(days=92),
        period_end=monitoring_return.period_start - timedelta(days=1),
        due_date=monitoring_return.period_start + timedelta(days=29),
        status="verified",
    )
    di3 = line_of(monitoring_return, "DI3").measure_id
    earlier.lines = [ReturnLine(measure_id=di3, actual_value=4, second_value=5)]
    db.session.add(earlier)
    db.session.commit()
    data = {"actual_value": "4", "second_value": "62.5", "narrative": "Done."}
    saved = submit(client, line_url(supplier, monitoring_return, "DI3"), data)
    assert saved.status_code == 302  # saved, and back to the page to explain it
    line = line_of(monitoring_return, "DI3")
    assert line.flag_reasons == [
        f"{DI3_SECOND}: 62.5% is more than 10 times the organisation's usual figure (5%, the "
        "median of its earlier returns)"
    ]
    page = client.get(line_url(supplier, monitoring_return, "DI3")).get_data(as_text=True)
    assert "62.5% is more than 10 times" in page.replace("&#39;", "'")
