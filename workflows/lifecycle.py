"""The organisation lifecycle: one shared ``transitions.Machine`` fired per organisation.

States are plain strings stored in ``Organisation.status``. Each trigger has guards (as
``conditions``) that either pass or raise :class:`TransitionRefused` with a reason a person can
act on. Every successful transition calls the ``record`` callable passed by the caller. The
machine is built from the table of triggers in ``workflows.triggers``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import EventData, Machine

from workflows.guards import (
    _forget_state,
    _remember_state,
    _renewal_window_is,
    _returns_to,
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
from workflows.triggers import TRIGGERS

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
