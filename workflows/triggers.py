"""The lifecycle's triggers, as a table: for each, who may fire it, from which states, to which
state, and the guards that must pass. This is the specification the machine in
``workflows.lifecycle`` is built from, and the one tests and the diagram read."""

from __future__ import annotations

from workflows.guards import (
    _award_rule_holds,
    _eligible,
    _plan_complete,
    _reason_given,
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
    REGISTERED,
    RENEWAL_DUE,
    SIGNATORY,
    STATES,
    SUSPENDABLE,
    SUSPENDED,
    SYSTEM,
    UNDER_ASSESSMENT,
    WITHDRAWN,
    Trigger,
)

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
