"""The organisation lifecycle: one shared ``transitions.Machine`` fired per organisation.

States are plain strings stored in ``Organisation.status``. Each trigger has guards (as
``conditions``) that either pass or raise :class:`TransitionRefused` with a reason a person can
act on. Every successful transition calls the ``record`` callable passed by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from transitions import EventData, Machine

REGISTERED = "registered"
SIGNATORY = "signatory"
PLAN_SUBMITTED = "plan_submitted"
MONITORING = "monitoring"
UNDER_ASSESSMENT = "under_assessment"
INFORMATION_REQUESTED = "information_requested"
ACCREDITED = "accredited"
RENEWAL_DUE = "renewal_due"
LAPSED = "lapsed"
SUSPENDED = "suspended"
WITHDRAWN = "withdrawn"

STATE_LABELS = {
    REGISTERED: "Registered",
    SIGNATORY: "Charter signatory",
    PLAN_SUBMITTED: "Action plan submitted",
    MONITORING: "Monitoring",
    UNDER_ASSESSMENT: "Under assessment",
    INFORMATION_REQUESTED: "Information requested",
    ACCREDITED: "Charter Mark holder",
    RENEWAL_DUE: "Charter Mark renewal due",
    LAPSED: "Lapsed",
    SUSPENDED: "Suspended",
    WITHDRAWN: "Withdrawn",
}
STATES = list(STATE_LABELS)

# States an administrator may suspend from, and so may return to when lifting a suspension.
SUSPENDABLE = [
    SIGNATORY,
    PLAN_SUBMITTED,
    MONITORING,
    UNDER_ASSESSMENT,
    INFORMATION_REQUESTED,
    ACCREDITED,
    RENEWAL_DUE,
]
# Shown on the public register.
PUBLIC_STATES = [s for s in STATES if s not in (REGISTERED, WITHDRAWN)]

MEMBER = "member"
ASSESSOR = "assessor"
ADMIN = "admin"
SYSTEM = "system"


class TransitionRefused(Exception):
    """A trigger that may not happen now; ``reason`` says why in plain words."""

    def __init__(self, reason: str, missing: Iterable[str] = ()):
        super().__init__(reason)
        self.reason = reason
        self.missing = list(missing)


class InvalidTransition(TransitionRefused):
    """The trigger does not exist from the organisation's current state."""


class Forbidden(TransitionRefused):
    """The actor may not fire this trigger."""


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the guards need to know it."""

    kind: str  # member | assessor | admin | system
    label: str
    user_id: int | None = None
    is_member: bool = False  # a member of the organisation being acted on


@dataclass(frozen=True)
class TransitionRecord:
    organisation: Any
    actor: Actor
    trigger: str
    from_state: str
    to_state: str
    reason: str | None


@dataclass(frozen=True)
class Trigger:
    name: str
    label: str  # "sign the charter": used in "You cannot sign the charter while ..."
    past: str  # "Signed the charter": used in the audit history
    actor_kinds: tuple[str, ...]
    sources: tuple[str, ...]
    dest: str | None
    guards: tuple[Callable[[EventData], bool], ...] = field(default=())


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


def _signature_complete(event: EventData) -> bool:
    """Every principle accepted, a named person with authority, a declaration, a route."""
    signature = event.kwargs.get("signature")
    required = set(event.kwargs.get("principle_codes") or ())
    missing = []
    if signature is None:
        raise TransitionRefused("The signature is missing.", ["the signature"])
    not_accepted = required - set(signature.accepted_principles or ())
    if not required:
        missing.append("the scheme's principles")
    if not_accepted:
        missing.append(f"acceptance of every principle ({len(not_accepted)} not accepted)")
    if not (signature.signatory_name or "").strip():
        missing.append("the name of the person signing")
    if not (signature.signatory_role or "").strip():
        missing.append("the role of the person signing")
    if not signature.has_authority:
        missing.append("a declaration that the person signing has authority")
    if signature.route not in ("already_delivering", "working_towards"):
        missing.append("the route to the Charter Mark")
    if missing:
        raise TransitionRefused("The charter cannot be signed yet.", missing)
    return True


def _field(target: Any, name: str) -> Any:
    return target.get(name) if isinstance(target, dict) else getattr(target, name, None)


def _plan_complete(event: EventData) -> bool:
    """At least one target per core measure, each with a baseline, a target value and a date."""
    titles = event.kwargs.get("measure_titles") or {}
    complete = {
        _field(t, "measure_id")
        for t in event.kwargs.get("plan_targets") or ()
        if all(_field(t, name) is not None for name in ("baseline", "target_value", "target_date"))
    }
    missing = [
        titles.get(measure_id, f"measure {measure_id}")
        for measure_id in event.kwargs.get("core_measure_ids") or ()
        if measure_id not in complete
    ]
    if missing or not event.kwargs.get("core_measure_ids"):
        raise TransitionRefused(
            "The action plan is not complete yet.", missing or ["the scheme's core measures"]
        )
    return True


def _eligible(event: EventData) -> bool:
    """The service works out what is missing (contracts, verified returns, waits); the machine
    refuses unless it was told, and told nothing is missing."""
    if "missing" not in event.kwargs:
        raise TransitionRefused(
            "You cannot apply for the Charter Mark yet.", ["a check of what the scheme needs"]
        )
    missing = list(event.kwargs["missing"] or ())
    if missing:
        raise TransitionRefused("You cannot apply for the Charter Mark yet.", missing)
    return True


def _award_rule_holds(event: EventData) -> bool:
    """The assessment service evaluates the award rule; the machine refuses unless it was
    told the result and the result has no failures."""
    if "award_failures" not in event.kwargs:
        raise TransitionRefused(
            "The award rule does not hold.", ["a check of the award rule against the judgements"]
        )
    failures = list(event.kwargs["award_failures"] or ())
    if failures:
        raise TransitionRefused("The award rule does not hold.", failures)
    return True


def _reason_given(event: EventData) -> bool:
    if not (event.kwargs.get("reason") or "").strip():
        raise TransitionRefused("Give a reason: it is recorded and shown to the organisation.")
    return True


def _remember_state(event: EventData) -> None:
    event.model.status_before_suspension = event.state.name


def _forget_state(event: EventData) -> None:
    event.model.status_before_suspension = None


def _returns_to(state: str) -> Callable[[EventData], bool]:
    def check(event: EventData) -> bool:
        return event.model.status_before_suspension == state

    check.__name__ = f"was_{state}"
    return check


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
            (RENEWAL_DUE,),
            LAPSED,
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
            (ACCREDITED, RENEWAL_DUE),
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
            dests = SUSPENDABLE if trig.dest is None else [trig.dest]
            for dest in dests:
                lines.append(f"    {source} --> {dest}: {trig.name} ({'/'.join(trig.actor_kinds)})")
    return "\n".join(lines) + "\n"
