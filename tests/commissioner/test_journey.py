"""The whole of contract monitoring through the pages, each person on their own: an
administrator invites a contract manager, who accepts, confirms one contract, disputes another
(the supplier corrects it and it comes back), endorses a period's figures and queries one,
which the supplier answers."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from charter.models import Contract, ContractManager, User
from tests.commissioner.monitoring_helpers import (
    contract_answers,
    events,
    figures_of,
    make_period,
    outbox,
)
from tests.factories import (
    csrf_token,
    make_commissioner,
    make_contract,
    make_organisation,
    make_user,
    sign_in,
    submit,
)

LINK_RE = re.compile(r"http://[^\s]+/commissioner/invitations/[^\s]+")


def _version(db, contract) -> str:
    db.session.expire_all()
    return str(db.session.get(Contract, contract.id).version_id)


def test_a_contract_manager_confirms_disputes_endorses_and_queries(app, db, scheme, admin_client):
    owner = make_user(email="owner@supplier.example", full_name="Olive Owner")
    contributor = make_user(email="colin@supplier.example", full_name="Colin Contributor")
    supplier = make_organisation(
        owner=owner, scheme=scheme, name="Severn Builders", status="monitoring"
    )
    from charter.models import Membership

    db.session.add(
        Membership(user_id=contributor.id, organisation_id=supplier.id, role="contributor")
    )
    db.session.commit()
    council = make_commissioner("Shropshire Council")
    meals = make_contract(supplier, council, title="School meals", reference="SC-1", value="120000")
    roads = make_contract(supplier, council, title="Roads north", value="50000")
    period = make_period(supplier, scheme, 0, {meals: {"LE1": "1000", "LE4": "2.5"}})

    # The administrator invites the contract manager from the commissioner's page.
    page = admin_client.get(f"/admin/commissioners/{council.id}")
    assert "has no contract managers yet" in page.get_data(as_text=True)
    response = submit(
        admin_client,
        f"/admin/commissioners/{council.id}/contract-managers/invite",
        {"email": "cara@council.example"},
    )
    assert response.status_code == 302
    invitation_email = outbox("confirm contracts for Shropshire Council")[-1]
    assert invitation_email.to_address == "cara@council.example"
    link = LINK_RE.search(invitation_email.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    assert "cara@council.example" in admin_client.get(
        f"/admin/commissioners/{council.id}"
    ).get_data(as_text=True)

    # With no account: told to create one and come back.
    manager_http = app.test_client()
    page = manager_http.get(path)
    assert page.status_code == 200
    assert "Create an account" in page.get_data(as_text=True)
    make_user(email="cara@council.example", full_name="Cara Contracts")
    # Signing in with nothing but an invitation lands on the work list, which offers it.
    landing = sign_in(manager_http, "cara@council.example")
    assert landing.headers["Location"] == "/commissioner/"
    assert "Accept the invitation" in manager_http.get("/commissioner/").get_data(as_text=True)
    response = submit(manager_http, path, {})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "cara@council.example"))
    assert db.session.scalar(select(ContractManager).where(ContractManager.user_id == user.id))

    # The work list: two contracts waiting, two figures in one period, with the header link.
    work = manager_http.get("/commissioner/").get_data(as_text=True)
    assert "Contract monitoring" in work
    assert "2 contracts waiting for confirmation" in work
    assert "2 figures waiting for endorsement, in 1 contract period" in work
    assert work.index("School meals") < work.index("Roads north")  # oldest first

    # Confirm one contract.
    contract_url = f"/commissioner/contracts/{meals.id}"
    response = submit(
        manager_http,
        f"{contract_url}/confirm",
        {"version": _version(db, meals)},
        form_url=contract_url,
    )
    assert response.status_code == 302
    page = manager_http.get(contract_url).get_data(as_text=True)
    assert "Confirmed by Cara Contracts on" in page
    db.session.expire_all()
    confirmed = db.session.get(Contract, meals.id)
    assert confirmed.confirmation_status == "confirmed"
    assert confirmed.confirmed_by_id == user.id and confirmed.confirmed_at is not None
    confirmed_emails = outbox("confirmed your contract")
    assert sorted(e.to_address for e in confirmed_emails) == [
        "colin@supplier.example",
        "owner@supplier.example",
    ]

    # Dispute the other, with a reason.
    dispute_url = f"/commissioner/contracts/{roads.id}/dispute"
    response = submit(
        manager_http,
        dispute_url,
        {"version": _version(db, roads), "reason": "Our value is £55,000, not £50,000."},
    )
    assert response.status_code == 302
    assert "1 contract waiting for confirmation" not in manager_http.get("/commissioner/").get_data(
        as_text=True
    )
    disputed_email = outbox("disputed your contract")[0]
    assert "Our value is £55,000" in disputed_email.body
    assert "What to do" in disputed_email.body

    # The supplier sees the reason and what to do, corrects it, and it goes back.
    supplier_http = app.test_client()
    sign_in(supplier_http, "owner@supplier.example")
    supplier_page = f"/organisations/{supplier.slug}/contracts/{roads.id}"
    text = supplier_http.get(supplier_page).get_data(as_text=True)
    assert "Our value is £55,000, not £50,000." in text
    assert "change the contract details" in text
    edit_url = f"{supplier_page}/edit"
    response = submit(
        supplier_http,
        edit_url,
        contract_answers(roads, council, _version(db, roads), value="55000"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contract, roads.id).confirmation_status == "unconfirmed"
    work = manager_http.get("/commissioner/").get_data(as_text=True)
    assert "1 contract waiting for confirmation" in work and "Roads north" in work
    assert outbox("waiting for your confirmation")[0].to_address == "cara@council.example"

    # Editing the confirmed contract's value sends it back for confirmation too.
    meals_edit = f"/organisations/{supplier.slug}/contracts/{meals.id}/edit"
    response = submit(
        supplier_http,
        meals_edit,
        contract_answers(meals, council, _version(db, meals), value="125000"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Contract, meals.id)
    assert changed.confirmation_status == "unconfirmed" and changed.confirmed_by_id is None

    # Query one figure, then endorse the period's others.
    le1, le4 = figures_of(meals)
    query_url = f"{contract_url}/figures/{le4.id}/query"
    response = submit(manager_http, query_url, {"comment": "Our records show 2 FTE."})
    assert response.status_code == 302
    response = submit(
        manager_http, f"{contract_url}/periods/{period.id}/endorse", {}, form_url=contract_url
    )
    assert response.status_code == 302
    le1, le4 = figures_of(meals)
    # Endorsing the period endorses every figure not yet endorsed, the queried one included.
    assert le1.endorsement_status == "endorsed" and le1.endorsed_by_id == user.id
    assert le4.endorsement_status == "endorsed"
    query_email = outbox("has a question about a figure")[0]
    assert "Our records show 2 FTE." in query_email.body
    assert f"/figure-queries/{le4.id}" in query_email.body

    # A second period: query a figure, the supplier answers, and it comes back to the manager.
    later = make_period(supplier, scheme, 1, {meals: {"LE1": "900"}})
    (later_figure,) = [f for f in figures_of(meals) if f.id not in (le1.id, le4.id)]
    submit(
        manager_http,
        f"{contract_url}/figures/{later_figure.id}/query",
        {"comment": "Which suppliers?"},
    )
    work = manager_http.get("/commissioner/").get_data(as_text=True)
    assert "1 figure you queried is waiting for the supplier" in work
    answer_url = f"/organisations/{supplier.slug}/figure-queries/{later_figure.id}"
    assert "Which suppliers?" in supplier_http.get(answer_url).get_data(as_text=True)
    response = submit(supplier_http, answer_url, {"response": "Three Shrewsbury firms."})
    assert response.status_code == 302
    work = manager_http.get("/commissioner/").get_data(as_text=True)
    assert "1 answer to your queries" in work
    page = manager_http.get(contract_url).get_data(as_text=True)
    assert "Three Shrewsbury firms." in page and "Query answered" in page
    assert outbox("answered your question")[0].to_address == "cara@council.example"
    submit(manager_http, f"{contract_url}/periods/{later.id}/endorse", {}, form_url=contract_url)
    assert all(f.endorsement_status == "endorsed" for f in figures_of(meals))
    assert "No figures are waiting for you" in manager_http.get("/commissioner/").get_data(
        as_text=True
    )

    # Every action is audited, shown on the dashboard and the administrators' page.
    assert [action for action, _ in events(supplier.id)] == [
        "contract_confirmed",
        "contract_disputed",
        "contract_corrected",
        "contract_changed",
        "figure_queried",
        "figures_endorsed",
        "figure_queried",
        "figure_query_answered",
        "figures_endorsed",
    ]
    assert events(supplier.id)[0][1] == "Cara Contracts"
    assert events(supplier.id)[7][1] == "Olive Owner"
    dashboard = supplier_http.get(f"/organisations/{supplier.slug}").get_data(as_text=True)
    assert "Contract monitoring history" in dashboard
    assert "Contract disputed by the commissioner" in dashboard
    admin_page = admin_client.get(f"/admin/organisations/{supplier.slug}").get_data(as_text=True)
    assert "Contract confirmed by the commissioner" in admin_page
    assert date.today().year  # the history shows dates; nothing else to check here


def test_csrf_token_is_required_for_every_contract_manager_form(app, db, scheme):
    supplier = make_organisation(scheme=scheme, status="monitoring")
    council = make_commissioner()
    contract = make_contract(supplier, council)
    period = make_period(supplier, scheme, 0, {contract: {"LE1": "10"}})
    (figure,) = figures_of(contract)
    from tests.commissioner.monitoring_helpers import make_manager

    make_manager(council, "m@council.example")
    http = app.test_client()
    sign_in(http, "m@council.example")
    base = f"/commissioner/contracts/{contract.id}"
    version = str(contract.version_id)
    for url, data in [
        (f"{base}/confirm", {"version": version}),
        (f"{base}/dispute", {"version": version, "reason": "Wrong"}),
        (f"{base}/periods/{period.id}/endorse", {}),
        (f"{base}/figures/{figure.id}/query", {"comment": "Why?"}),
    ]:
        assert http.post(url, data=data).status_code == 400, url
    # A token from the page works.
    assert csrf_token(http, base)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).confirmation_status == "unconfirmed"
    assert figures_of(contract)[0].endorsement_status == "not_endorsed"
    assert events(supplier.id) == []
