"""A signing's two lifecycles: the signatory's duties and its Charter Mark, each a shared
``transitions.Machine`` fired per signing (through the organisation, whose ``status`` and
``mark_status`` are its acting signing's).

States are plain strings stored in ``Signing.status`` and ``Signing.mark_status``. Each trigger
has guards (as ``conditions``) that either pass or raise :class:`TransitionRefused` with a
reason a person can act on. Every successful transition calls the ``record`` callable passed
by the caller. The machines are built from the table of triggers in ``workflows.triggers``.
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
    ASSESSING,
    ASSESSOR,
    DUTIES,
    DUTY_LABELS,
    DUTY_STATES,
    HELD,
    HOLDING,
    INFORMATION_REQUESTED,
    LAPSABLE,
    LAPSE,
    LAPSED,
    MARK,
    MARK_AT_RISK,
    MARK_EXPIRED,
    MARK_LABELS,
    MARK_REVOKED,
    MARK_STATES,
    MARK_SUSPENDED,
    MEMBER,
    MONITORING,
    NO_MARK,
    NOT_HELD,
    PLAN_SUBMITTED,
    PUBLIC_STATES,
    REGISTERED,
    RENEWAL_DUE,
    RENEWAL_INFORMATION_REQUESTED,
    RENEWAL_UNDER_ASSESSMENT,
    RENEWING,
    SIGNATORY,
    STAGE_LABELS,
    STATE_LABELS,
    STATES,
    SUSPEND_MARK,
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
    missed_duty_sanction,
    split_stage,
    stage,
)
from workflows.triggers import TRIGGERS

# The lifecycle's vocabulary is used through this module: ``from workflows.lifecycle import ...``.
__all__ = [
    "ACCREDITED",
    "ADMIN",
    "ASSESSING",
    "ASSESSOR",
    "DUTIES",
    "DUTY_LABELS",
    "DUTY_STATES",
    "HELD",
    "HOLDING",
    "INFORMATION_REQUESTED",
    "LAPSABLE",
    "LAPSE",
    "LAPSED",
    "MACHINE",
    "MACHINES",
    "MARK",
    "MARK_AT_RISK",
    "MARK_EXPIRED",
    "MARK_LABELS",
    "MARK_REVOKED",
    "MARK_STATES",
    "MARK_SUSPENDED",
    "MEMBER",
    "MONITORING",
    "NOT_HELD",
    "NO_MARK",
    "PLAN_SUBMITTED",
    "PUBLIC_STATES",
    "REGISTERED",
    "RENEWAL_DUE",
    "RENEWAL_INFORMATION_REQUESTED",
    "RENEWAL_UNDER_ASSESSMENT",
    "RENEWING",
    "SIGNATORY",
    "STAGE_LABELS",
    "STATES",
    "STATE_LABELS",
    "SUSPENDABLE",
    "SUSPENDED",
    "SUSPEND_MARK",
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
    "missed_duty_sanction",
    "split_stage",
    "stage",
    "state_of",
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


def _build_machine(name: str) -> Machine:
    duties = name == DUTIES
    machine = Machine(
        model=None,
        states=DUTY_STATES if duties else MARK_STATES,
        initial=REGISTERED if duties else NO_MARK,
        model_attribute="status" if duties else "mark_status",
        auto_transitions=False,
        send_event=True,
        after_state_change=_after_state_change,
    )
    for trig in TRIGGERS.values():
        if trig.machine != name:
            continue
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
        if trig.pairs:
            for source, dest in trig.pairs:
                machine.add_transition(trig.name, source, dest, conditions=conditions)
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


# One machine per lifecycle, shared by every signing: the signatory's duties move
# ``status``, the Mark moves ``mark_status``. Two machines rather than one with parallel
# states: each trigger moves exactly one of them, their guards read the other where a rule
# joins them (the Mark moves only while the signatory is monitored; a signatory with a Mark
# in play does not lapse), and each keeps the plain string column the register's SQL filters.
MACHINES = {DUTIES: _build_machine(DUTIES), MARK: _build_machine(MARK)}
MACHINE = MACHINES[DUTIES]
# Where a trigger with no fixed destination may lead.
_DESTINATIONS = {"lift_suspension": SUSPENDABLE, "reinstate_mark": [ACCREDITED, RENEWAL_DUE]}


def state_of(organisation: Any, machine: str) -> str:
    return organisation.status if machine == DUTIES else organisation.mark_status


def fire(
    organisation: Any,
    trigger: str,
    actor: Actor,
    *,
    record: Callable[[TransitionRecord], None],
    reason: str | None = None,
    **data: Any,
) -> str:
    """Fire ``trigger`` on ``organisation`` (its acting signing); return the new state of the
    lifecycle it moves, or raise TransitionRefused. On refusal nothing has changed."""
    trig = TRIGGERS.get(trigger)
    if trig is None:
        raise ValueError(f"Unknown trigger {trigger!r}")
    machine = MACHINES[trig.machine]
    state = state_of(organisation, trig.machine)
    if trigger not in machine.get_triggers(state):
        raise InvalidTransition(
            f"You cannot {trig.label} while the organisation is ‘{STATE_LABELS.get(state, state)}’."
        )
    done = machine.events[trigger].trigger(
        organisation, actor=actor, record=record, reason=reason, **data
    )
    if not done:
        raise TransitionRefused(f"You cannot {trig.label} now.")
    return state_of(organisation, trig.machine)


def triggers_from(state: str, actor_kind: str | None = None) -> list[Trigger]:
    """The triggers from ``state``, a state of either lifecycle."""
    machine = MACHINES[MARK if state in MARK_STATES else DUTIES]
    names = machine.get_triggers(state)
    return [
        TRIGGERS[n] for n in names if actor_kind is None or actor_kind in TRIGGERS[n].actor_kinds
    ]


def mermaid(machine: str = DUTIES) -> str:
    """A lifecycle as a Mermaid state diagram, generated from the declared transitions."""
    initial = REGISTERED if machine == DUTIES else NO_MARK
    lines = ["stateDiagram-v2", f"    [*] --> {initial}"]
    for trig in TRIGGERS.values():
        if trig.machine != machine:
            continue
        moves = trig.pairs or [
            (source, dest)
            for source in trig.sources
            for dest in ([trig.dest] if trig.dest else _DESTINATIONS[trig.name])
        ]
        for source, dest in moves:
            lines.append(f"    {source} --> {dest}: {trig.name} ({'/'.join(trig.actor_kinds)})")
    return "\n".join(lines) + "\n"
