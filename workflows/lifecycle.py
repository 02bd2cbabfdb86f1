"""The organisation lifecycle: one shared ``transitions.Machine`` fired per organisation.

States are plain strings stored in ``Organisation.status``. Each trigger has guards (as
``conditions``) that either pass or raise :class:`TransitionRefused` with a reason a person can
act on. Every successful transition calls the ``record`` callable passed by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import EventData, Machine

from workflows.guards import (
    _award_rule_holds,
    _eligible,
    _forget_state,
    _plan_complete,
    _reason_given,
    _remember_state,
    _renewal_window_is,
    _returns_to,
    _signature_complete,
)
from workflows.states import (
    ACCREDITED,
    ADMIN,
    ASSESSOR,
    HOLDING,
    INFORMATION_REQUESTED,
    LAPSED,
    MARK_SUSPENDED,
    MEMBER,
    MONITORING,
    PLAN_SUBMITTED,
    PUBLIC_STATES,
    REGISTERED,
    RENEWAL_DUE,
    SIGNATORY,
    STATE_LABELS,
    STATES,
    SUSPENDABLE,
    SUSPENDED,
    SYSTEM,
    UNDER_ASSESSMENT,
    WITHDRAWN,
    Actor,
    Forbidden,
    InvalidTransition,
    TransitionRecord,
    TransitionRefused,
    Trigger,
)

# The lifecycle's vocabulary is used through this module: ``from workflows.lifecycle import ...``.
__all__ = [
    "ACCREDITED",
    "ADMIN",
    "ASSESSOR",
    "HOLDING",
    "INFORMATION_REQUESTED",
    "LAPSED",
    "MACHINE",
    "MARK_SUSPENDED",
    "MEMBER",
    "MONITORING",
    "PLAN_SUBMITTED",
    "PUBLIC_STATES",
    "REGISTERED",
    "RENEWAL_DUE",
    "SIGNATORY",
    "STATES",
    "STATE_LABELS",
    "SUSPENDABLE",
    "SUSPENDED",
    "SYSTEM",
    "TRIGGERS",
    "UNDER_ASSESSMENT",
    "WITHDRAWN",
    "Actor",
    "Forbidden",
    "InvalidTransition",
    "TransitionRecord",
    "TransitionRefused",
    "Trigger",
    "fire",
    "mermaid",
    "triggers_from",
]

# --- guards -------------------------------------------------------------------------------


def _actor(event: EventData) -> Actor:
    return event.kwargs["actor"]


def _check_actor(event: EventData) -> bool:
    actor = _actor(event)
    trig = TRIGGERS[event.event.name]
    if actor.kind not in trig.actor_kinds:
        raise Forbidden(f"You do not have permission to {trig.label}.")
    if actor.kind == MEMBER and not actor.is_member:
        raise Forbidden(f"Only members of this organisation can {trig.label}.")
    if actor.kind == ASSESSOR and actor.is_member:
        raise Forbidden("You cannot assess an organisation you are a member of.")
    return True


# --- the triggers -------------------------------------------------------------------------

# A suspended organisation cannot withdraw: withdrawing and signing again would escape the
# suspension.
_WITHDRAWABLE = tuple(s for s in STATES if s not in (WITHDRAWN, SUSPENDED))

TRIGGERS: dict[str, Trigger] = {
    t.name: t
    for t in [
        Trigger(
            "sign",
            "sign the charter",
            "Signed the charter",
            (MEMBER,),
            (REGISTERED, LAPSED, WITHDRAWN),
            SIGNATORY,
            (_signature_complete,),
        ),
        Trigger(
            "submit_plan",
            "submit the action plan",
            "Submitted the action plan",
            (MEMBER,),
            (SIGNATORY,),
            PLAN_SUBMITTED,
            (_plan_complete,),
        ),
        Trigger(
            "return_plan",
            "return the action plan",
            "Returned the action plan for changes",
            (ASSESSOR,),
            (PLAN_SUBMITTED,),
            SIGNATORY,
            (_reason_given,),
        ),
        Trigger(
            "approve_plan",
            "approve the action plan",
            "Approved the action plan",
            (ASSESSOR,),
            (PLAN_SUBMITTED,),
            MONITORING,
        ),
        Trigger(
            "apply_for_mark",
            "apply for the Charter Mark",
            "Applied for the Charter Mark",
            (MEMBER,),
            (MONITORING,),
            UNDER_ASSESSMENT,
            (_eligible,),
        ),
        Trigger(
            "request_information",
            "ask for more information",
            "Asked for more information",
            (ASSESSOR,),
            (UNDER_ASSESSMENT,),
            INFORMATION_REQUESTED,
            (_reason_given,),
        ),
        Trigger(
            "provide_information",
            "send the information asked for",
            "Sent the information asked for",
            (MEMBER,),
            (INFORMATION_REQUESTED,),
            UNDER_ASSESSMENT,
        ),
        Trigger(
            "award_mark",
            "award the Charter Mark",
            "Awarded the Charter Mark",
            (ASSESSOR,),
            (UNDER_ASSESSMENT,),
            ACCREDITED,
            (_reason_given, _award_rule_holds),
        ),
        Trigger(
            "refuse_mark",
            "refuse the Charter Mark",
            "Refused the Charter Mark",
            (ASSESSOR,),
            (UNDER_ASSESSMENT,),
            MONITORING,
            (_reason_given,),
        ),
        Trigger(
            "open_renewal",
            "open the renewal window",
            "Opened the renewal window",
            (SYSTEM,),
            (ACCREDITED,),
            RENEWAL_DUE,
        ),
        Trigger(
            "apply_for_renewal",
            "apply to renew the Charter Mark",
            "Applied to renew the Charter Mark",
            (MEMBER,),
            (RENEWAL_DUE,),
            UNDER_ASSESSMENT,
            (_eligible,),
        ),
        Trigger(
            "expire_mark",
            "let the Charter Mark expire",
            "The Charter Mark expired",
            (SYSTEM,),
            (RENEWAL_DUE, MARK_SUSPENDED),
            # Still a signatory, still sending returns: only the Mark has ended.
            MONITORING,
        ),
        Trigger(
            "suspend_mark",
            "suspend the Charter Mark",
            "The Charter Mark was suspended for a missed duty",
            (SYSTEM,),
            HOLDING,
            MARK_SUSPENDED,
            (_reason_given,),
        ),
        Trigger(
            "reinstate_mark",
            "reinstate the Charter Mark",
            "The Charter Mark was reinstated once the missed duty was met",
            (SYSTEM,),
            (MARK_SUSPENDED,),
            None,  # accredited, or renewal_due inside the renewal window
        ),
        Trigger(
            "lapse",
            "lapse the organisation",
            "Lapsed after a missed review or return",
            (SYSTEM,),
            (SIGNATORY, PLAN_SUBMITTED, MONITORING),
            LAPSED,
        ),
        Trigger(
            "reopen_assessment",
            "re-open the assessment",
            "Re-opened the assessment after an appeal was upheld",
            (ADMIN,),
            (MONITORING,),
            UNDER_ASSESSMENT,
            (_reason_given,),
        ),
        Trigger(
            "revoke_mark",
            "revoke the Charter Mark",
            "Revoked the Charter Mark",
            (ADMIN,),
            (ACCREDITED, RENEWAL_DUE, MARK_SUSPENDED),
            MONITORING,
            (_reason_given,),
        ),
        Trigger(
            "suspend",
            "suspend the organisation",
            "Suspended the organisation",
            (ADMIN,),
            tuple(SUSPENDABLE),
            SUSPENDED,
            (_reason_given,),
        ),
        Trigger(
            "lift_suspension",
            "lift the suspension",
            "Lifted the suspension",
            (ADMIN,),
            (SUSPENDED,),
            None,  # back to the state remembered at suspension
        ),
        Trigger(
            "withdraw",
            "withdraw from the charter",
            "Withdrew from the charter",
            (MEMBER,),
            _WITHDRAWABLE,
            WITHDRAWN,
        ),
        # The retention schedule removes the records of an organisation gone for years: a lapsed
        # one leaves the register with them (withdrawn is the state the register leaves out).
        Trigger(
            "erase_records",
            "remove the organisation's records",
            "Records removed under the retention schedule",
            (SYSTEM,),
            (LAPSED, WITHDRAWN),
            WITHDRAWN,
        ),
    ]
}


def _build_machine() -> Machine:
    machine = Machine(
        model=None,
        states=STATES,
        initial=REGISTERED,
        model_attribute="status",
        auto_transitions=False,
        send_event=True,
        after_state_change=_after_state_change,
    )
    for trig in TRIGGERS.values():
        conditions = [_check_actor, *trig.guards]
        if trig.name == "lift_suspension":
            for state in SUSPENDABLE:
                machine.add_transition(
                    trig.name,
                    SUSPENDED,
                    state,
                    conditions=[*conditions, _returns_to(state)],
                    after=_forget_state,
                )
            continue
        if trig.name == "reinstate_mark":
            for state, in_window in ((ACCREDITED, False), (RENEWAL_DUE, True)):
                machine.add_transition(
                    trig.name,
                    MARK_SUSPENDED,
                    state,
                    conditions=[*conditions, _renewal_window_is(in_window)],
                )
            continue
        before = _remember_state if trig.name == "suspend" else None
        machine.add_transition(
            trig.name, list(trig.sources), trig.dest, conditions=conditions, before=before
        )
    return machine


def _after_state_change(event: EventData) -> None:
    record = event.kwargs["record"]
    record(
        TransitionRecord(
            organisation=event.model,
            actor=_actor(event),
            trigger=event.event.name,
            from_state=event.transition.source,
            to_state=event.transition.dest,
            reason=event.kwargs.get("reason"),
        )
    )


MACHINE = _build_machine()
# Where a trigger with no fixed destination may lead.
_DESTINATIONS = {"lift_suspension": SUSPENDABLE, "reinstate_mark": list(HOLDING)}


def fire(
    organisation: Any,
    trigger: str,
    actor: Actor,
    *,
    record: Callable[[TransitionRecord], None],
    reason: str | None = None,
    **data: Any,
) -> str:
    """Fire ``trigger`` on ``organisation``; return the new state or raise TransitionRefused.

    On refusal nothing on the organisation has changed.
    """
    trig = TRIGGERS.get(trigger)
    if trig is None:
        raise ValueError(f"Unknown trigger {trigger!r}")
    if trigger not in MACHINE.get_triggers(organisation.status):
        raise InvalidTransition(
            f"You cannot {trig.label} while the organisation is "
            f"‘{STATE_LABELS.get(organisation.status, organisation.status)}’."
        )
    done = MACHINE.events[trigger].trigger(
        organisation, actor=actor, record=record, reason=reason, **data
    )
    if not done:
        raise TransitionRefused(f"You cannot {trig.label} now.")
    return organisation.status


def triggers_from(state: str, actor_kind: str | None = None) -> list[Trigger]:
    names = MACHINE.get_triggers(state)
    return [
        TRIGGERS[n] for n in names if actor_kind is None or actor_kind in TRIGGERS[n].actor_kinds
    ]


def mermaid() -> str:
    """The machine as a Mermaid state diagram, generated from the declared transitions."""
    lines = ["stateDiagram-v2", f"    [*] --> {REGISTERED}"]
    for trig in TRIGGERS.values():
        for source in trig.sources:
            dests = [trig.dest] if trig.dest else _DESTINATIONS[trig.name]
            for dest in dests:
                lines.append(f"    {source} --> {dest}: {trig.name} ({'/'.join(trig.actor_kinds)})")
    return "\n".join(lines) + "\n"
