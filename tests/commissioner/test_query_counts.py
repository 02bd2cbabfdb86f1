"""The work list and the contract pages take the same number of queries whatever the number of
contracts and periods."""

from __future__ import annotations

from tests.commissioner.monitoring_helpers import make_manager, make_period
from tests.factories import make_commissioner, make_contract, make_organisation, sign_in


def _build(scheme, owner, council, contracts: int, periods: int):
    """A supplier with ``contracts`` contracts, each with figures in ``periods`` periods, some
    queried and answered so every branch of the pages renders."""
    supplier = make_organisation(owner=owner, scheme=scheme, status="monitoring")
    made = [make_contract(supplier, council, title=f"Contract {n}") for n in range(contracts)]
    for index in range(periods):
        make_period(supplier, scheme, index, {c: {"LE1": "100", "LE4": "1.5"} for c in made})
    from charter.extensions import db
    from charter.models import ContractFigure
    from charter.models.base import utcnow

    for contract in made:
        figures = (
            db.session.query(ContractFigure)
            .filter_by(contract_id=contract.id)
            .order_by(ContractFigure.id)
        )
        for n, figure in enumerate(figures):
            if n % 4 in (1, 2):
                figure.endorsement_status = "queried"
                figure.query_comment = "Why?"
                figure.queried_at = utcnow()
                if n % 4 == 2:
                    figure.supplier_response = "Because."
                    figure.responded_at = utcnow()
            elif n % 4 == 3:
                figure.endorsement_status = "endorsed"
                figure.endorsed_at = utcnow()
    db.session.commit()
    return supplier, made


def _count(query_counter, http, url, text):
    http.get(url)  # warm up: the first request of a client loads more
    with query_counter() as counter:
        response = http.get(url)
    assert response.status_code == 200
    assert text in response.get_data(as_text=True)
    return counter.value


def test_query_counts_do_not_grow_with_contracts_and_periods(app, scheme, query_counter):
    from tests.factories import make_user

    small_council = make_commissioner("Small Council")
    large_council = make_commissioner("Large Council")
    owner = make_user(email="owner@supplier.example")
    small_supplier, small = _build(scheme, owner, small_council, contracts=2, periods=2)
    large_supplier, large = _build(scheme, owner, large_council, contracts=8, periods=6)
    make_manager(small_council, "small@council.example")
    make_manager(large_council, "large@council.example")
    small_http, large_http, owner_http = app.test_client(), app.test_client(), app.test_client()
    sign_in(small_http, "small@council.example")
    sign_in(large_http, "large@council.example")
    sign_in(owner_http, "owner@supplier.example")

    pages = [
        (small_http, "/commissioner/", large_http, "/commissioner/", "Contract 1"),
        (
            small_http,
            f"/commissioner/contracts/{small[0].id}",
            large_http,
            f"/commissioner/contracts/{large[0].id}",
            "Query answered",
        ),
        (
            owner_http,
            f"/organisations/{small_supplier.slug}/contracts/{small[0].id}",
            owner_http,
            f"/organisations/{large_supplier.slug}/contracts/{large[0].id}",
            "Answer the query",
        ),
        (
            owner_http,
            f"/organisations/{small_supplier.slug}/figure-queries",
            owner_http,
            f"/organisations/{large_supplier.slug}/figure-queries",
            "Why?",
        ),
    ]
    for few_http, few_url, many_http, many_url, text in pages:
        few = _count(query_counter, few_http, few_url, text)
        many = _count(query_counter, many_http, many_url, text)
        assert few == many, (few_url, few, many)
    # The large work list really lists 8 contracts and 48 periods' worth of figures.
    html = large_http.get("/commissioner/").get_data(as_text=True)
    assert "8 contracts waiting for confirmation" in html
    assert "in 48 contract periods" in html
