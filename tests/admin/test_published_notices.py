"""Awards from published notices waiting for administrators, through HTTP: unmatched suppliers
and buyers are listed with the reason; adding a commissioner's buyer identifier matches the
imported awards again; bad identifiers are refused on the form and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from charter.extensions import db as _db
from charter.models import AwardedSupplier, BuyerIdentifier, NoticeEvent
from charter.services.domain import published_notices
from tests.factories import make_commissioner, make_organisation

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"


@pytest.fixture
def imported(db, scheme):
    """The Telford award imported while Telford is on the list under another name only."""
    supplier = make_organisation(
        scheme=scheme, name="Severn Valley Security", identifier="09876543", status="signatory"
    )
    telford = make_commissioner("Telford & Wrekin Council")
    for name in ("cf-telford-and-wrekin.json", "invented-telford-award.json"):
        published_notices.import_file(str(FIXTURES / name), actor_label="test")
    _db.session.commit()
    return telford, supplier


def _table(page) -> list[list[str]]:
    return [
        [" ".join(td.get_text(" ", strip=True).split()) for td in tr.select("td")]
        for tr in page.select("tbody tr")
    ]


def test_the_waiting_page_lists_only_awards_that_match_a_supplier(
    client_request, admin_user, imported
):
    client_request.sign_in(admin_user)
    page = client_request.get("admin.list_waiting_awards")

    rows = _table(page)
    # Only the award to an organisation of the charter is kept: the buyer is no commissioner.
    assert len(rows) == 1
    assert rows[0][1] == "Severn Valley Security Ltd GB-COH-09876543"
    assert rows[0][2] == "Telford and Wrekin Council GB-LAE-TFW"
    assert rows[0][3] == "£184,250.50"
    assert rows[0][4] == "The buyer is not a commissioner on the list (add its identifier)"
    dashboard = client_request.get("admin.show_dashboard")
    assert "Awards in published notices (1 waiting for a match)" in " ".join(
        dashboard.get_text(" ", strip=True).split()
    )


def test_adding_a_buyer_identifier_proposes_the_waiting_award(
    db, client_request, admin_user, imported
):
    telford, supplier = imported
    client_request.sign_in(admin_user)
    page = client_request.post(
        "admin.add_buyer_identifier",
        commissioner_id=telford.id,
        _data={"identifier": " gb-lae-tfw "},
        _follow_redirects=True,
        _expected_status=200,
    )

    assert "Buyer identifier added. 1 imported award now proposed to organisations." in (
        page.get_text()
    )
    assert "GB-LAE-TFW" in client_request.summary_list(page)
    row = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == supplier.id)
    )
    assert row.status == "proposed" and row.commissioner_id == telford.id
    assert row.organisation_id == supplier.id
    actions = set(db.session.scalars(select(NoticeEvent.action)))
    assert {"buyer_id_added", "matched"} <= actions
    # Telford's other awards are now the charter's business too: they wait for a supplier.
    waiting = _table(client_request.get("admin.list_waiting_awards"))
    assert sorted((row[1].split(" GB-")[0], row[4]) for row in waiting) == [
        ("Ironbridge Patrols", "The notice gives no identifier for the supplier"),
        ("Wrekin Guarding Ltd", "No organisation has the supplier's identifier GB-COH-05550123"),
    ]


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("", "Enter the buyer identifier"),
        ("   ", "Enter the buyer identifier"),
        ("X" * 201, "Buyer identifier must be 200 characters or fewer"),
        ("GB-LAE-SHR", "GB-LAE-SHR is already a buyer identifier of Shropshire Council"),
        ("gb-lae-shr", "GB-LAE-SHR is already a buyer identifier of Shropshire Council"),
    ],
)
def test_a_bad_buyer_identifier_is_refused(db, client_request, admin_user, identifier, message):
    shropshire = make_commissioner("Shropshire Council")
    other = make_commissioner("Telford and Wrekin Council")
    db.session.add(BuyerIdentifier(commissioner_id=shropshire.id, identifier="GB-LAE-SHR"))
    db.session.commit()
    client_request.sign_in(admin_user)

    page = client_request.post(
        "admin.add_buyer_identifier",
        commissioner_id=other.id,
        _data={"identifier": identifier},
        _expected_status=200,
    )

    assert client_request.error_summary(page) == [message]
    assert db.session.scalar(select(func.count(BuyerIdentifier.id))) == 1


def test_removing_a_buyer_identifier_keeps_matches_made(db, client_request, admin_user, imported):
    telford, supplier = imported
    client_request.sign_in(admin_user)
    client_request.post(
        "admin.add_buyer_identifier", commissioner_id=telford.id, _data={"identifier": "GB-LAE-TFW"}
    )
    identifier = db.session.scalar(select(BuyerIdentifier))
    client_request.post(
        "admin.remove_buyer_identifier",
        commissioner_id=telford.id,
        identifier_id=identifier.id,
        _form_page=f"/admin/commissioners/{telford.id}",
    )

    assert db.session.scalar(select(func.count(BuyerIdentifier.id))) == 0
    assert (
        db.session.scalar(
            select(AwardedSupplier.status).where(AwardedSupplier.organisation_id == supplier.id)
        )
        == "proposed"
    )
    assert "buyer_id_removed" in set(db.session.scalars(select(NoticeEvent.action)))
