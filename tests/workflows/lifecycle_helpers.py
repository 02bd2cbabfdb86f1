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

# The specification, written out by hand so a change to the machines has to change it too:
# trigger -> (who may fire it, its lifecycle, {from state: to state}); None: decided when fired.
DUTIES, MARK = lifecycle.DUTIES, lifecycle.MARK
NOT_HELD = {"no_mark": "under_assessment", "mark_expired": "under_assessment"}
SPEC = {
    "sign": (
        {MEMBER},
        DUTIES,
        {"registered": "signatory", "lapsed": "signatory", "withdrawn": "signatory"},
    ),
    "submit_plan": ({MEMBER}, DUTIES, {"signatory": "plan_submitted"}),
    "return_plan": ({ASSESSOR}, DUTIES, {"plan_submitted": "signatory"}),
    "approve_plan": ({ASSESSOR}, DUTIES, {"plan_submitted": "monitoring"}),
    # A holder or an applicant does not lapse (the guard); the sources are the duties'.
    "lapse": (
        {SYSTEM},
        DUTIES,
        {"signatory": "lapsed", "plan_submitted": "lapsed", "monitoring": "lapsed"},
    ),
    "suspend": (
        {ADMIN},
        DUTIES,
        {"signatory": "suspended", "plan_submitted": "suspended", "monitoring": "suspended"},
    ),
    "lift_suspension": ({ADMIN}, DUTIES, {"suspended": None}),
    "withdraw": (
        {MEMBER},
        DUTIES,
        {
            state: "withdrawn"
            for state in ("registered", "signatory", "plan_submitted", "monitoring", "lapsed")
        },
    ),
    "erase_records": ({SYSTEM}, DUTIES, {"lapsed": "withdrawn", "withdrawn": "withdrawn"}),
    "apply_for_mark": ({MEMBER}, MARK, {**NOT_HELD, "mark_revoked": "under_assessment"}),
    "apply_for_renewal": ({MEMBER}, MARK, {"renewal_due": "renewal_under_assessment"}),
    "request_information": (
        {ASSESSOR},
        MARK,
        {
            "under_assessment": "information_requested",
            "renewal_under_assessment": "renewal_information_requested",
        },
    ),
    "provide_information": (
        {MEMBER},
        MARK,
        {
            "information_requested": "under_assessment",
            "renewal_information_requested": "renewal_under_assessment",
        },
    ),
    "award_mark": (
        {ASSESSOR},
        MARK,
        {"under_assessment": "accredited", "renewal_under_assessment": "accredited"},
    ),
    # A refused renewal leaves the Mark held until it expires.
    "refuse_mark": (
        {ASSESSOR},
        MARK,
        {"under_assessment": "no_mark", "renewal_under_assessment": "renewal_due"},
    ),
    "open_renewal": ({SYSTEM}, MARK, {"accredited": "renewal_due"}),
    # An expired Mark leaves a charter signatory, monitoring (issue 8: not lapsed); a renewal
    # still under assessment goes on as an application.
    "expire_mark": (
        {SYSTEM},
        MARK,
        {
            "accredited": "mark_expired",
            "renewal_due": "mark_expired",
            "mark_suspended": "mark_expired",
            "renewal_under_assessment": "under_assessment",
            "renewal_information_requested": "information_requested",
        },
    ),
    "suspend_mark": (
        {SYSTEM},
        MARK,
        {"accredited": "mark_suspended", "renewal_due": "mark_suspended"},
    ),
    "reinstate_mark": ({SYSTEM}, MARK, {"mark_suspended": None}),
    "reopen_assessment": (
        {ADMIN},
        MARK,
        {**NOT_HELD, "renewal_due": "renewal_under_assessment"},
    ),
    "revoke_mark": (
        {ADMIN},
        MARK,
        {
            "accredited": "mark_revoked",
            "renewal_due": "mark_revoked",
            "mark_suspended": "mark_revoked",
        },
    ),
}
# trigger -> (who, from which states, the one state it leads to: None where that depends on
# where it starts or is decided when it fires)
EXPECTED = {
    name: (kinds, set(moves), dests.pop() if len(dests := set(moves.values())) == 1 else None)
    for name, (kinds, _machine, moves) in SPEC.items()
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
    mark_status: str = "no_mark"
    status_before_suspension: str | None = None


def holding(mark_status: str) -> FakeOrganisation:
    """A monitored signatory whose Mark is in ``mark_status``."""
    return FakeOrganisation(status="monitoring", mark_status=mark_status)


def state(org: FakeOrganisation, trigger: str) -> str:
    """The state of the lifecycle ``trigger`` moves."""
    return lifecycle.state_of(org, SPEC[trigger][1])


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
    if SPEC[trigger][1] == MARK:
        return holding(source)
    org = FakeOrganisation(status=source)
    if source == "suspended":
        org.status_before_suspension = "monitoring"
    return org
