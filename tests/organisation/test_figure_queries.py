"""The supplier's side of a commissioner's query: the list of queries, answering one, and who
may answer (members only; staff may read the list; another organisation's figure is not found)."""

from __future__ import annotations

import pytest

from charter.extensions import db
from charter.models import ContractFigure
from charter.models.base import utcnow
from tests.commissioner.monitoring_helpers import events, figures_of, make_period, outbox
from tests.factories import make_commissioner, make_contract, make_organisation, make_user, submit


@pytest.fixture
def queried(app, scheme, member):
    supplier = make_organisation(owner=member, scheme=scheme, status="monitoring")
    council = make_commissioner("Shropshire Council")
    contract = make_contract(supplier, council, title="Library cleaning")
    make_period(supplier, scheme, 0, {contract: {"LE1": "750"}})
    (figure,) = figures_of(contract)
    figure.endorsement_status = "queried"
    figure.query_comment = "Which suppliers?"
    figure.queried_at = utcnow()
    db.session.commit()
    return supplier, contract, figure


def test_the_list_shows_queries_to_answer_and_answered(member_client, queried):
    supplier, _contract, figure = queried
    url = f"/organisations/{supplier.slug}/figure-queries"
    page = member_client.get(url).get_data(as_text=True)
    assert "Which suppliers?" in page and "To answer" in page and "£750" in page
    answer = f"/organisations/{supplier.slug}/figure-queries/{figure.id}"
    response = submit(member_client, answer, {"response": "Three local firms."})
    assert response.status_code == 302
    page = member_client.get(url).get_data(as_text=True)
    assert "Answered" in page and "Change answer" in page
    assert events(supplier.id) == [("figure_query_answered", "Olive Owner")]
    assert [e.to_address for e in outbox("Your answer about")] == ["owner@example.com"]
    # The contract page shows the answer and the state of the figure.
    contract_page = member_client.get(
        f"/organisations/{supplier.slug}/contracts/{_contract.id}"
    ).get_data(as_text=True)
    assert "Queried by the commissioner" in contract_page and "You answered on" in contract_page


def test_no_queries_says_what_will_appear(member_client, organisation):
    page = member_client.get(f"/organisations/{organisation.slug}/figure-queries")
    assert "No commissioner has a question about your figures" in page.get_data(as_text=True)


def test_staff_may_read_but_not_answer(assessor_client, queried):
    supplier, _contract, figure = queried
    assert assessor_client.get(f"/organisations/{supplier.slug}/figure-queries").status_code == 200
    answer = f"/organisations/{supplier.slug}/figure-queries/{figure.id}"
    assert assessor_client.get(answer).status_code == 404
    response = submit(assessor_client, answer, {"response": "x"}, form_url="/account")
    assert response.status_code == 404
    assert db.session.get(ContractFigure, figure.id).supplier_response is None


def test_another_organisations_figure_is_not_found(app, scheme, member_client, queried):
    _supplier, _contract, figure = queried
    other_owner = make_user(email="other@example.com")
    other = make_organisation(owner=other_owner, scheme=scheme, status="monitoring")
    from tests.factories import sign_in

    http = app.test_client()
    sign_in(http, "other@example.com")
    assert http.get(f"/organisations/{other.slug}/figure-queries/{figure.id}").status_code == 404


def test_a_figure_not_queried_cannot_be_answered(member_client, queried):
    supplier, contract, figure = queried
    figure.endorsement_status = "endorsed"
    db.session.commit()
    url = f"/organisations/{supplier.slug}/figure-queries/{figure.id}"
    response = member_client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contracts/{contract.id}")
