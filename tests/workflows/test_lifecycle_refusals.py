"""The lifecycle machine: refusals, suspension, the audit record and the diagram."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflows.lifecycle_helpers import (
    EXPECTED,
    NEEDS_REASON,
    FakeOrganisation,
    FakeSignature,
    Recorder,
    actor,
    complete_plan,
    data_for,
    holding,
    organisation_ready_for,
    state,
)
from workflows import lifecycle
from workflows.lifecycle import (
    ADMIN,
    ASSESSOR,
    MEMBER,
    Forbidden,
    InvalidTransition,
    TransitionRecord,
    TransitionRefused,
    fire,
)

# --- refusals ------------------------------------------------------------------------------


def test_wrong_state_is_an_invalid_transition_with_a_plain_message():
    org = FakeOrganisation(status="registered")
    record = Recorder()
    with pytest.raises(InvalidTransition) as refused:
        fire(org, "submit_plan", actor(MEMBER), record=record)
    assert refused.value.reason == (
        "You cannot submit the action plan while the organisation is ‘Registered’."
    )
    assert org.status == "registered"
    assert record.records == []


def test_signing_twice_is_an_invalid_transition():
    org = FakeOrganisation(status="signatory")
    with pytest.raises(InvalidTransition, match=r"sign the charter while .*Charter signatory"):
        fire(org, "sign", actor(MEMBER), record=Recorder(), **data_for("sign"))


def test_an_unknown_trigger_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown trigger"):
        fire(FakeOrganisation(), "teleport", actor(MEMBER), record=Recorder())


def test_a_member_of_another_organisation_is_forbidden():
    org = FakeOrganisation(status="registered")
    record = Recorder()
    with pytest.raises(Forbidden, match="Only members of this organisation can sign the charter"):
        fire(org, "sign", actor(MEMBER, is_member=False), record=record, **data_for("sign"))
    assert org.status == "registered"
    assert record.records == []


def test_an_assessor_who_is_a_member_may_not_assess():
    org = holding("under_assessment")
    record = Recorder()
    with pytest.raises(Forbidden, match="cannot assess an organisation you are a member of"):
        fire(org, "award_mark", actor(ASSESSOR, is_member=True), record=record, reason="Met")
    assert org.mark_status == "under_assessment"
    assert record.records == []


def test_award_is_refused_with_the_failures_of_the_award_rule():
    org = holding("under_assessment")
    record = Recorder()
    failures = ["LE4 has not been judged"]
    with pytest.raises(TransitionRefused, match="award rule does not hold") as refused:
        fire(
            org,
            "award_mark",
            actor(ASSESSOR),
            record=record,
            reason="Met",
            award_failures=failures,
        )
    assert refused.value.missing == failures
    assert org.mark_status == "under_assessment" and record.records == []


def test_award_is_refused_when_the_award_rule_was_not_checked():
    org = holding("under_assessment")
    with pytest.raises(TransitionRefused, match="award rule does not hold"):
        fire(org, "award_mark", actor(ASSESSOR), record=Recorder(), reason="Met")
    assert org.mark_status == "under_assessment"


def test_an_administrator_who_is_a_member_may_still_suspend():
    # Only assessing is a conflict of interest; administration is not judged per organisation.
    org = FakeOrganisation(status="monitoring")
    fire(org, "suspend", actor(ADMIN, is_member=True), record=Recorder(), reason="Complaint")
    assert org.status == "suspended"


def test_forbidden_and_invalid_are_both_refusals():
    assert issubclass(Forbidden, TransitionRefused)
    assert issubclass(InvalidTransition, TransitionRefused)


@pytest.mark.parametrize("trigger", sorted(NEEDS_REASON))
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required_where_declared(trigger, reason):
    kind = next(iter(EXPECTED[trigger][0]))
    org = organisation_ready_for(trigger)
    before = (org.status, org.mark_status, org.status_before_suspension)
    record = Recorder()
    with pytest.raises(TransitionRefused, match="Give a reason"):
        fire(org, trigger, actor(kind), record=record, reason=reason)
    assert (org.status, org.mark_status, org.status_before_suspension) == before
    assert record.records == []


@pytest.mark.parametrize("trigger", sorted(set(EXPECTED) - NEEDS_REASON - {"sign"}))
def test_no_reason_needed_elsewhere(trigger):
    kind = next(iter(EXPECTED[trigger][0]))
    org = organisation_ready_for(trigger)
    fire(org, trigger, actor(kind), record=Recorder(), **data_for(trigger))
    assert state(org, trigger) != state(organisation_ready_for(trigger), trigger)


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"accepted_principles": ["P1"]}, "acceptance of every principle (1 not accepted)"),
        ({"signatory_name": "  "}, "the name of the person signing"),
        ({"signatory_role": ""}, "the role of the person signing"),
        ({"has_authority": False}, "a declaration that the person signing has authority"),
        ({"route": None}, "the route to the Charter Mark"),
        ({"route": "someday"}, "the route to the Charter Mark"),
    ],
)
def test_signing_needs_a_complete_signature(change, missing):
    signature = FakeSignature(**change)
    org = FakeOrganisation()
    record = Recorder()
    with pytest.raises(TransitionRefused) as refused:
        fire(
            org,
            "sign",
            actor(MEMBER),
            record=record,
            signature=signature,
            principle_codes=["P1", "P2"],
        )
    assert refused.value.reason == "The charter cannot be signed yet."
    assert refused.value.missing == [missing]
    assert org.status == "registered"
    assert record.records == []


def test_signing_without_a_signature_or_principles_is_refused():
    with pytest.raises(TransitionRefused, match="signature is missing"):
        fire(FakeOrganisation(), "sign", actor(MEMBER), record=Recorder(), principle_codes=["P1"])
    with pytest.raises(TransitionRefused) as refused:
        fire(
            FakeOrganisation(), "sign", actor(MEMBER), record=Recorder(), signature=FakeSignature()
        )
    assert "the scheme's principles" in refused.value.missing


def test_actor_is_checked_before_the_signature():
    # A stranger learns nothing about what the signature lacks.
    with pytest.raises(Forbidden):
        fire(
            FakeOrganisation(),
            "sign",
            actor(MEMBER, is_member=False),
            record=Recorder(),
            signature=FakeSignature(has_authority=False),
            principle_codes=["P1", "P2"],
        )


@pytest.mark.parametrize("source", ["registered", "lapsed", "withdrawn"])
def test_signing_is_possible_again_after_lapsing_or_withdrawing(source):
    org = FakeOrganisation(status=source)
    assert fire(org, "sign", actor(MEMBER), record=Recorder(), **data_for("sign")) == "signatory"


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"plan_targets": []}, ["Local spend", "Local jobs"]),
        (
            {
                "plan_targets": [
                    {"measure_id": 1, "baseline": 0, "target_value": 10, "target_date": None}
                ]
            },
            ["Local spend", "Local jobs"],
        ),
        (
            {
                "plan_targets": [
                    {
                        "measure_id": 2,
                        "baseline": 0,
                        "target_value": 10,
                        "target_date": date(2030, 1, 1),
                    }
                ]
            },
            ["Local spend"],
        ),
        (
            {"core_measure_ids": [], "plan_targets": []},
            ["a target for at least one of the scheme's measures"],
        ),
    ],
)
def test_submitting_a_plan_needs_a_complete_target_per_core_measure(change, missing):
    org = FakeOrganisation(status="signatory")
    record = Recorder()
    with pytest.raises(TransitionRefused) as refused:
        fire(org, "submit_plan", actor(MEMBER), record=record, **{**complete_plan(), **change})
    assert refused.value.reason == "The action plan is not complete yet."
    assert refused.value.missing == missing
    assert org.status == "signatory"
    assert record.records == []


def test_a_scheme_without_core_measures_takes_a_plan_with_any_complete_target():
    org = FakeOrganisation(status="signatory")
    plan = {**complete_plan(), "core_measure_ids": []}
    plan["plan_targets"] = plan["plan_targets"][:1]
    fire(org, "submit_plan", actor(MEMBER), record=Recorder(), **plan)
    assert org.status == "plan_submitted"


def test_a_plan_with_no_plan_data_is_refused():
    with pytest.raises(TransitionRefused, match="not complete yet"):
        fire(FakeOrganisation(status="signatory"), "submit_plan", actor(MEMBER), record=Recorder())


# --- suspension ----------------------------------------------------------------------------


@pytest.mark.parametrize("state", lifecycle.SUSPENDABLE)
def test_suspension_remembers_the_state_and_lifting_returns_to_it(state):
    org = FakeOrganisation(status=state)
    admin = actor(ADMIN)
    record = Recorder()
    fire(org, "suspend", admin, record=record, reason="Complaint under investigation")
    assert org.status == "suspended"
    assert org.status_before_suspension == state

    fire(org, "lift_suspension", admin, record=record)
    assert org.status == state
    assert org.status_before_suspension is None
    assert [(r.trigger, r.from_state, r.to_state) for r in record.records] == [
        ("suspend", state, "suspended"),
        ("lift_suspension", "suspended", state),
    ]


@pytest.mark.parametrize("state", ["registered", "lapsed", "withdrawn", "suspended"])
def test_some_states_cannot_be_suspended(state):
    org = FakeOrganisation(status=state)
    with pytest.raises(InvalidTransition):
        fire(org, "suspend", actor(ADMIN), record=Recorder(), reason="Complaint")
    assert org.status == state


def test_lifting_a_suspension_with_nothing_remembered_is_refused():
    org = FakeOrganisation(status="suspended", status_before_suspension=None)
    record = Recorder()
    with pytest.raises(TransitionRefused, match="cannot lift the suspension now"):
        fire(org, "lift_suspension", actor(ADMIN), record=record)
    assert org.status == "suspended"
    assert record.records == []


# --- the audit record ----------------------------------------------------------------------


def test_record_is_called_once_with_what_happened():
    org = FakeOrganisation(status="plan_submitted")
    assessor = actor(ASSESSOR)
    record = Recorder()
    fire(org, "return_plan", assessor, record=record, reason="Add a date for LE4")
    assert record.records == [
        TransitionRecord(
            organisation=org,
            actor=assessor,
            trigger="return_plan",
            from_state="plan_submitted",
            to_state="signatory",
            reason="Add a date for LE4",
        )
    ]


def test_record_is_called_once_per_transition_along_a_journey():
    org = FakeOrganisation()
    record = Recorder()
    member, assessor = actor(MEMBER), actor(ASSESSOR)
    fire(org, "sign", member, record=record, **data_for("sign"))
    fire(org, "submit_plan", member, record=record, **complete_plan())
    fire(org, "approve_plan", assessor, record=record)
    fire(org, "apply_for_mark", member, record=record, missing=[])
    fire(
        org,
        "award_mark",
        assessor,
        record=record,
        reason="All core measures met",
        award_failures=[],
    )
    assert org.mark_status == "accredited"
    assert [r.trigger for r in record.records] == [
        "sign",
        "submit_plan",
        "approve_plan",
        "apply_for_mark",
        "award_mark",
    ]


def test_a_failing_record_propagates():
    # The service layer relies on this: no audit row means the caller must not commit.
    def broken(_record):
        raise RuntimeError("audit store down")

    with pytest.raises(RuntimeError, match="audit store down"):
        fire(FakeOrganisation(), "sign", actor(MEMBER), record=broken, **data_for("sign"))


# --- the diagram ---------------------------------------------------------------------------


def test_mermaid_mentions_every_state_and_trigger():
    duties, mark = lifecycle.mermaid(lifecycle.DUTIES), lifecycle.mermaid(lifecycle.MARK)
    assert duties.startswith("stateDiagram-v2\n") and mark.startswith("stateDiagram-v2\n")
    assert "no_mark" not in duties and "registered" not in mark
    text = duties + mark
    for each in lifecycle.STATES:
        assert f" {each} " in text or f" {each}:" in text or f"> {each}" in text, each
    for name in lifecycle.TRIGGERS:
        assert f": {name} (" in text, name


def test_every_state_has_a_label_and_public_states_exclude_private_ones():
    assert set(lifecycle.STATE_LABELS) == set(lifecycle.STATES)
    assert "registered" not in lifecycle.PUBLIC_STATES
    assert "withdrawn" not in lifecycle.PUBLIC_STATES
    assert "monitoring" in lifecycle.PUBLIC_STATES
    # The register shows the duties; the Mark's state is not one of them.
    assert "accredited" not in lifecycle.PUBLIC_STATES


@pytest.mark.parametrize("trigger", ["apply_for_mark", "apply_for_renewal"])
def test_applying_is_refused_with_what_is_missing(trigger):
    org = organisation_ready_for(trigger)
    missing = ["Record at least one contract won from a public-sector commissioner"]
    with pytest.raises(TransitionRefused) as refused:
        fire(org, trigger, actor(MEMBER), record=Recorder(), missing=missing)
    assert refused.value.missing == missing
    assert org.mark_status == sorted(EXPECTED[trigger][1])[0]


@pytest.mark.parametrize("trigger", ["apply_for_mark", "apply_for_renewal"])
def test_applying_is_refused_when_eligibility_was_not_checked(trigger):
    org = organisation_ready_for(trigger)
    with pytest.raises(TransitionRefused):
        fire(org, trigger, actor(MEMBER), record=Recorder())
