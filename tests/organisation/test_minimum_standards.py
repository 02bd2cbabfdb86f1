"""The minimum standards declaration through the pages (issue 21), on Cheshire West and
Chester's scheme file: an owner declares the policy's minimum standards; the declaration is kept
with its date and who made it; the action plan cannot be sent until it is declared; a dated
warning (and one email naming the charter) comes before it lapses, and once it has, the
dashboard says when and the plan is stopped again. Shropshire's charter, which lists no minimum
standards, shows nothing of this."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from charter.formatting import format_date
from charter.models import Membership, OutboxEmail, Signing, StandardsDeclaration
from charter.services.domain import reviews, signings
from charter.services.domain.marks import add_months
from tests.factories import make_user, sign_in, submit
from tests.organisation.declaration_helpers import (
    CHESHIRE_WEST,
    load_council,
    on_day,
    signatory_of,
    signed_in_client,
)
from tests.organisation.plan_helpers import fill_target, start_plan, submit_plan

DECLARE = {"declare": "y"}
OWNER = "owner@supplier.example"


@pytest.fixture
def cheshire(app, db):
    return load_council(CHESHIRE_WEST)


@pytest.fixture
def supplier(client, cheshire):
    organisation, _owner = signatory_of(cheshire, client, OWNER, "Cheshire West and Chester")
    return organisation


def url(organisation) -> str:
    return f"/organisations/{organisation.slug}/minimum-standards"


def _declarations(db, organisation) -> list[StandardsDeclaration]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(StandardsDeclaration).where(
                StandardsDeclaration.organisation_id == organisation.id
            )
        )
    )


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_plan_waits_for_the_declaration_which_is_kept_with_its_date_and_who_made_it(
    client, db, scheme, cheshire, supplier
):
    # Shropshire's charter (``scheme``) is the default; the supplier signed Cheshire West's only.
    today = date.today()
    dashboard = _text(client, f"/organisations/{supplier.slug}")
    assert "Declare the minimum standards" in dashboard
    assert "Before your action plan can be sent" in dashboard
    page = _text(client, url(supplier))
    for statement in cheshire.minimum_standards:  # the policy's words
        assert statement in page
    assert "Cheshire West and Chester Council expects every supplier" in page

    start_plan(client, supplier)
    assert fill_target(client, supplier, "CW1").status_code == 302
    refused = submit_plan(client, supplier)
    assert refused.status_code == 409
    assert "before you send your action plan" in refused.get_data(as_text=True)

    declared = submit(client, url(supplier), DECLARE)
    assert declared.status_code == 302
    [declaration] = _declarations(db, supplier)
    assert declaration.declared_at.date() == today
    assert declaration.declared_by_id is not None
    assert declaration.lapses_on == add_months(today, 12)
    assert declaration.standards == cheshire.minimum_standards
    dashboard = _text(client, f"/organisations/{supplier.slug}")
    assert f"Declared on {format_date(today)}, lapses on {format_date(add_months(today, 12))}" in (
        dashboard
    )

    # Declared, the plan passes this gate. It is then sent, or (before issue 20's plan guard
    # took a scheme without core measures) refused by the plan's own rule only.
    sent = submit_plan(client, supplier)
    body = sent.get_data(as_text=True)
    assert "before you send your action plan" not in body
    assert sent.status_code == 302 or "The action plan is not complete yet" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Confirm that the organisation meets each of the minimum standards"),
        ({"declare": ""}, "Confirm that the organisation meets each of the minimum standards"),
    ],
)
def test_a_declaration_without_the_box_ticked_is_refused_and_saves_nothing(
    client, db, supplier, data, message
):
    response = submit(client, url(supplier), data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _declarations(db, supplier) == []


def test_only_an_owner_declares(app, db, supplier):
    member = make_user(email="member@supplier.example")
    db.session.add(Membership(user_id=member.id, organisation_id=supplier.id, role="member"))
    db.session.commit()
    client = app.test_client()
    sign_in(client, member.email)
    assert "Only an owner" in _text(client, url(supplier))
    response = submit(client, url(supplier), DECLARE)
    assert response.status_code == 403
    assert _declarations(db, supplier) == []


def test_a_warning_comes_before_the_declaration_lapses_then_the_dashboard_says_when(
    app, client, db, cheshire, supplier
):
    today = date.today()
    submit(client, url(supplier), DECLARE)
    lapses_on = add_months(today, 12)
    last_day = lapses_on - timedelta(days=1)

    with on_day(lapses_on - timedelta(days=31)):
        client = signed_in_client(app, OWNER)
        assert reviews.JOBS["warn_before_standards_lapse"](date.today())["warned"] == 0
        assert "Declare the minimum standards again" not in _text(
            client, f"/organisations/{supplier.slug}"
        )

    with on_day(lapses_on - timedelta(days=10)) as day:
        client = signed_in_client(app, OWNER)
        dashboard = _text(client, f"/organisations/{supplier.slug}")
        assert f"Declare the minimum standards again by {format_date(last_day)}" in dashboard
        assert reviews.JOBS["warn_before_standards_lapse"](day)["warned"] == 1
        assert reviews.JOBS["warn_before_standards_lapse"](day)["warned"] == 0  # once
        email = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
        assert email.to_address == OWNER
        assert "Cheshire West and Chester Council Social Value Policy" in email.body
        assert f"by {format_date(last_day)}" in email.body
        assert f"{url(supplier)}" in email.body

    with on_day(lapses_on + timedelta(days=3)):
        client = signed_in_client(app, OWNER)
        dashboard = _text(client, f"/organisations/{supplier.slug}")
        assert "Your minimum standards declaration has lapsed" in dashboard
        assert f"It lapsed on {format_date(lapses_on)}" in dashboard
        page = _text(client, url(supplier))
        assert f"The declaration lapsed on {format_date(lapses_on)}" in page
        start_plan(client, supplier)
        refused = submit_plan(client, supplier)
        assert refused.status_code == 409
        assert f"lapsed on {format_date(lapses_on)}" in refused.get_data(as_text=True)

        assert submit(client, url(supplier), DECLARE).status_code == 302
        assert len(_declarations(db, supplier)) == 2
        assert "has lapsed" not in _text(client, f"/organisations/{supplier.slug}")


def test_a_charter_without_minimum_standards_shows_nothing_of_them(client, db, scheme):
    organisation, _owner = signatory_of(scheme, client, "owner@shropshire.example", "Shrewsbury")
    dashboard = _text(client, f"/organisations/{organisation.slug}")
    assert "minimum standards" not in dashboard.lower()
    assert client.get(url(organisation)).status_code == 404
    dashboard_url = f"/organisations/{organisation.slug}"
    assert submit(client, url(organisation), DECLARE, form_url=dashboard_url).status_code == 404


def test_nothing_is_declared_before_signing(client, db, cheshire):
    organisation, _owner = signatory_of(
        cheshire, client, "owner@registered.example", "Cheshire West and Chester", "registered"
    )
    assert "Sign the charter before" in _text(client, url(organisation))
    assert submit(client, url(organisation), DECLARE).status_code == 409
    count = db.session.scalar(select(func.count()).select_from(StandardsDeclaration))
    assert count == 0


def test_an_organisation_that_signed_two_charters_declares_in_the_one_that_asks(
    client, db, scheme, cheshire
):
    organisation, _owner = signatory_of(scheme, client, OWNER, "Shrewsbury")
    signings.start(organisation, cheshire).status = "signatory"
    db.session.commit()
    home = f"/organisations/{organisation.slug}"
    in_cheshire = f"?charter={CHESHIRE_WEST}"

    assert "minimum standards" not in _text(client, home).lower()  # Shropshire's, the first
    assert "Declare the minimum standards" in _text(client, home + in_cheshire)
    # The running body of the charter it acts in, without the address naming it too.
    page = _text(client, url(organisation) + in_cheshire)
    assert "Cheshire West and Chester Council expects" in page
    assert client.get(url(organisation)).status_code == 404
    response = submit(client, url(organisation) + in_cheshire, DECLARE)
    assert response.status_code == 302 and in_cheshire in response.location
    [declaration] = _declarations(db, organisation)
    cheshire_signing = db.session.scalar(
        select(Signing.id).where(
            Signing.organisation_id == organisation.id, Signing.charter_id == cheshire.charter_id
        )
    )
    assert declaration.signing_id == cheshire_signing
    assert "Declared on" in _text(client, home + in_cheshire)
