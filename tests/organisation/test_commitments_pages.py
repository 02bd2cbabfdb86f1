"""Commitments at tender against delivery on the organisation's contract page and dashboard,
the assessor's application view and the commissioner's contract view, through HTTP: the same
figures on each (one service), and a number of queries that does not grow with the contracts
and periods."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models import Contract, ContractManager
from charter.models.assessment import Application
from tests.factories import make_application, make_organisation, make_user, sign_in
from tests.organisation.commitment_helpers import history

CELL = re.compile(r'<td class="[^"]*" data-label="([^"]+)">(.*?)</td>', re.S)


def _cells(html: str) -> list[tuple[str, str]]:
    section = html.split('<div class="app-commitments">', 1)[1]
    return [
        (label, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for label, text in CELL.findall(section)
    ]


def _application(organisation, scheme, member) -> Application:
    application = make_application(organisation, scheme, member)
    db.session.commit()
    return application


def _pages(organisation, application) -> dict[str, str]:
    contract = db.session.scalar(
        select(Contract).where(Contract.organisation_id == organisation.id).limit(1)
    )
    return {
        "contract": f"/organisations/{organisation.slug}/contracts/{contract.id}",
        "dashboard": f"/organisations/{organisation.slug}",
        "application": f"/assessor/applications/{application.id}",
    }


def test_the_three_views_show_the_same_commitments_and_delivery(
    member_client, assessor_client, organisation, scheme, member
):
    organisation.status = "monitoring"
    history(organisation, scheme, contracts=1, periods=2)  # April to September 2026, verified
    application = _application(organisation, scheme, member)
    urls = _pages(organisation, application)

    seen = {}
    for name, url in urls.items():
        client = assessor_client if name == "application" else member_client
        response = client.get(url)
        assert response.status_code == 200, name
        seen[name] = _cells(response.get_data(as_text=True))
    assert seen["contract"] == seen["dashboard"] == seen["application"]

    # The fourth view: the commissioner's contract manager sees the same figures.
    contract = db.session.scalar(
        select(Contract).where(Contract.organisation_id == organisation.id).limit(1)
    )
    manager = make_user(email="contracts@commissioner.example")
    db.session.add(ContractManager(commissioner_id=contract.commissioner_id, user_id=manager.id))
    db.session.commit()
    manager_client = current_app.test_client()
    sign_in(manager_client, manager.email)
    response = manager_client.get(f"/commissioner/contracts/{contract.id}")
    assert response.status_code == 200
    assert _cells(response.get_data(as_text=True)) == seen["contract"]

    cells = dict(seen["contract"][:3])  # LE1, the first measure
    term = (date.today() - date(2026, 4, 1)).days * 100 // 730
    assert cells["Committed at tender"] == "£100,000"
    assert cells["Delivered to date"] == "£20,000 from 2 verified periods"
    assert (
        cells["Share delivered"].startswith("20% ")
        and f"against {term}% of the term" in (cells["Share delivered"])
    )
    page = member_client.get(urls["dashboard"]).get_data(as_text=True)
    assert f"of the contract’s term had passed on {date.today():%-d %B %Y}" in page
    assert "Reported for the whole organisation, not per contract" in page


def _count(client, url, query_counter) -> int:
    db.session.expire_all()
    with query_counter() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.value


def test_query_counts_do_not_grow_with_contracts_and_periods(
    member_client, assessor_client, member, scheme, query_counter
):
    counts = {}
    for size, (contracts, periods) in {"small": (1, 2), "large": (4, 6)}.items():
        organisation = make_organisation(owner=member, scheme=scheme, status="monitoring")
        history(organisation, scheme, contracts=contracts, periods=periods)
        application = _application(organisation, scheme, member)
        for name, url in _pages(organisation, application).items():
            client = assessor_client if name == "application" else member_client
            if name == "dashboard":
                organisation.status = "monitoring"
                db.session.commit()
            counts[(name, size)] = _count(client, url, query_counter)
    for name in ("contract", "dashboard", "application"):
        assert counts[(name, "small")] == counts[(name, "large")], (name, counts)
