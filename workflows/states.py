"""The two lifecycles' vocabulary: states, actors, refusals. Plain Python.

A signing has two lifecycles (issue 20), each a machine of its own in ``workflows.lifecycle``:
the signatory's duties (registered, signatory, plan submitted, monitoring; lapsed, suspended,
withdrawn) and its Charter Mark (none, under assessment, held, renewal due, renewing,
suspended, expired, revoked). The state of one is never a state of the other, so an
organisation's standing reads both, and a holder whose renewal is being assessed is a holder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from transitions import EventData

# --- the signatory's duties (Signing.status) ---------------------------------------------------
REGISTERED = "registered"
SIGNATORY = "signatory"
PLAN_SUBMITTED = "plan_submitted"
# The plan approved: the organisation records its contracts and sends its returns, whatever the
# state of its Mark.
MONITORING = "monitoring"
LAPSED = "lapsed"
SUSPENDED = "suspended"
WITHDRAWN = "withdrawn"

DUTY_LABELS = {
    REGISTERED: "Registered",
    SIGNATORY: "Charter signatory",
    PLAN_SUBMITTED: "Action plan submitted",
    MONITORING: "Monitoring",
    LAPSED: "Lapsed",
    SUSPENDED: "Suspended",
    WITHDRAWN: "Withdrawn",
}
DUTY_STATES = list(DUTY_LABELS)

# --- the Mark (Signing.mark_status) -----------------------------------------------------------
NO_MARK = "no_mark"
UNDER_ASSESSMENT = "under_assessment"
INFORMATION_REQUESTED = "information_requested"
ACCREDITED = "accredited"
RENEWAL_DUE = "renewal_due"
# A holder's renewal under assessment: it holds its Mark until the Mark expires (issue 20: the
# Mark's own lifecycle makes a holder under renewal a holder everywhere).
RENEWAL_UNDER_ASSESSMENT = "renewal_under_assessment"
RENEWAL_INFORMATION_REQUESTED = "renewal_information_requested"
# The Charter Mark suspended by the scheduled reviews because a duty was missed (a return
# overdue past the grace period, the annual confirmation not given). The organisation is still
# a charter signatory; the suspension lifts itself when the duty is met.
MARK_SUSPENDED = "mark_suspended"
MARK_EXPIRED = "mark_expired"
MARK_REVOKED = "mark_revoked"

MARK_LABELS = {
    NO_MARK: "No Charter Mark",
    UNDER_ASSESSMENT: "Under assessment",
    INFORMATION_REQUESTED: "Information requested",
    ACCREDITED: "Charter Mark holder",
    RENEWAL_DUE: "Charter Mark renewal due",
    RENEWAL_UNDER_ASSESSMENT: "Charter Mark holder, renewal under assessment",
    RENEWAL_INFORMATION_REQUESTED: "Charter Mark holder, information requested for renewal",
    MARK_SUSPENDED: "Charter Mark suspended",
    MARK_EXPIRED: "Charter Mark expired",
    MARK_REVOKED: "Charter Mark revoked",
}
MARK_STATES = list(MARK_LABELS)

# Each machine's states are its own words: an audit row's states are read with one table.
STATE_LABELS = {**DUTY_LABELS, **MARK_LABELS}
STATES = list(STATE_LABELS)

# Duties an administrator may suspend from, and so may return to when lifting a suspension.
SUSPENDABLE = [SIGNATORY, PLAN_SUBMITTED, MONITORING]
# A renewal under assessment, and any application under assessment.
RENEWING = (RENEWAL_UNDER_ASSESSMENT, RENEWAL_INFORMATION_REQUESTED)
ASSESSING = (UNDER_ASSESSMENT, INFORMATION_REQUESTED, *RENEWING)
# Holding a Charter Mark in force (a system-suspended mark is held but not in force).
HOLDING = (ACCREDITED, RENEWAL_DUE, *RENEWING)
# Holding a Mark, in force or suspended for a missed duty.
HELD = (*HOLDING, MARK_SUSPENDED)
# No Mark held and none applied for: an organisation here may apply.
NOT_HELD = (NO_MARK, MARK_EXPIRED, MARK_REVOKED)
# A Mark a missed duty suspends (a renewal under assessment waits for its outcome).
MARK_AT_RISK = (ACCREDITED, RENEWAL_DUE)
# Duties a signatory can lapse from, when no Mark is in play.
LAPSABLE = (SIGNATORY, PLAN_SUBMITTED, MONITORING)

LAPSE = "lapse"
SUSPEND_MARK = "suspend_mark"


# Every stage a signing can be shown at (``stage``): a Mark not held shows as its duties.
STAGE_LABELS = {s: label for s, label in STATE_LABELS.items() if s not in NOT_HELD}


def split_stage(state: str) -> tuple[str, str]:
    """(duties, Mark) for a stage as ``stage`` reads it: a Mark's state is a monitored
    signatory's. For data written by hand (the demo's, the benches', the tests')."""
    if state in MARK_LABELS:
        return MONITORING, state
    return state, NO_MARK


def stage(duties: str, mark: str) -> str:
    """The state that says, for people, where a signing is now: its Mark's while the signatory
    is monitored and a Mark is in play (applied for, held, renewing, suspended), else its
    duties'. A reading for pages and lists, never stored."""
    if duties == MONITORING and mark not in NOT_HELD:
        return mark
    return duties


def missed_duty_sanction(duties: str, mark: str) -> str | None:
    """What a missed duty (a return never sent past its grace period, the annual confirmation
    not given) costs a signing in these states: its Mark suspended (``SUSPEND_MARK``), its
    commitment lapsed (``LAPSE``), or nothing yet (an application under assessment waits for
    its outcome; a Mark already suspended, or a signatory suspended, lapsed or withdrawn, has
    nothing more to lose)."""
    if duties == MONITORING and mark in MARK_AT_RISK:
        return SUSPEND_MARK
    if duties in LAPSABLE and mark in NOT_HELD:
        return LAPSE
    return None


# Shown on the public register (by the signatory's duties).
PUBLIC_STATES = [s for s in DUTY_STATES if s not in (REGISTERED, WITHDRAWN)]

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


DUTIES = "duties"
MARK = "mark"


@dataclass(frozen=True)
class Trigger:
    name: str
    label: str  # "sign the charter": used in "You cannot sign the charter while ..."
    past: str  # "Signed the charter": used in the audit history
    actor_kinds: tuple[str, ...]
    sources: tuple[str, ...]
    dest: str | None
    guards: tuple[Callable[[EventData], bool], ...] = field(default=())
    # Which lifecycle it moves: the signatory's duties or the Mark.
    machine: str = DUTIES
    # For a trigger whose destination depends on where it starts (a renewal's assessment goes
    # back to a renewal's states): each (source, destination); ``sources`` and ``dest`` are
    # then the sources and None.
    pairs: tuple[tuple[str, str], ...] = ()
