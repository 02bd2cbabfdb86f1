"""Each charter names the commissioners that take part in it (issue 20): the list is the
service's, a charter's administrators add or remove a commissioner from their charter, and a
contract counts for a charter when its commissioner takes part in it. Recorded and confirmed
once, it counts for every charter its commissioner takes part in."""

from __future__ import annotations

import pytest

from charter.models import Charter
from charter.models.contract import CONTRACT_CONFIRMED
from charter.models.signing import acting_in
from charter.services.domain import signings
from charter.services.domain.charter_commissioners import set_taking_part, taking_part
from charter.services.domain.contract_evidence import contract_counts
from charter.services.domain.schemes import load_scheme_text
from tests.factories import (
    make_commissioner,
    make_contract,
    make_organisation,
    make_user,
    sign_in,
    submit,
)
from tests.public.charter_helpers import second_charter_text

LIST = "/admin/commissioners"


@pytest.fixture
def world(app, db, scheme):
    worcestershire = load_scheme_text(second_charter_text()).scheme
    charter = db.session.get(Charter, worcestershire.charter_id)
    trust = make_commissioner("NHS Shropshire, Telford and Wrekin")
    supplier = make_organisation(scheme=scheme, name="Two Counties Care", status="monitoring")
    signings.start(supplier, worcestershire).status = "monitoring"
    db.session.commit()
    make_contract(supplier, trust, confirmation_status=CONTRACT_CONFIRMED)
    return {
        "trust": trust,
        "supplier": supplier,
        "shropshire": scheme.charter_id,
        "worcestershire": charter.id,
        "shropshire_admin": make_user(email="admin@shropshire.example", role="administrator"),
        "worcestershire_admin": make_user(
            email="admin@worcestershire.example", role="administrator", charter=charter
        ),
    }


def counts_in(world, charter_id):
    with acting_in(charter_id):
        counts = contract_counts(world["supplier"])
    return counts.recorded, counts.confirmed


def test_a_contract_counts_for_each_charter_its_commissioner_takes_part_in(client, db, world):
    # Made in the default charter's list: it takes part in Shropshire's only.
    assert counts_in(world, world["shropshire"]) == (1, 1)
    assert counts_in(world, world["worcestershire"]) == (0, 0)
    # Worcestershire's charter names it too (its administration pages come later: a service
    # call here). Confirmed once by its contract manager, the contract counts in both.
    set_taking_part(world["trust"], world["worcestershire"], True)
    db.session.commit()
    assert counts_in(world, world["worcestershire"]) == (1, 1)
    assert counts_in(world, world["shropshire"]) == (1, 1)

    sign_in(client, world["shropshire_admin"].email)
    page = client.get(LIST).get_data(as_text=True)
    assert "NHS Shropshire, Telford and Wrekin" in page and "Takes part" in page
    url = f"/admin/commissioners/{world['trust'].id}/taking-part"
    assert submit(client, url, {"take_part": "no"}, form_url=LIST).status_code == 302
    db.session.expire_all()
    assert counts_in(world, world["shropshire"]) == (0, 0)
    assert counts_in(world, world["worcestershire"]) == (1, 1)  # another charter's is untouched
    page = client.get(LIST).get_data(as_text=True)
    assert "Does not take part" in page

    assert submit(client, url, {"take_part": "yes"}, form_url=LIST).status_code == 302
    db.session.expire_all()
    assert counts_in(world, world["shropshire"]) == (1, 1)


@pytest.mark.parametrize("answer", ["maybe", "", "YES", "yes\x00"])
def test_a_bad_answer_is_refused_and_changes_nothing(client, db, world, answer):
    sign_in(client, world["shropshire_admin"].email)
    url = f"/admin/commissioners/{world['trust'].id}/taking-part"
    assert submit(client, url, {"take_part": answer}, form_url=LIST).status_code == 400
    assert taking_part(world["shropshire"]) == {world["trust"].id}


def test_an_unknown_commissioner_is_not_found(client, world):
    sign_in(client, world["shropshire_admin"].email)
    url = "/admin/commissioners/999999/taking-part"
    assert submit(client, url, {"take_part": "yes"}, form_url=LIST).status_code == 404


def test_a_commissioner_added_by_a_charter_s_administrator_takes_part_in_that_charter(
    client, db, world
):
    sign_in(client, world["shropshire_admin"].email)
    response = submit(
        client, "/admin/commissioners/new", {"name": "Shropshire Council", "org_id": ""}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert len(taking_part(world["shropshire"])) == 2
    assert taking_part(world["worcestershire"]) == set()
