"""An organisation signs a second charter through the pages (issue 20): its dashboard offers
the charters that cover its district; registering with one starts a signing of its own, signed
through the same journey acting in that charter (``?charter=``); each signing keeps its own
lifecycle, and the organisation's pages show the charter they act in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from charter.models import AuditEvent, OutboxEmail, Signature, Signing
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.organisation.signing_helpers import SIGNATORY, VERSION_RE, codes_of
from tests.public.charter_helpers import WORCESTERSHIRE, second_charter_text
from tests.public.register_helpers import signed_in_may_and_october


@pytest.fixture
def second_scheme(app, db, scheme):
    loaded = load_scheme_text(second_charter_text()).scheme
    db.session.commit()  # as the command does: the process then holds the new charter
    return loaded


@pytest.fixture
def signed_once(client, scheme):
    owner = make_user(email="owner@second.example")
    organisation = make_organisation(owner=owner, scheme=scheme, status="signatory")
    sign_in(client, owner.email)
    return organisation


def sign_page(organisation, name: str = "") -> str:
    base = f"/organisations/{organisation.slug}/sign-the-charter"
    return (f"{base}/{name}" if name else base) + f"?charter={WORCESTERSHIRE}"


def test_an_organisation_signs_a_second_charter_through_the_pages(
    client, db, scheme, signed_once, second_scheme
):
    organisation = signed_once
    dashboard = client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Charters you could sign" in dashboard
    assert "Sign Worcestershire Commercial Social Value Charter" in dashboard

    joined = submit(
        client,
        f"/organisations/{organisation.slug}/charters/{WORCESTERSHIRE}",
        form_url=f"/organisations/{organisation.slug}",
    )
    assert joined.status_code == 302
    assert joined.location.endswith(sign_page(organisation))

    answers = [
        ("principles", {"principles": codes_of(second_scheme)}),
        ("signatory", SIGNATORY),
        ("route", {"route": "already_delivering"}),
        ("publish-figures", {"publish": "yes"}),
    ]
    for name, data in answers:
        response = submit(client, sign_page(organisation, name), data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        # The journey stays in the charter it signs.
        assert f"charter={WORCESTERSHIRE}" in response.location
    check = client.get(sign_page(organisation, "check-your-answers")).get_data(as_text=True)
    assert "Worcestershire" in check
    version = VERSION_RE.search(check).group(1)
    signed = submit(client, sign_page(organisation, "check-your-answers"), {"version": version})
    assert signed.status_code == 302, signed.get_data(as_text=True)[:2000]

    db.session.expire_all()
    by_charter = {
        charter: (status, route)
        for charter, status, route in db.session.execute(
            select(Signing.charter_id, Signing.status, Signing.route).where(
                Signing.organisation_id == organisation.id
            )
        )
    }
    assert by_charter == {
        # Shropshire's, made by the test as a signatory, untouched.
        scheme.charter_id: ("signatory", None),
        second_scheme.charter_id: ("signatory", "already_delivering"),
    }
    count = db.session.scalar(
        select(func.count())
        .select_from(Signature)
        .where(Signature.organisation_id == organisation.id)
    )
    assert count == 1  # the first signing was made by the test, without a signature
    sign_events = db.session.scalars(
        select(AuditEvent.trigger).where(AuditEvent.organisation_id == organisation.id)
    ).all()
    assert sign_events.count("sign") == 1

    # The email says which charter was signed, is signed by its running body and links to the
    # organisation's pages for that charter.
    email = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    assert "Worcestershire County Council" in email.body
    assert f"charter={WORCESTERSHIRE}" in email.body

    # Its dashboard lists both charters; each charter's page shows its own.
    home = client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Your charters" in home and "Charters you could sign" not in home
    shown = client.get(f"/organisations/{organisation.slug}?charter={WORCESTERSHIRE}").get_data(
        as_text=True
    )
    row = shown.split("Worcestershire Commercial Social Value Charter", 1)[1].split("</div>", 2)
    assert "Shown on this page" in "".join(row[:2])
    assert (
        "Shown on this page"
        not in home.split("Worcestershire Commercial Social Value Charter", 1)[1]
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/organisations/{slug}?charter=nowhere", 404),
        ("/organisations/{slug}/sign-the-charter?charter=nowhere", 404),
        ("/organisations/{slug}?charter=", 404),
        # A charter it has not signed: its pages have no signing to act on.
        ("/organisations/{slug}?charter=worcestershire", 404),
        ("/organisations/{slug}/action-plan?charter=worcestershire", 404),
        ("/organisations/{slug}/charter-mark?charter=worcestershire", 404),
        ("/organisations/{slug}/action-plan?charter=shropshire", 200),
        ("/organisations/{slug}/returns?charter=worcestershire", 404),
        ("/organisations/{slug}/sign-the-charter?charter=worcestershire", 404),
        # Its own charter named is its pages, as without the name.
        ("/organisations/{slug}?charter=shropshire", 200),
    ],
)
def test_an_unknown_or_unsigned_charter_in_the_address_is_not_found(
    client, signed_once, second_scheme, path, status
):
    assert client.get(path.format(slug=signed_once.slug)).status_code == status


def test_a_charter_that_does_not_cover_the_district_is_not_offered_or_joined(
    client, db, signed_once
):
    load_scheme_text(second_charter_text(districts='["Wychavon", "Malvern Hills"]'))
    dashboard = client.get(f"/organisations/{signed_once.slug}").get_data(as_text=True)
    assert "Charters you could sign" not in dashboard

    refused = submit(
        client,
        f"/organisations/{signed_once.slug}/charters/{WORCESTERSHIRE}",
        form_url=f"/organisations/{signed_once.slug}",
        follow_redirects=True,
    )
    assert "does not cover your organisation" in refused.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Signing)
            .where(Signing.organisation_id == signed_once.id)
        )
        == 1
    )


def test_joining_twice_keeps_one_signing(client, db, signed_once, second_scheme):
    url = f"/organisations/{signed_once.slug}/charters/{WORCESTERSHIRE}"
    form_url = f"/organisations/{signed_once.slug}"
    assert submit(client, url, form_url=form_url).status_code == 302
    assert submit(client, url, form_url=form_url).status_code == 302
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Signing)
            .where(Signing.organisation_id == signed_once.id)
        )
        == 2
    )


@pytest.mark.parametrize(
    ("districts", "district", "covered"),
    [
        (["Worcester", "Outside Worcestershire"], "Shrewsbury", True),
        (["Worcester", "Wychavon"], "Shrewsbury", False),
        (["Worcester", "Wychavon"], "Worcester", True),
        ([], "Shrewsbury", True),
        (None, "Shrewsbury", True),
        (["Worcester", "Outsiders Ltd"], "Shrewsbury", False),
    ],
)
def test_a_charter_takes_its_own_districts_and_with_an_outside_entry_anywhere(
    districts, district, covered
):
    assert signings.covers(districts, district) is covered


def test_the_dashboard_says_when_it_signed_the_charter_it_acts_in(
    client, db, scheme, signed_once, second_scheme
):
    organisation = signed_once
    signings.start(organisation, second_scheme).status = "signatory"
    signed_in_may_and_october(organisation, scheme, second_scheme)
    db.session.commit()
    base = f"/organisations/{organisation.slug}"
    shropshire = client.get(base).get_data(as_text=True)
    worcestershire = client.get(f"{base}?charter={WORCESTERSHIRE}").get_data(as_text=True)
    assert "1 May 2026 by Sam Signer" in shropshire
    assert "2 October 2026" not in shropshire
    assert "2 October 2026 by Sam Signer" in worcestershire
    assert "1 May 2026" not in worcestershire
