"""Who may see and act on a contract from the contract managers' pages: the commissioner's
managers only; a manager who belongs to the supplier gets a 403 saying why; anyone else a 404,
whatever their role."""

from __future__ import annotations

import pytest

from charter.extensions import db
from charter.models import Contract, Membership
from tests.commissioner.monitoring_helpers import events, figures_of, make_manager, make_period
from tests.factories import (
    STAFF_ROLES,
    give_role,
    make_commissioner,
    make_contract,
    make_organisation,
    sign_in,
    submit,
)


@pytest.fixture
def setting(app, scheme):
    supplier = make_organisation(scheme=scheme, status="monitoring", name="Wrekin Foods")
    council = make_commissioner("Telford & Wrekin Council")
    contract = make_contract(supplier, council, title="Care meals")
    period = make_period(supplier, scheme, 0, {contract: {"LE1": "500"}})
    return supplier, council, contract, period


def _client(app, email):
    http = app.test_client()
    sign_in(http, email)
    return http


def _pages(contract, period):
    (figure,) = figures_of(contract)
    base = f"/commissioner/contracts/{contract.id}"
    return [
        ("get", base, None),
        ("get", f"{base}/dispute", None),
        ("get", f"{base}/figures/{figure.id}/query", None),
        ("post", f"{base}/confirm", {"version": "1"}),
        ("post", f"{base}/dispute", {"version": "1", "reason": "Wrong"}),
        ("post", f"{base}/periods/{period.id}/endorse", {}),
        ("post", f"{base}/figures/{figure.id}/query", {"comment": "Why?"}),
    ]


def _assert_nothing_changed(supplier, contract):
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).confirmation_status == "unconfirmed"
    assert [f.endorsement_status for f in figures_of(contract)] == ["not_endorsed"]
    assert events(supplier.id) == []


@pytest.mark.parametrize("role", ["member", "assessor", "admin"])
def test_a_manager_who_is_a_member_of_the_supplier_is_refused_and_told_why(app, setting, role):
    supplier, council, contract, period = setting
    manager = make_manager(council, "both@example.com")
    if role != "member":
        give_role(manager, STAFF_ROLES[role])
    db.session.add(Membership(user_id=manager.id, organisation_id=supplier.id, role="contributor"))
    db.session.commit()
    http = _client(app, "both@example.com")
    for method, url, data in _pages(contract, period):
        if method == "get":
            response = http.get(url)
        else:
            response = submit(http, url, data, form_url="/commissioner/")
        assert response.status_code == 403, url
        if method == "get":
            assert "you are a member of Wrekin Foods" in response.get_data(as_text=True)
    _assert_nothing_changed(supplier, contract)
    # Not on the work list either: counted, with the reason.
    work = http.get("/commissioner/").get_data(as_text=True)
    assert "Care meals" not in work
    assert "1 contract waiting for confirmation is not shown because you are a member" in work


@pytest.mark.parametrize("role", ["member", "assessor", "admin"])
def test_another_commissioners_manager_gets_not_found_whatever_their_role(app, setting, role):
    supplier, _council, contract, period = setting
    other = make_commissioner("West Mercia Police")
    manager = make_manager(other, f"{role}@police.example")
    if role != "member":
        give_role(manager, STAFF_ROLES[role])
    db.session.commit()
    http = _client(app, f"{role}@police.example")
    for method, url, data in _pages(contract, period):
        if method == "get":
            response = http.get(url)
        else:
            response = submit(http, url, data, form_url="/commissioner/")
        assert response.status_code == 404, url
    assert "Care meals" not in http.get("/commissioner/").get_data(as_text=True)
    _assert_nothing_changed(supplier, contract)


def test_staff_who_are_not_contract_managers_get_not_found(app, setting, admin_client):
    supplier, _council, contract, period = setting
    for method, url, data in _pages(contract, period):
        if method == "get":
            response = admin_client.get(url)
        else:
            response = submit(admin_client, url, data, form_url="/commissioner/")
        assert response.status_code == 404, url
    page = admin_client.get("/commissioner/").get_data(as_text=True)
    assert "You are not a contract manager for any commissioner" in page
    _assert_nothing_changed(supplier, contract)


def test_a_removed_manager_loses_access(app, setting):
    _supplier, council, contract, _period = setting
    make_manager(council, "gone@example.com")
    from charter.models import ContractManager
    from charter.models.base import utcnow

    for row in db.session.query(ContractManager).all():
        row.removed_at = utcnow()
    db.session.commit()
    http = _client(app, "gone@example.com")
    assert http.get(f"/commissioner/contracts/{contract.id}").status_code == 404
    page = http.get("/commissioner/").get_data(as_text=True)
    assert 'href="/commissioner/"' not in page
    assert "You are not a contract manager for any commissioner" in page


def test_signing_in_sends_only_contract_managers_to_their_work_list(app, setting, member):
    _supplier, council, _contract, _period = setting
    make_manager(council, "only@council.example")
    http = app.test_client()
    assert sign_in(http, "only@council.example").headers["Location"] == "/commissioner/"
    page = http.get("/commissioner/").get_data(as_text=True)
    assert 'href="/commissioner/"' in page and "Contract monitoring" in page
    # A member of an organisation goes to their organisations, as before.
    other = app.test_client()
    make_organisation(owner=member, scheme=None)
    assert sign_in(other, member.email).headers["Location"] == "/organisations/"
    assert 'href="/commissioner/"' not in other.get("/organisations/").get_data(as_text=True)


def test_anonymous_people_are_sent_to_sign_in(client, setting):
    _supplier, _council, contract, _period = setting
    for url in ("/commissioner/", f"/commissioner/contracts/{contract.id}"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in?next=")


def test_unconfirmed_email_addresses_cannot_act(app, setting):
    _supplier, council, contract, _period = setting
    make_manager(council, "unverified@council.example")
    from charter.models import User

    user = db.session.query(User).filter_by(email="unverified@council.example").one()
    user.email_verified_at = None
    db.session.commit()
    http = _client(app, "unverified@council.example")
    response = http.get(f"/commissioner/contracts/{contract.id}")
    assert response.status_code == 302
    assert "confirm-your-email-address" in response.headers["Location"]


def test_empty_work_list_explains_what_will_appear(app, scheme):
    council = make_commissioner("Shropshire Council")
    make_manager(council, "new@council.example")
    page = _client(app, "new@council.example").get("/commissioner/").get_data(as_text=True)
    assert "No contracts are waiting for you" in page
    assert "No figures are waiting for you" in page
    assert "0 contracts waiting for confirmation" in page
