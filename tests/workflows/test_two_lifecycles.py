"""The two lifecycles of a signing (issue 20): the signatory's duties and its Charter Mark,
each a machine of its own, and the rules that join them."""

from __future__ import annotations

import pytest

from tests.workflows.lifecycle_helpers import (
    FakeOrganisation,
    Recorder,
    actor,
    data_for,
    holding,
)
from workflows import lifecycle
from workflows.lifecycle import ADMIN, ASSESSOR, MEMBER, SYSTEM, InvalidTransition, fire


def test_the_two_lifecycles_have_no_state_in_common():
    assert not set(lifecycle.DUTY_STATES) & set(lifecycle.MARK_STATES)
    assert set(lifecycle.STATES) == set(lifecycle.DUTY_STATES) | set(lifecycle.MARK_STATES)


def test_a_holder_renewing_holds_its_mark_all_through_the_renewal():
    org = holding("renewal_due")
    member, assessor = actor(MEMBER), actor(ASSESSOR)
    fire(org, "apply_for_renewal", member, record=Recorder(), missing=[])
    assert org.mark_status == "renewal_under_assessment" and org.mark_status in lifecycle.HOLDING
    fire(org, "request_information", assessor, record=Recorder(), reason="Evidence for LE4")
    assert org.mark_status == "renewal_information_requested"
    assert org.mark_status in lifecycle.HOLDING
    fire(org, "provide_information", member, record=Recorder())
    fire(org, "refuse_mark", assessor, record=Recorder(), reason="LE4 not met")
    # Refused, the Mark is still held until it expires: renewal due again.
    assert org.mark_status == "renewal_due"
    # Throughout, the duties did not move.
    assert org.status == "monitoring"


@pytest.mark.parametrize(
    ("renewing", "application"),
    [
        ("renewal_under_assessment", "under_assessment"),
        ("renewal_information_requested", "information_requested"),
    ],
)
def test_a_mark_expiring_during_its_renewal_leaves_the_application_going(renewing, application):
    org = holding(renewing)
    fire(org, "expire_mark", actor(SYSTEM), record=Recorder())
    assert org.mark_status == application
    assert org.mark_status not in lifecycle.HOLDING


@pytest.mark.parametrize("duties", ["suspended", "lapsed", "withdrawn", "signatory"])
@pytest.mark.parametrize(
    ("trigger", "mark", "kind"),
    [
        ("apply_for_mark", "no_mark", MEMBER),
        ("apply_for_renewal", "renewal_due", MEMBER),
        ("award_mark", "under_assessment", ASSESSOR),
        ("suspend_mark", "accredited", SYSTEM),
        ("revoke_mark", "accredited", ADMIN),
    ],
)
def test_the_mark_moves_only_while_the_signatory_is_monitored(duties, trigger, mark, kind):
    org = FakeOrganisation(status=duties, mark_status=mark)
    record = Recorder()
    with pytest.raises(InvalidTransition) as refused:
        fire(org, trigger, actor(kind), record=record, **data_for(trigger))
    assert lifecycle.DUTY_LABELS[duties] in refused.value.reason
    assert (org.status, org.mark_status) == (duties, mark) and record.records == []


@pytest.mark.parametrize("duties", ["suspended", "lapsed", "withdrawn"])
def test_a_mark_expires_on_its_date_whatever_the_duties(duties):
    org = FakeOrganisation(status=duties, mark_status="accredited")
    fire(org, "expire_mark", actor(SYSTEM), record=Recorder())
    assert (org.status, org.mark_status) == (duties, "mark_expired")


@pytest.mark.parametrize("mark", [*lifecycle.ASSESSING, *lifecycle.HELD])
def test_a_signatory_with_a_mark_in_play_does_not_lapse(mark):
    org = holding(mark)
    with pytest.raises(InvalidTransition, match="Charter Mark is"):
        fire(org, "lapse", actor(SYSTEM), record=Recorder())
    assert org.status == "monitoring"


def test_an_administrators_suspension_leaves_the_mark_where_it_was():
    org = holding("accredited")
    admin = actor(ADMIN)
    fire(org, "suspend", admin, record=Recorder(), reason="Complaint")
    assert (org.status, org.status_before_suspension, org.mark_status) == (
        "suspended",
        "monitoring",
        "accredited",
    )
    fire(org, "lift_suspension", admin, record=Recorder())
    assert (org.status, org.mark_status) == ("monitoring", "accredited")


@pytest.mark.parametrize(
    ("duties", "mark", "sanction"),
    [
        ("monitoring", "accredited", lifecycle.SUSPEND_MARK),
        ("monitoring", "renewal_due", lifecycle.SUSPEND_MARK),
        ("monitoring", "no_mark", lifecycle.LAPSE),
        ("monitoring", "mark_expired", lifecycle.LAPSE),
        ("monitoring", "mark_revoked", lifecycle.LAPSE),
        ("signatory", "no_mark", lifecycle.LAPSE),
        ("plan_submitted", "no_mark", lifecycle.LAPSE),
        # An application under assessment (a first one or a renewal) waits for its outcome.
        ("monitoring", "under_assessment", None),
        ("monitoring", "renewal_under_assessment", None),
        ("monitoring", "renewal_information_requested", None),
        # Nothing more to lose.
        ("monitoring", "mark_suspended", None),
        ("suspended", "accredited", None),
        ("lapsed", "no_mark", None),
        ("withdrawn", "no_mark", None),
    ],
)
def test_what_a_missed_duty_costs(duties, mark, sanction):
    assert lifecycle.missed_duty_sanction(duties, mark) == sanction


@pytest.mark.parametrize(
    ("duties", "mark", "stage"),
    [
        ("signatory", "no_mark", "signatory"),
        ("monitoring", "no_mark", "monitoring"),
        ("monitoring", "mark_expired", "monitoring"),
        ("monitoring", "renewal_under_assessment", "renewal_under_assessment"),
        ("suspended", "accredited", "suspended"),
        ("lapsed", "accredited", "lapsed"),
    ],
)
def test_the_stage_people_are_shown(duties, mark, stage):
    assert lifecycle.stage(duties, mark) == stage


@pytest.mark.parametrize("state", lifecycle.STATES)
def test_a_stage_splits_back_into_its_two_states(state):
    duties, mark = lifecycle.split_stage(state)
    assert duties in lifecycle.DUTY_STATES and mark in lifecycle.MARK_STATES
    # A Mark not held reads as the monitored signatory it is; every other stage reads back.
    shown = "monitoring" if state in lifecycle.NOT_HELD else state
    assert lifecycle.stage(duties, mark) == shown
