"""Guards on the lifecycle's triggers: pure functions of the transition's event data.

Each passes or raises TransitionRefused with what is missing, in words a person can act on.
The services work out facts that need the database (what is missing for an application, the
award rule's failures) and pass them in; the guards refuse when they were not told.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import EventData

from workflows.states import TransitionRefused


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
    """At least one target per core measure, each with a baseline, a target value and a date.
    A scheme with no core measure (Worcestershire's toolkit, Cheshire West's policy: the
    organisation chooses what it commits to) needs at least one such target, on any of its
    measures. The caller must say which measures are core: told nothing, the plan is refused."""
    if "core_measure_ids" not in event.kwargs:
        raise TransitionRefused("The action plan is not complete yet.", ["the scheme's measures"])
    titles = event.kwargs.get("measure_titles") or {}
    complete = {
        _field(t, "measure_id")
        for t in event.kwargs.get("plan_targets") or ()
        if all(_field(t, name) is not None for name in ("baseline", "target_value", "target_date"))
    }
    core = event.kwargs["core_measure_ids"] or ()
    missing = [titles.get(m, f"measure {m}") for m in core if m not in complete]
    if not core and not complete:
        missing = ["a target for at least one of the scheme's measures"]
    if missing:
        raise TransitionRefused("The action plan is not complete yet.", missing)
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


def _renewal_window_is(open_: bool) -> Callable[[EventData], bool]:
    """Reinstating a mark returns to renewal_due inside the renewal window, else accredited.
    The service says which (it knows the mark's expiry and the scheme's window)."""

    def check(event: EventData) -> bool:
        if "renewal_window_open" not in event.kwargs:
            raise TransitionRefused("Say whether the renewal window of the Charter Mark is open.")
        return bool(event.kwargs["renewal_window_open"]) is open_

    check.__name__ = "renewal_window_open" if open_ else "renewal_window_closed"
    return check


def _duties_are_monitoring(event: EventData) -> bool:
    """The Mark moves only while the signatory meets its duties (its plan approved, monitored):
    not while it is suspended, lapsed or withdrawn."""
    from workflows.states import DUTY_LABELS, MONITORING, InvalidTransition
    from workflows.triggers import TRIGGERS

    duties = event.model.status
    if duties != MONITORING:
        label = TRIGGERS[event.event.name].label
        raise InvalidTransition(
            f"You cannot {label} while the organisation is ‘{DUTY_LABELS.get(duties, duties)}’."
        )
    return True


def _no_mark_in_play(event: EventData) -> bool:
    """A holder, or an organisation whose application is being assessed, does not lapse."""
    from workflows.states import MARK_LABELS, NOT_HELD, InvalidTransition

    mark = event.model.mark_status
    if mark not in NOT_HELD:
        raise InvalidTransition(
            f"You cannot lapse the organisation while its Charter Mark is "
            f"‘{MARK_LABELS.get(mark, mark)}’."
        )
    return True
