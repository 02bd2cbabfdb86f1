"""The supplier's side of a contract's confirmation: recording one tells the commissioner's
contract managers; an out-of-date change page is refused with a page that says why; removing a
contract keeps its audit trail."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import Contract, ContractMonitoringEvent
from tests.commissioner.monitoring_helpers import contract_answers, make_manager, outbox
from tests.factories import make_commissioner, make_contract, make_organisation, sign_in, submit


def test_recording_a_contract_emails_the_commissioners_contract_managers(
    app, member, member_client, scheme
):
    supplier = make_organisation(owner=member, scheme=scheme, status="monitoring")
    council = make_commissioner("Shropshire Council")
    make_manager(council, "cara@council.example")
    make_manager(make_commissioner("Other Council"), "other@council.example")
    url = f"/organisations/{supplier.slug}/contracts/new"
    response = submit(
        member_client,
        url,
        {
            "commissioner": str(council.id),
            "title": "Grass cutting",
            "reference": "SC-9",
            "value": "40000",
            "start_date": ["1", "4", "2026"],
            "end_date": ["31", "3", "2027"],
        },
    )
    assert response.status_code == 302
    response = submit(member_client, f"{url}/check-your-answers")
    assert response.status_code == 302
    (email,) = outbox("recorded a contract with you")
    assert email.to_address == "cara@council.example"
    assert "Shropshire Council" in email.body and "£40,000" in email.body
    contract_id = db.session.scalar(select(Contract.id))
    assert f"/commissioner/contracts/{contract_id}" in email.body


def test_an_out_of_date_change_page_says_what_happened(app, member, member_client, scheme):
    supplier = make_organisation(owner=member, scheme=scheme, status="monitoring")
    council = make_commissioner("Shropshire Council")
    contract = make_contract(supplier, council, title="Grass cutting")
    make_manager(council, "cara@council.example")
    manager = app.test_client()
    sign_in(manager, "cara@council.example")
    page = f"/commissioner/contracts/{contract.id}"
    assert submit(manager, f"{page}/confirm", {"version": "1"}, form_url=page).status_code == 302
    edit = f"/organisations/{supplier.slug}/contracts/{contract.id}/edit"
    response = submit(member_client, edit, contract_answers(contract, council, 1, value="1"))
    assert response.status_code == 409
    assert "a contract manager confirmed or disputed it" in response.get_data(as_text=True)


def test_removing_a_contract_keeps_its_audit_trail(app, member, member_client, scheme):
    supplier = make_organisation(owner=member, scheme=scheme, status="monitoring")
    council = make_commissioner("Shropshire Council")
    contract = make_contract(supplier, council, title="Grass cutting")
    make_manager(council, "cara@council.example")
    manager = app.test_client()
    sign_in(manager, "cara@council.example")
    page = f"/commissioner/contracts/{contract.id}"
    submit(manager, f"{page}/confirm", {"version": "1"}, form_url=page)
    remove = f"/organisations/{supplier.slug}/contracts/{contract.id}/remove"
    assert submit(member_client, remove, {}).status_code == 302
    db.session.expire_all()
    (event,) = db.session.scalars(select(ContractMonitoringEvent))
    assert event.contract_id is None or db.session.get(Contract, contract.id) is None
    assert event.subject == "Grass cutting"
    dashboard = member_client.get(f"/organisations/{supplier.slug}").get_data(as_text=True)
    assert "Contract confirmed by the commissioner: Grass cutting" in dashboard
