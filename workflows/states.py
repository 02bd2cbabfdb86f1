"""The organisation lifecycle's vocabulary: states, actors, refusals. Plain Python."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from transitions import EventData

REGISTERED = "registered"
SIGNATORY = "signatory"
PLAN_SUBMITTED = "plan_submitted"
MONITORING = "monitoring"
UNDER_ASSESSMENT = "under_assessment"
INFORMATION_REQUESTED = "information_requested"
ACCREDITED = "accredited"
RENEWAL_DUE = "renewal_due"
# The Charter Mark suspended by the scheduled reviews because a duty was missed (a return
# overdue past the grace period, the annual confirmation not given). The organisation is still
# a charter signatory; the suspension lifts itself when the duty is met.
MARK_SUSPENDED = "mark_suspended"
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
    MARK_SUSPENDED: "Charter Mark suspended",
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
    MARK_SUSPENDED,
]
# Holding a Charter Mark in force (a system-suspended mark is held but not in force).
HOLDING = (ACCREDITED, RENEWAL_DUE)
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
