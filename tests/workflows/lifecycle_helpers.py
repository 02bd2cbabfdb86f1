"""Shared steps and data for test_lifecycle.py and its sibling."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workflows import lifecycle
from workflows.lifecycle import (
    ADMIN,
    ASSESSOR,
    MEMBER,
    SYSTEM,
    Actor,
    TransitionRecord,
)

ACTOR_KINDS = (MEMBER, ASSESSOR, ADMIN, SYSTEM)

# The specification, written out by hand so a change to the machine has to change it too:
# trigger -> (who may fire it, from which states, to which state).
EXPECTED = {
    "sign": ({MEMBER}, {"registered", "lapsed", "withdrawn"}, "signatory"),
    "submit_plan": ({MEMBER}, {"signatory"}, "plan_submitted"),
    "return_plan": ({ASSESSOR}, {"plan_submitted"}, "signatory"),
    "approve_plan": ({ASSESSOR}, {"plan_submitted"}, "monitoring"),
    "apply_for_mark": ({MEMBER}, {"monitoring"}, "under_assessment"),
    "request_information": ({ASSESSOR}, {"under_assessment"}, "information_requested"),
    "provide_information": ({MEMBER}, {"information_requested"}, "under_assessment"),
    "award_mark": ({ASSESSOR}, {"under_assessment"}, "accredited"),
    "refuse_mark": ({ASSESSOR}, {"under_assessment"}, "monitoring"),
    "open_renewal": ({SYSTEM}, {"accredited"}, "renewal_due"),
    "apply_for_renewal": ({MEMBER}, {"renewal_due"}, "under_assessment"),
    # An expired Mark leaves a charter signatory, monitoring (issue 8: not lapsed).
    "expire_mark": ({SYSTEM}, {"renewal_due", "mark_suspended"}, "monitoring"),
    "suspend_mark": ({SYSTEM}, {"accredited", "renewal_due"}, "mark_suspended"),
    "reinstate_mark": ({SYSTEM}, {"mark_suspended"}, None),
    "lapse": ({SYSTEM}, {"signatory", "plan_submitted", "monitoring"}, "lapsed"),
    "reopen_assessment": ({ADMIN}, {"monitoring"}, "under_assessment"),
    "revoke_mark": ({ADMIN}, {"accredited", "renewal_due", "mark_suspended"}, "monitoring"),
    "suspend": (
        {ADMIN},
        {
            "signatory",
            "plan_submitted",
            "monitoring",
            "under_assessment",
            "information_requested",
            "accredited",
            "renewal_due",
            "mark_suspended",
        },
        "suspended",
    ),
    "lift_suspension": ({ADMIN}, {"suspended"}, None),
    "withdraw": ({MEMBER}, set(lifecycle.STATES) - {"withdrawn", "suspended"}, "withdrawn"),
    "erase_records": ({SYSTEM}, {"lapsed", "withdrawn"}, "withdrawn"),
}
NEEDS_REASON = {
    "return_plan",
    "request_information",
    "award_mark",
    "refuse_mark",
    "reopen_assessment",
    "revoke_mark",
    "suspend",
    "suspend_mark",
}


@dataclass
class FakeOrganisation:
    status: str = "registered"
    status_before_suspension: str | None = None


@dataclass
class FakeSignature:
    accepted_principles: list[str] = field(default_factory=lambda: ["P1", "P2"])
    signatory_name: str = "Sam Signer"
    signatory_role: str = "Director"
    has_authority: bool = True
    route: str = "working_towards"


def complete_plan() -> dict:
    """Plan data that passes the submit_plan guard: a full target for both core measures."""
    return {
        "plan_targets": [
            {"measure_id": 1, "baseline": 0, "target_value": 10, "target_date": date(2030, 1, 1)},
            {"measure_id": 2, "baseline": 5, "target_value": 8, "target_date": date(2030, 1, 1)},
        ],
        "core_measure_ids": [1, 2],
        "measure_titles": {1: "Local spend", 2: "Local jobs"},
    }


class Recorder:
    def __init__(self):
        self.records: list[TransitionRecord] = []

    def __call__(self, record: TransitionRecord) -> None:
        self.records.append(record)


def actor(kind: str, *, is_member: bool | None = None) -> Actor:
    if is_member is None:
        is_member = kind == MEMBER
    return Actor(kind=kind, label=f"A {kind}", user_id=7, is_member=is_member)


def data_for(trigger: str) -> dict:
    """What each trigger needs to pass its guards, apart from the actor."""
    data: dict = {}
    if trigger == "sign":
        data.update(signature=FakeSignature(), principle_codes=["P1", "P2"])
    if trigger == "submit_plan":
        data.update(complete_plan())
    if trigger in ("apply_for_mark", "apply_for_renewal"):
        data["missing"] = []
    if trigger == "award_mark":
        data["award_failures"] = []
    if trigger == "reinstate_mark":
        data["renewal_window_open"] = False
    if trigger in NEEDS_REASON:
        data["reason"] = "Recorded reason"
    return data


def organisation_ready_for(trigger: str) -> FakeOrganisation:
    source = sorted(EXPECTED[trigger][1])[0]
    org = FakeOrganisation(status=source)
    if source == "suspended":
        org.status_before_suspension = "monitoring"
    return org
