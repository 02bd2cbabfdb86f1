"""charter.services.domain.applications on its own: eligibility, the snapshot, appeals."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure
from charter.models.assessment import Appeal, Application
from charter.services.domain import applications, snapshots
from tests.factories import make_organisation, make_user, signing_id_for
from tests.organisation.application_helpers import (
    NO_CONTRACT,
    ready_to_apply,
    refused_application,
)
from workflows.lifecycle import Forbidden, TransitionRefused


@pytest.fixture
def org(member, scheme):
    return make_organisation(owner=member, scheme=scheme)


def test_an_eligible_organisation_has_nothing_missing(org, scheme):
    ready_to_apply(org, scheme)
    assert applications.eligibility(org) == []


def test_each_missing_item_is_a_sentence(org, scheme):
    ready_to_apply(org, scheme, contract=False, verified=1)
    assert applications.eligibility(org) == [
        NO_CONTRACT,
        "You have 1 verified monitoring return; the scheme needs 2",
    ]


def test_unverified_returns_do_not_count(org, scheme):
    measures = ready_to_apply(org, scheme, verified=1)
    from tests.factories import make_return

    make_return(org, measures, 2, {"LE1": "5"}, status="submitted")
    assert "You have 1 verified monitoring return; the scheme needs 2" in (
        applications.eligibility(org)
    )


def test_the_reapply_wait_ends_on_the_day_given(org, scheme):
    ready_to_apply(org, scheme)
    application = refused_application(org, scheme, make_user(role="assessor"))
    application.decided_at = datetime(2026, 12, 3, 15, 0)
    db.session.commit()
    first_day = date(2026, 12, 3) + timedelta(days=scheme.reapply_wait_days)
    message = f"You can apply again from {first_day.day} {first_day:%B %Y}"
    assert applications.eligibility(org, today=first_day - timedelta(days=1)) == [message]
    assert applications.eligibility(org, today=first_day) == []


def test_an_organisation_not_monitoring_cannot_apply(org, scheme):
    ready_to_apply(org, scheme, status="signatory")
    [reason] = applications.eligibility(org)
    assert "‘Charter signatory’" in reason


@pytest.mark.usefixtures("on_fixture_day")
def test_the_snapshot_is_plain_json_with_proxy_values(app, org, scheme):
    ready_to_apply(org, scheme)
    le1 = db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == "LE1")
    )
    le1.proxy_value = Decimal("0.50")
    db.session.commit()
    with app.test_request_context():
        snapshot = snapshots.take_snapshot(org, scheme)
    assert json.loads(json.dumps(snapshot)) == snapshot
    [proxy] = snapshot["proxy_values"]
    assert proxy["code"] == "LE1"
    assert Decimal(proxy["social_value"]) == Decimal("600.00")
    [first, second] = snapshot["verified_returns"]
    assert first["period_start"] < second["period_start"]
    assert {line["code"] for line in first["lines"]} == {"LE1", "LE4", "LE10"}


def test_answering_when_nothing_was_asked_is_refused(app, org, scheme, member):
    ready_to_apply(org, scheme)
    application = Application(
        organisation_id=org.id,
        signing_id=signing_id_for(org.id),
        scheme_id=scheme.id,
        status="open",
        snapshot={},
    )
    db.session.add(application)
    db.session.commit()
    with app.test_request_context(), pytest.raises(TransitionRefused):
        applications.provide_information(application, member, "Here it is")


def test_deciding_an_appeal_needs_a_reason_and_another_administrator(app, org, scheme):
    ready_to_apply(org, scheme)
    refuser = make_user(role="admin")
    application = refused_application(org, scheme, refuser)
    appeal = Appeal(application_id=application.id, organisation_id=org.id, grounds="Wrong")
    db.session.add(appeal)
    db.session.commit()
    with app.test_request_context():
        with pytest.raises(Forbidden):
            applications.decide_appeal(appeal, refuser, uphold=True, reason="Fine")
        other = make_user(role="admin")
        with pytest.raises(TransitionRefused):
            applications.decide_appeal(appeal, other, uphold=False, reason="  ")
        applications.decide_appeal(appeal, other, uphold=False, reason="No new evidence")
        db.session.commit()
        with pytest.raises(TransitionRefused, match="already been decided"):
            applications.decide_appeal(appeal, other, uphold=True, reason="Again")
    assert appeal.status == "dismissed"


def test_can_appeal_only_once_and_only_within_the_window(app, org, scheme, member):
    ready_to_apply(org, scheme)
    application = refused_application(org, scheme, make_user(role="assessor"), days_ago=1)
    closes = applications.appeal_closes_on(application, scheme)
    assert applications.can_appeal(application, today=closes)
    assert not applications.can_appeal(application, today=closes + timedelta(days=1))
    with app.test_request_context():
        applications.lodge_appeal(application, member, "Wrong")
    db.session.commit()
    assert not applications.can_appeal(application)
