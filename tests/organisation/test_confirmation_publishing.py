"""The annual confirmation asks an organisation that has never answered whether it publishes
its verified figures, and saves the answer with the confirmation or not at all; one that has
answered sees its choice, with a link to change it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, User
from charter.organisation.forms.publishing import PUBLISH_MESSAGE, PUBLISH_QUESTION
from charter.services.domain import confirmations, publishing
from tests.factories import submit
from tests.organisation.confirmation_helpers import (
    DETAILS,
    awaiting_confirmation,
    decided,
    state,
    url,
)
from workflows.lifecycle import TransitionRefused


def test_an_organisation_that_never_answered_is_asked(member_client, organisation, scheme):
    awaiting_confirmation(organisation)
    html = member_client.get(url(organisation)).get_data(as_text=True)
    assert PUBLISH_QUESTION in html
    assert 'name="publish"' in html
    assert "under the Open Government Licence" in html


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_the_answer_is_saved_with_the_confirmation(member_client, organisation, scheme, answer):
    pending = awaiting_confirmation(organisation)
    response = submit(member_client, url(organisation), {**DETAILS, "publish": answer})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    after = state(organisation)
    assert after["confirmed"] == [True]
    assert after["town"] == "Ludlow"
    assert after["publishes_figures"] is (answer == "yes")
    confirmed = db.session.get(type(pending), pending.id)
    assert after["decided_at"] == confirmed.confirmed_at  # one moment, one transaction
    consent = db.session.execute(
        select(AuditEvent.trigger, AuditEvent.actor_id, AuditEvent.created_at).where(
            AuditEvent.organisation_id == organisation.id,
            AuditEvent.trigger.in_(publishing.AUDIT_LABELS),
        )
    ).all()
    expected = publishing.AGREED if answer == "yes" else publishing.DECLINED
    assert consent == [(expected, confirmed.confirmed_by_id, confirmed.confirmed_at)]


@pytest.mark.parametrize("publish", [None, "maybe", "YES"])
def test_no_answer_or_a_bad_one_is_an_error_and_confirms_nothing(
    member_client, organisation, scheme, publish
):
    awaiting_confirmation(organisation)
    before = state(organisation)
    data = {**DETAILS} if publish is None else {**DETAILS, "publish": publish}
    response = submit(member_client, url(organisation), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert html.count(PUBLISH_MESSAGE) == 2  # in the summary and by the question
    assert state(organisation) == before


def test_a_refused_confirmation_saves_no_answer_either(member_client, organisation, scheme):
    """Suspended by an administrator: the confirmation is refused, and the consent given with
    it is rolled back with it."""
    awaiting_confirmation(organisation, status="suspended")
    before = state(organisation)
    response = submit(member_client, url(organisation), {**DETAILS, "publish": "yes"})
    assert response.status_code == 302
    assert state(organisation) == before
    assert before["decided_at"] is None


def test_the_service_records_the_answer_only_with_the_confirmation(organisation, member, scheme):
    awaiting_confirmation(organisation, status="withdrawn")
    before = state(organisation)
    owner = db.session.get(User, member.id)
    with pytest.raises(TransitionRefused):
        confirmations.confirm(organisation, owner, publishes_figures=True)
    db.session.rollback()
    assert state(organisation) == before


@pytest.mark.parametrize("publishes", [True, False])
def test_an_organisation_that_answered_sees_its_choice_and_is_not_asked(
    member_client, organisation, scheme, publishes
):
    awaiting_confirmation(organisation)
    decided(organisation, publishes)
    html = member_client.get(url(organisation)).get_data(as_text=True)
    assert 'name="publish"' not in html
    assert ("Yes: your verified figures" if publishes else "No: the register shows") in html
    change = f"/organisations/{organisation.slug}/publish-figures?from=confirm-commitment"
    assert f'href="{change}"' in html

    # A stray answer posted anyway changes nothing; the confirmation goes through.
    before = state(organisation)
    response = submit(member_client, url(organisation), {**DETAILS, "publish": "maybe"})
    assert response.status_code == 302
    after = state(organisation)
    assert after["confirmed"] == [True]
    assert (after["publishes_figures"], after["decided_at"]) == (
        before["publishes_figures"],
        before["decided_at"],
    )


def test_changing_the_choice_from_the_confirmation_returns_there(
    member_client, organisation, scheme
):
    awaiting_confirmation(organisation)
    decided(organisation, False)
    change = f"/organisations/{organisation.slug}/publish-figures?from=confirm-commitment"
    page = member_client.get(change).get_data(as_text=True)
    assert f'href="{url(organisation)}"' in page  # the back link
    assert f'action="{change}"' in page
    response = submit(member_client, change, {"publish": "yes"})
    assert response.location.endswith(url(organisation))
    assert state(organisation)["publishes_figures"] is True
    assert state(organisation)["confirmed"] == [False]  # still to be confirmed
    # Any other "from" is ignored: back to the organisation's page.
    other = f"/organisations/{organisation.slug}/publish-figures?from=https://example.com"
    response = submit(member_client, other, {"publish": "no"})
    assert response.location.endswith(f"/organisations/{organisation.slug}")


@pytest.mark.parametrize(
    ("status", "says", "not_says"),
    [
        ("monitoring", "will lapse from the charter on", "once the assessment"),
        (
            "under_assessment",
            "once the assessment of your application ends",
            "lapse from the charter on",
        ),
    ],
)
def test_the_dashboard_warning_says_what_happens_in_the_organisations_state(
    member_client, organisation, scheme, status, says, not_says
):
    """Under assessment the scheduled review waits for the outcome: the warning does not
    promise a lapse on a date that will not bring one."""
    awaiting_confirmation(organisation, status=status)
    html = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Confirm your charter commitment by" in html
    assert says in html
    assert not_says not in html
