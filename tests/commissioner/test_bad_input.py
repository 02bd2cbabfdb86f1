"""Bad input on the contract managers' pages and the supplier's answers: a clear message or a
404, never a 5xx, and nothing saved (on SQLite and PostgreSQL alike). And the version column:
an edit and a confirmation racing cannot both land."""

from __future__ import annotations

import pytest

from charter.extensions import db
from charter.models import Contract
from tests.commissioner.monitoring_helpers import (
    contract_answers,
    events,
    figures_of,
    make_manager,
    make_period,
    outbox_count,
)
from tests.factories import make_commissioner, make_contract, make_organisation, sign_in, submit

HUGE = 2**31


@pytest.fixture
def setting(app, scheme, member):
    supplier = make_organisation(owner=member, scheme=scheme, status="monitoring")
    council = make_commissioner("Shropshire Council")
    contract = make_contract(supplier, council, title="Grass cutting")
    period = make_period(supplier, scheme, 0, {contract: {"LE1": "500"}})
    make_manager(council, "cara@council.example")
    http = app.test_client()
    sign_in(http, "cara@council.example")
    return supplier, council, contract, period, http


def _unchanged(supplier, contract, emails_before):
    db.session.expire_all()
    saved = db.session.get(Contract, contract.id)
    assert saved.confirmation_status == "unconfirmed"
    assert saved.dispute_reason is None
    assert [f.endorsement_status for f in figures_of(contract)] == ["not_endorsed"]
    assert events(supplier.id) == []
    assert outbox_count() == emails_before


def test_ids_too_large_for_the_database_are_not_found(setting):
    supplier, _council, contract, _period, http = setting
    (figure,) = figures_of(contract)
    before = outbox_count()
    base = f"/commissioner/contracts/{contract.id}"
    for url in (
        f"/commissioner/contracts/{HUGE}",
        f"/commissioner/contracts/{HUGE}/dispute",
        f"{base}/figures/{HUGE}/query",
        f"{base}/figures/{figure.id + 1000}/query",
    ):
        assert http.get(url).status_code == 404, url
    for url, data in (
        (f"/commissioner/contracts/{HUGE}/confirm", {"version": "1"}),
        (f"{base}/periods/{HUGE}/endorse", {}),
        (f"{base}/figures/{HUGE}/query", {"comment": "Why?"}),
    ):
        assert submit(http, url, data, form_url=base).status_code == 404, url
    _unchanged(supplier, contract, before)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter what is wrong with the contract"),
        ("   ", "Enter what is wrong with the contract"),
        ("x" * 5001, "5,000 characters or fewer"),
    ],
)
def test_a_dispute_needs_a_reason(setting, reason, message):
    supplier, _council, contract, _period, http = setting
    before = outbox_count()
    url = f"/commissioner/contracts/{contract.id}/dispute"
    response = submit(http, url, {"version": "1", "reason": reason})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    _unchanged(supplier, contract, before)


@pytest.mark.parametrize("comment", [""])
def test_a_query_needs_a_comment(setting, comment):
    supplier, _council, contract, _period, http = setting
    (figure,) = figures_of(contract)
    before = outbox_count()
    url = f"/commissioner/contracts/{contract.id}/figures/{figure.id}/query"
    response = submit(http, url, {"comment": comment})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    _unchanged(supplier, contract, before)


@pytest.mark.parametrize("version", ["", "abc", str(HUGE), "-1"])
def test_a_broken_version_is_a_form_error(setting, version):
    supplier, _council, contract, _period, http = setting
    before = outbox_count()
    base = f"/commissioner/contracts/{contract.id}"
    response = submit(http, f"{base}/confirm", {"version": version}, form_url=base)
    assert response.status_code == 400
    assert "This page is out of date" in response.get_data(as_text=True)
    _unchanged(supplier, contract, before)


def test_a_confirmation_on_an_out_of_date_page_is_refused(setting, member_client):
    supplier, council, contract, _period, http = setting
    base = f"/commissioner/contracts/{contract.id}"
    stale_page = http.get(base)
    assert stale_page.status_code == 200
    # The supplier changes the value while the contract manager reads the old page.
    edit = f"/organisations/{supplier.slug}/contracts/{contract.id}/edit"
    response = submit(member_client, edit, contract_answers(contract, council, 1, value="999"))
    assert response.status_code == 302
    before = outbox_count()
    response = submit(http, f"{base}/confirm", {"version": "1"}, form_url=base)
    assert response.status_code == 409
    assert "Someone else changed this first" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).confirmation_status == "unconfirmed"
    assert outbox_count() == before


def test_a_supplier_edit_on_an_out_of_date_page_is_refused(setting, member_client):
    supplier, council, contract, _period, http = setting
    base = f"/commissioner/contracts/{contract.id}"
    assert submit(http, f"{base}/confirm", {"version": "1"}, form_url=base).status_code == 302
    edit = f"/organisations/{supplier.slug}/contracts/{contract.id}/edit"
    response = submit(member_client, edit, contract_answers(contract, council, 1, value="999"))
    assert response.status_code == 409
    db.session.expire_all()
    saved = db.session.get(Contract, contract.id)
    assert saved.confirmation_status == "confirmed" and saved.value == contract.value


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"version": "x"}, "This page is out of date"),
    ],
)
def test_the_suppliers_change_form_refuses_bad_input(setting, member_client, changes, message):
    supplier, council, contract, _period, _http = setting
    edit = f"/organisations/{supplier.slug}/contracts/{contract.id}/edit"
    response = submit(member_client, edit, contract_answers(contract, council, 1, **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).title == "Grass cutting"


def test_the_suppliers_answer_refuses_bad_input(setting, member_client):
    supplier, _council, contract, _period, http = setting
    (figure,) = figures_of(contract)
    submit(
        http,
        f"/commissioner/contracts/{contract.id}/figures/{figure.id}/query",
        {"comment": "Why so much?"},
    )
    url = f"/organisations/{supplier.slug}/figure-queries/{figure.id}"
    for response_text, message in (("", "Enter your answer"),):
        response = submit(member_client, url, {"response": response_text})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert (
        member_client.get(f"/organisations/{supplier.slug}/figure-queries/{HUGE}").status_code
        == 404
    )
    (figure,) = figures_of(contract)
    assert figure.supplier_response is None and figure.endorsement_status == "queried"
