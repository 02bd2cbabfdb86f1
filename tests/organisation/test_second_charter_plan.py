"""A second charter's signing goes on past "signatory" (issue 20): its action plan, judged by
that charter's own assessors, puts it in monitoring while the first charter's signing stays as
it was. Cheshire West's real scheme file has no core measure (the supplier chooses what it
commits to), so its plan needs one complete target on any of its measures."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models import Charter, Signing
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.organisation.plan_helpers import (
    fill_core_targets,
    make_signatory,
    plans_of,
    start_plan,
    submit_plan,
    target_data,
)

CHESHIRE_WEST = "cheshire-west-and-chester"


def scheme_file(name: str) -> str:
    root = Path(current_app.root_path).parent / "schemes"
    return (root / name).read_text(encoding="utf-8")


@pytest.fixture
def cheshire_west(app, db, scheme):
    loaded = load_scheme_text(scheme_file("cheshire-west-and-chester.toml")).scheme
    db.session.commit()  # as the command does: the process then holds the new charter
    return loaded


@pytest.fixture
def two_charters(client, scheme, cheshire_west):
    owner = make_user(email="owner@two.example")
    organisation = make_organisation(owner=owner, scheme=scheme, status="monitoring")
    signing = signings.start(organisation, cheshire_west)
    signing.status, signing.route = "signatory", "working_towards"
    db.session.commit()
    charter = db.session.get(Charter, cheshire_west.charter_id)
    return {
        "organisation": organisation,
        "owner": owner,
        "cw_assessor": make_user(email="assessor@cw.example", role="assessor", charter=charter),
        "shropshire_assessor": make_user(email="assessor@shropshire.example", role="assessor"),
    }


def sign_in_as(client, user) -> None:
    """Sign out whoever is signed in, then sign in as ``user``."""
    with client.session_transaction() as session:
        session.clear()
    sign_in(client, user.email)


def plan_url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}/action-plan{rest}?charter={CHESHIRE_WEST}"


def statuses(organisation) -> dict[int, str]:
    db.session.expire_all()
    return dict(
        db.session.execute(
            select(Signing.charter_id, Signing.status).where(
                Signing.organisation_id == organisation.id
            )
        ).all()
    )


def test_a_second_charter_s_plan_is_judged_by_its_own_assessors(
    client, scheme, cheshire_west, two_charters
):
    organisation = two_charters["organisation"]
    sign_in_as(client, two_charters["owner"])
    started = submit(client, plan_url(organisation, "/start"), form_url=plan_url(organisation))
    assert started.status_code == 302, started.get_data(as_text=True)[:1000]
    # Cheshire West's minimum standards come before any social value requirement.
    standards = f"/organisations/{organisation.slug}/minimum-standards?charter={CHESHIRE_WEST}"
    assert submit(client, standards, {"declare": "y"}).status_code == 302

    # Nothing chosen yet: refused, saying what is missing.
    refused = submit(client, plan_url(organisation, "/check-your-answers"))
    assert refused.status_code == 409  # the refusal page
    assert "a target for at least one of the scheme" in refused.get_data(as_text=True)

    filled = submit(client, plan_url(organisation, "/measures/CW3"), target_data())
    assert filled.status_code == 302, filled.get_data(as_text=True)[:3000]
    sent = submit(client, plan_url(organisation, "/check-your-answers"))
    assert sent.status_code == 302, sent.get_data(as_text=True)[:3000]
    assert statuses(organisation) == {
        scheme.charter_id: "monitoring",
        cheshire_west.charter_id: "plan_submitted",
    }
    plan = plans_of(organisation)[-1]

    # Shropshire's assessor neither lists nor opens it.
    sign_in_as(client, two_charters["shropshire_assessor"])
    assert organisation.name not in client.get("/assessor/").get_data(as_text=True)
    assert client.get(f"/assessor/plans/{plan.id}").status_code == 404

    # Cheshire West's assessor does, and approves it.
    sign_in_as(client, two_charters["cw_assessor"])
    work = client.get("/assessor/").get_data(as_text=True)
    assert organisation.name in work
    assert client.get(f"/assessor/plans/{plan.id}").status_code == 200
    decided = submit(
        client,
        f"/assessor/plans/{plan.id}/decision",
        {"decision": "approve", "comment": ""},
        form_url=f"/assessor/plans/{plan.id}",
    )
    assert decided.status_code == 302, decided.get_data(as_text=True)[:2000]
    assert statuses(organisation) == {
        scheme.charter_id: "monitoring",
        cheshire_west.charter_id: "monitoring",
    }


def test_a_charter_s_assessor_finds_nothing_of_another_charter_by_id(
    client, scheme, cheshire_west, two_charters
):
    """A Shropshire plan opened by id by Cheshire West's assessor: 404, as for a plan that does
    not exist; named in the address, a charter they are not staff of changes nothing."""
    owner = make_user(email="owner@shropshire-only.example")
    only = make_signatory(make_organisation(owner=owner, scheme=scheme))
    sign_in_as(client, owner)
    start_plan(client, only)
    fill_core_targets(client, only, scheme)
    assert submit_plan(client, only).status_code == 302
    plan = plans_of(only)[-1]

    sign_in_as(client, two_charters["cw_assessor"])
    assert client.get(f"/assessor/plans/{plan.id}").status_code == 404
    assert client.get(f"/assessor/plans/{plan.id}?charter=shropshire").status_code == 404
    assert only.name not in client.get("/assessor/?charter=shropshire").get_data(as_text=True)
    sign_in_as(client, two_charters["shropshire_assessor"])
    assert client.get(f"/assessor/plans/{plan.id}").status_code == 200
