"""Cheshire West and Chester's charter for the social value tests (issue 21): its real scheme
file loaded as the service's first charter, a supplier signed to it, the council as a
commissioner taking part with a contract manager, and proxy values for some of its measures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from charter.extensions import db
from charter.models import Contract
from charter.services.domain.proxy_values import set_proxy_value
from charter.services.domain.schemes import load_scheme_file
from tests.commissioner.monitoring_helpers import make_manager, measures_by_code
from tests.factories import make_commissioner, make_organisation, make_user, sign_in, submit

SCHEME_FILE = Path(__file__).resolve().parents[2] / "schemes" / "cheshire-west-and-chester.toml"
COUNCIL = "Cheshire West and Chester Council"
# Pounds per unit, set by the tests (the scheme file sets none: they are the administrators').
# CW4 (employment activities) is left without one on purpose.
PROXIES = {"CW1": "100", "CW2": "50", "CW3": "200", "CW5": "1.50"}


def load_cheshire_west():
    scheme = load_scheme_file(SCHEME_FILE).scheme
    db.session.commit()
    return scheme


def set_proxies(scheme, values: dict[str, str] = PROXIES) -> None:
    today = date.today()
    measures = measures_by_code(scheme)
    for code, value in values.items():
        set_proxy_value(
            measures[code], Decimal(value), effective_from=today, today=today, set_by_id=None
        )
    db.session.commit()


def supplier_and_council(app, scheme):
    """(supplier, its member's client, the council, its contract manager's client)."""
    owner = make_user(email="owen@deeside-works.example", full_name="Owen Owner")
    supplier = make_organisation(
        owner=owner,
        scheme=scheme,
        name="Deeside Works",
        status="monitoring",
        district="Cheshire West and Chester",
        town="Chester",
        postcode="CH1 1AA",
    )
    council = make_commissioner(COUNCIL)
    make_manager(council, "cara@cheshirewestandchester.example", full_name="Cara Contracts")
    member = app.test_client()
    sign_in(member, owner.email)
    manager = app.test_client()
    sign_in(manager, "cara@cheshirewestandchester.example")
    return supplier, member, council, manager


def record_contract(member, supplier, council, value: str, title: str = "Highways") -> Contract:
    """Recorded through the supplier's pages, as a member records one."""
    url = f"/organisations/{supplier.slug}/contracts/new"
    answers = {
        "commissioner": str(council.id),
        "title": title,
        "reference": f"CW-{title[:3].upper()}",
        "value": value,
        "start_date": ["1", "4", "2026"],
        "end_date": ["31", "3", "2029"],
    }
    response = submit(member, url, answers)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    response = submit(member, f"{url}/check-your-answers")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    return db.session.scalars(
        select(Contract).where(Contract.title == title).order_by(Contract.id.desc())
    ).first()


def add_commitment(member, supplier, contract, code: str, target: str) -> None:
    url = f"/organisations/{supplier.slug}/contracts/{contract.id}/commitments/new"
    response = submit(member, url, {"measure": code, "target_value": target, "notes": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
