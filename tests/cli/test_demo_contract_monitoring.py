"""The demo's contract managers: printed with the other accounts, able to sign in, with
confirmed, disputed and waiting contracts and an audit trail; and, where returns hold
per-contract figures, endorsed and queried ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from charter.demo.contract_monitoring import build_contract_monitoring, manager_email
from charter.extensions import db
from charter.models import Contract, ContractFigure, ContractManager, ContractMonitoringEvent
from charter.models.base import utcnow
from charter.services.domain.accounts import hash_password
from tests.commissioner.monitoring_helpers import make_period
from tests.factories import (
    PASSWORD,
    make_commissioner,
    make_contract,
    make_organisation,
    make_user,
    sign_in,
)


def test_the_demo_has_contract_managers_and_their_decisions(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["charter", "load-scheme"]).exit_code == 0
    result = runner.invoke(args=["charter", "demo-data"])
    assert result.exit_code == 0, result.output
    email = manager_email("Shropshire Council")
    assert email == "contracts@shropshire-council.demo.example"
    assert email in result.output and "Contract manager: Shropshire Council" in result.output
    assert "contract managers" in result.output
    assert db.session.scalar(select(func.count(ContractManager.id))) == 4
    statuses = dict(
        db.session.execute(
            select(Contract.confirmation_status, func.count(Contract.id)).group_by(
                Contract.confirmation_status
            )
        ).all()
    )
    assert statuses.get("confirmed", 0) > 0 and statuses.get("disputed", 0) > 0
    assert statuses.get("unconfirmed", 0) > 0
    actions = set(db.session.scalars(select(ContractMonitoringEvent.action)))
    assert {"contract_confirmed", "contract_disputed", "contract_corrected"} <= actions

    http = app.test_client()
    response = sign_in(http, email, "demo-password-2026")
    assert response.headers["Location"] == "/commissioner/"
    assert "waiting for confirmation" in http.get("/commissioner/").get_data(as_text=True)
    # Loading again changes nothing and prints the accounts again.
    again = runner.invoke(args=["charter", "demo-data"])
    assert email in again.output


def test_figures_of_confirmed_contracts_are_endorsed_or_queried(app, scheme):
    owner = make_user()
    supplier = make_organisation(owner=owner, scheme=scheme, status="monitoring")
    council = make_commissioner("Shropshire Council")
    long_ago = utcnow() - timedelta(days=900)
    contracts = [make_contract(supplier, council, created_at=long_ago) for _ in range(12)]
    for index in range(4):
        make_period(supplier, scheme, index, {c: {"LE1": "10", "LE4": "1"} for c in contracts})
    counts = build_contract_monitoring(utcnow(), hash_password(PASSWORD))
    db.session.commit()
    assert counts["confirmed contracts"] > 0
    states = set(db.session.scalars(select(ContractFigure.endorsement_status)))
    assert {"endorsed", "queried"} <= states
    confirmed = set(
        db.session.scalars(select(Contract.id).where(Contract.confirmation_status == "confirmed"))
    )
    touched = db.session.scalars(
        select(ContractFigure.contract_id).where(
            ContractFigure.endorsement_status != "not_endorsed"
        )
    )
    assert set(touched) <= confirmed
