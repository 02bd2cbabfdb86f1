"""Figures out of line, through HTTP: flagged as they are saved (above the contract's pro-rata
value, FTE above the size band, ten times the usual), explained by the organisation before the
return can be sent, shown to the assessor, the contract manager and the administrators, and
counted only once an assessor has checked them (charter.services.domain.plausibility)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.formatting import format_money
from charter.models import AuditEvent, Commissioner, ContractFigure, MonitoringReturn, ReturnLine
from charter.services.domain.plausibility import contract_value_for_period, counts
from tests.commissioner.monitoring_helpers import make_manager
from tests.factories import make_commissioner, make_contract, sign_in, submit
from tests.organisation.return_helpers import (
    line_of,
    line_url,
    open_returns,
    return_url,
)

NARRATIVE = "Bought from local suppliers."


@pytest.fixture
def returns_and_contract(organisation, scheme):
    first, second = open_returns(organisation, scheme)
    council = make_commissioner("Shropshire Council")
    contract = make_contract(
        organisation,
        council,
        title="Road gritting",
        value="37000",
        start_date=first.period_start,
        end_date=first.period_start + timedelta(days=364),
    )
    return first, second, contract


def _post(client, organisation, monitoring_return, code, **data):
    data = {"narrative": NARRATIVE, **data}
    return submit(client, line_url(organisation, monitoring_return, code), data)


def _counted_values() -> list[Decimal]:
    return list(
        db.session.scalars(
            select(ReturnLine.actual_value)
            .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
            .where(counts(), ReturnLine.actual_value.is_not(None))
        )
    )


def test_a_figure_above_the_contracts_value_for_the_period_is_flagged_and_must_be_explained(
    member_client, organisation, returns_and_contract
):
    first, _, contract = returns_and_contract
    key = f"figure_{contract.id}"
    response = _post(member_client, organisation, first, "LE1", **{key: "999,999"})
    # Saved, and back to the figure's page, which says why it is out of line.
    assert response.status_code == 302
    assert response.headers["Location"].endswith(line_url(organisation, first, "LE1"))
    share = contract_value_for_period(contract, first.period_start, first.period_end)
    html = member_client.get(line_url(organisation, first, "LE1")).get_data(as_text=True)
    assert "This figure is out of line" in html
    assert "£999,999 for Road gritting is more than the contract" in html
    assert f"({format_money(share)}: £37,000 pro rata)" in html
    assert "Why is this figure right?" in html
    line = line_of(first, "LE1")
    assert line.flag_reasons and line.flag_explanation is None

    check = member_client.get(return_url(organisation, first, "/check-your-answers"))
    assert "explain why the figure is out of line" in check.get_data(as_text=True)

    explained = _post(
        member_client,
        organisation,
        first,
        "LE1",
        **{key: "999,999", "flag_explanation": "Two years of invoices paid in one quarter."},
    )
    assert explained.headers["Location"].endswith(return_url(organisation, first))
    check = member_client.get(return_url(organisation, first, "/check-your-answers"))
    html = check.get_data(as_text=True)
    assert "explain why the figure is out of line" not in html
    assert "Two years of invoices paid in one quarter." in html and "Out of line" in html

    # Corrected: no longer flagged, and the explanation goes with the flag.
    _post(member_client, organisation, first, "LE1", **{key: "1,200"})
    line = line_of(first, "LE1")
    assert line.flag_reasons is None and line.flag_explanation is None


@pytest.mark.parametrize(
    ("code", "figure", "reason"),
    [
        ("LE4", "60", "60 FTE is more than an organisation of its size (small"),
        ("LE4", "49.5", "49.5 FTE is more than an organisation of its size"),
    ],
)
def test_fte_above_the_size_band_is_flagged(
    member_client, organisation, scheme, code, figure, reason
):
    first, _ = open_returns(organisation, scheme)
    assert _post(member_client, organisation, first, code, figure_none=figure).status_code == 302
    assert reason in line_of(first, code).flag_reasons[0]


@pytest.mark.parametrize(("figure", "flagged"), [("49", False), ("12.5", False), ("0", False)])
def test_fte_within_the_size_band_is_not_flagged(
    member_client, organisation, scheme, figure, flagged
):
    first, _ = open_returns(organisation, scheme)
    _post(member_client, organisation, first, "LE4", figure_none=figure)
    assert line_of(first, "LE4").is_flagged is flagged


def test_a_figure_ten_times_the_usual_is_flagged(member_client, organisation, scheme):
    first, second = open_returns(organisation, scheme)
    earlier = line_of(first, "LE5")
    earlier.actual_value = Decimal(10)
    db.session.get(MonitoringReturn, first.id).status = "verified"
    db.session.commit()
    _post(member_client, organisation, second, "LE5", figure_none="100")
    assert not line_of(second, "LE5").is_flagged
    _post(member_client, organisation, second, "LE5", figure_none="101")
    (reason,) = line_of(second, "LE5").flag_reasons
    assert reason == (
        "101 weeks is more than 10 times the organisation's usual figure "
        "(10 weeks, the median of its earlier returns)"
    )


def _flagged_verified(first, contract) -> ReturnLine:
    line = line_of(first, "LE1")
    db.session.add(
        ContractFigure(return_line_id=line.id, contract_id=contract.id, value=Decimal(500000))
    )
    line.actual_value = Decimal(500000)
    line.narrative = NARRATIVE
    line.flag_reasons = ["£500,000 for Road gritting is more than the contract's value"]
    line.flag_explanation = "A one-off bulk purchase of grit."
    db.session.get(MonitoringReturn, first.id).status = "verified"
    db.session.commit()
    return line


def test_a_flagged_figure_counts_only_once_an_assessor_has_checked_it(
    assessor_client, organisation, returns_and_contract
):
    first, _, contract = returns_and_contract
    line = _flagged_verified(first, contract)
    assert Decimal(500000) not in _counted_values()

    html = assessor_client.get(f"/assessor/returns/{first.id}").get_data(as_text=True)
    assert "Out of line" in html and "A one-off bulk purchase of grit." in html
    assert "is more than the contract&#39;s value" in html
    assert "I have checked this figure" in html

    url = f"/assessor/returns/{first.id}/lines/{line.id}/checked"
    response = submit(assessor_client, url, {}, form_url=f"/assessor/returns/{first.id}")
    assert response.status_code == 302
    line = line_of(first, "LE1")
    assert line.flag_checked_at is not None and line.flag_checked_by_id is not None
    assert Decimal(500000) in _counted_values()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.trigger == "figure_checked"))
    assert event.organisation_id == organisation.id and "LE1" in event.reason
    html = assessor_client.get(f"/assessor/returns/{first.id}").get_data(as_text=True)
    assert "Checked by an assessor on" in html and "I have checked this figure" not in html


def test_a_figure_not_flagged_cannot_be_checked(assessor_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    line = line_of(first, "LE8")
    url = f"/assessor/returns/{first.id}/lines/{line.id}/checked"
    response = submit(assessor_client, url, {}, form_url=f"/assessor/returns/{first.id}")
    assert response.status_code == 409
    assert line_of(first, "LE8").flag_checked_at is None


def test_members_cannot_check_figures(member_client, organisation, returns_and_contract):
    first, _, contract = returns_and_contract
    line = _flagged_verified(first, contract)
    url = f"/assessor/returns/{first.id}/lines/{line.id}/checked"
    response = member_client.post(url, data={})
    assert response.status_code in (403, 400)
    assert line_of(first, "LE1").flag_checked_at is None


def test_the_contract_manager_sees_the_flag_and_the_explanation(
    app, organisation, returns_and_contract
):
    first, _, contract = returns_and_contract
    _flagged_verified(first, contract)
    manager = make_manager(db.session.get(Commissioner, contract.commissioner_id))
    http = app.test_client()
    sign_in(http, manager.email)
    html = http.get(f"/commissioner/contracts/{contract.id}").get_data(as_text=True)
    assert "Out of line" in html and "A one-off bulk purchase of grit." in html


def test_administrators_list_flagged_figures_with_their_state(
    admin_client, organisation, returns_and_contract
):
    first, _, contract = returns_and_contract
    _flagged_verified(first, contract)
    html = admin_client.get("/admin/flagged-figures").get_data(as_text=True)
    assert organisation.name in html and "A one-off bulk purchase of grit." in html
    assert "Waiting for an assessor’s check" in html
    dashboard = admin_client.get("/admin/").get_data(as_text=True)
    assert "1 flagged figure waiting for an assessor’s check" in dashboard
    assert "/admin/flagged-figures" in dashboard
