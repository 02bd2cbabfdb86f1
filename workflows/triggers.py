"""The lifecycles' triggers, as a table: for each, which lifecycle it moves (the signatory's
duties or the Mark), who may fire it, from which states, to which state, and the guards that
must pass. This is the specification the machines in ``workflows.lifecycle`` are built from,
and the one tests and the diagrams read."""

from __future__ import annotations

from workflows.guards import (
    _award_rule_holds,
    _duties_are_monitoring,
    _eligible,
    _no_mark_in_play,
    _plan_complete,
    _reason_given,
    _signature_complete,
)
from workflows.states import (
    ACCREDITED,
    ADMIN,
    ASSESSOR,
    INFORMATION_REQUESTED,
    LAPSED,
    MARK,
    MARK_AT_RISK,
    MARK_EXPIRED,
    MARK_REVOKED,
    MARK_SUSPENDED,
    MEMBER,
    MONITORING,
    NO_MARK,
    NOT_HELD,
    PLAN_SUBMITTED,
    REGISTERED,
    RENEWAL_DUE,
    RENEWAL_INFORMATION_REQUESTED,
    RENEWAL_UNDER_ASSESSMENT,
    SIGNATORY,
    SUSPENDABLE,
    SUSPENDED,
    SYSTEM,
    UNDER_ASSESSMENT,
    WITHDRAWN,
    Trigger,
)

# A suspended organisation cannot withdraw: withdrawing and signing again would escape the
# suspension.
_WITHDRAWABLE = (REGISTERED, SIGNATORY, PLAN_SUBMITTED, MONITORING, LAPSED)
# The Mark's triggers that people fire happen only while the signatory meets its duties: an
# organisation suspended, lapsed or withdrawn cannot apply, be assessed or be awarded.
_MONITORED = (_duties_are_monitoring,)


def _pairs(*pairs: tuple[str, str]) -> dict:
    return {"sources": tuple(source for source, _ in pairs), "dest": None, "pairs": pairs}


_DUTY_TRIGGERS = [
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
    # A holder, or an organisation whose application is being assessed, does not lapse: a
    # holder's missed duty suspends its Mark instead.
    Trigger(
        "lapse",
        "lapse the organisation",
        "Lapsed after a missed review or return",
        (SYSTEM,),
        (SIGNATORY, PLAN_SUBMITTED, MONITORING),
        LAPSED,
        (_no_mark_in_play,),
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

_MARK_TRIGGERS = [
    Trigger(
        "apply_for_mark",
        "apply for the Charter Mark",
        "Applied for the Charter Mark",
        (MEMBER,),
        NOT_HELD,
        UNDER_ASSESSMENT,
        (*_MONITORED, _eligible),
        MARK,
    ),
    Trigger(
        "apply_for_renewal",
        "apply to renew the Charter Mark",
        "Applied to renew the Charter Mark",
        (MEMBER,),
        (RENEWAL_DUE,),
        RENEWAL_UNDER_ASSESSMENT,
        (*_MONITORED, _eligible),
        MARK,
    ),
    Trigger(
        "request_information",
        "ask for more information",
        "Asked for more information",
        (ASSESSOR,),
        guards=(*_MONITORED, _reason_given),
        machine=MARK,
        **_pairs(
            (UNDER_ASSESSMENT, INFORMATION_REQUESTED),
            (RENEWAL_UNDER_ASSESSMENT, RENEWAL_INFORMATION_REQUESTED),
        ),
    ),
    Trigger(
        "provide_information",
        "send the information asked for",
        "Sent the information asked for",
        (MEMBER,),
        guards=_MONITORED,
        machine=MARK,
        **_pairs(
            (INFORMATION_REQUESTED, UNDER_ASSESSMENT),
            (RENEWAL_INFORMATION_REQUESTED, RENEWAL_UNDER_ASSESSMENT),
        ),
    ),
    Trigger(
        "award_mark",
        "award the Charter Mark",
        "Awarded the Charter Mark",
        (ASSESSOR,),
        (UNDER_ASSESSMENT, RENEWAL_UNDER_ASSESSMENT),
        ACCREDITED,
        (*_MONITORED, _reason_given, _award_rule_holds),
        MARK,
    ),
    # A refused renewal leaves the Mark in force until it expires.
    Trigger(
        "refuse_mark",
        "refuse the Charter Mark",
        "Refused the Charter Mark",
        (ASSESSOR,),
        guards=(*_MONITORED, _reason_given),
        machine=MARK,
        **_pairs((UNDER_ASSESSMENT, NO_MARK), (RENEWAL_UNDER_ASSESSMENT, RENEWAL_DUE)),
    ),
    Trigger(
        "open_renewal",
        "open the renewal window",
        "Opened the renewal window",
        (SYSTEM,),
        (ACCREDITED,),
        RENEWAL_DUE,
        machine=MARK,
    ),
    # The Mark ends on its expiry date whatever else is happening; a renewal still under
    # assessment goes on as an application for a new Mark.
    Trigger(
        "expire_mark",
        "let the Charter Mark expire",
        "The Charter Mark expired",
        (SYSTEM,),
        machine=MARK,
        **_pairs(
            (ACCREDITED, MARK_EXPIRED),
            (RENEWAL_DUE, MARK_EXPIRED),
            (MARK_SUSPENDED, MARK_EXPIRED),
            (RENEWAL_UNDER_ASSESSMENT, UNDER_ASSESSMENT),
            (RENEWAL_INFORMATION_REQUESTED, INFORMATION_REQUESTED),
        ),
    ),
    Trigger(
        "suspend_mark",
        "suspend the Charter Mark",
        "The Charter Mark was suspended for a missed duty",
        (SYSTEM,),
        MARK_AT_RISK,
        MARK_SUSPENDED,
        (*_MONITORED, _reason_given),
        MARK,
    ),
    Trigger(
        "reinstate_mark",
        "reinstate the Charter Mark",
        "The Charter Mark was reinstated once the missed duty was met",
        (SYSTEM,),
        (MARK_SUSPENDED,),
        None,  # accredited, or renewal_due inside the renewal window
        _MONITORED,
        MARK,
    ),
    Trigger(
        "reopen_assessment",
        "re-open the assessment",
        "Re-opened the assessment after an appeal was upheld",
        (ADMIN,),
        guards=(*_MONITORED, _reason_given),
        machine=MARK,
        **_pairs(
            (NO_MARK, UNDER_ASSESSMENT),
            (MARK_EXPIRED, UNDER_ASSESSMENT),
            (RENEWAL_DUE, RENEWAL_UNDER_ASSESSMENT),
        ),
    ),
    Trigger(
        "revoke_mark",
        "revoke the Charter Mark",
        "Revoked the Charter Mark",
        (ADMIN,),
        (ACCREDITED, RENEWAL_DUE, MARK_SUSPENDED),
        MARK_REVOKED,
        (*_MONITORED, _reason_given),
        MARK,
    ),
]

TRIGGERS: dict[str, Trigger] = {t.name: t for t in [*_DUTY_TRIGGERS, *_MARK_TRIGGERS]}
