"""Terminations published for accepted contracts (issue 22): a later notice saying an award's
contract was terminated (Find a Tender's contract termination notice, UK11) is proposed to the
organisation, as a published change is (contract_proposals.py). Nothing changes until a member
accepts it: the contract then ends on the record on the date the notice gives, as by the
member's own edit of its end date (so a confirmed contract goes back to its commissioner's
contract manager, and a stale page is the 409 page). A declined termination is not proposed
again. Both answers are audited (NoticeEvent).

Functions add to the session and never commit.
"""

from __future__ import annotations

from charter.extensions import db
from charter.models import Organisation, User
from charter.models.base import utcnow
from charter.models.published_notice import (
    TERMINATION_ACCEPTED,
    TERMINATION_DECLINED,
    TERMINATION_PROPOSED,
    AwardedSupplier,
    NoticeEvent,
)
from charter.services.domain import contracts
from charter.services.domain.contract_proposals import ProposalRefused, accepted_awards_with


def terminations_for(organisation: Organisation) -> list[AwardedSupplier]:
    """Accepted awards whose later notices say the contract was terminated, not yet answered."""
    return accepted_awards_with(
        organisation, AwardedSupplier.termination_status == TERMINATION_PROPOSED
    )


def termination_of(organisation: Organisation, row_id: int) -> AwardedSupplier | None:
    """The proposed termination only if it is the organisation's and still open."""
    return next((row for row in terminations_for(organisation) if row.id == row_id), None)


def _audit(action: str, row: AwardedSupplier, user: User, detail: str) -> None:
    db.session.add(
        NoticeEvent(
            action=action,
            awarded_supplier_id=row.id,
            organisation_id=row.organisation_id,
            actor_id=user.id,
            actor_label=user.full_name,
            detail=detail,
        )
    )


def accept_termination(
    organisation: Organisation, row: AwardedSupplier, user: User, version: int | None
) -> str | None:
    """End the contract on the date the notice gives. Refused when it gives none, or a date
    the contract rules refuse (before its start, say): the member then edits the contract.
    Returns the monitoring action recorded, as contracts.update_contract does."""
    contract = contracts.contract_of(organisation, row.contract_id)
    if contract is None:
        raise ProposalRefused("The contract has been removed, so the termination cannot be made")
    if row.termination_date is None:
        raise ProposalRefused(
            "The notice gives no date the contract ended, so it cannot be accepted as it is: "
            "edit the contract’s end date"
        )
    before = contract.end_date
    action = contracts.update_contract(
        organisation,
        contract,
        commissioner=contract.commissioner,
        title=contract.title,
        reference=contract.reference,
        value=contract.value,
        start_date=contract.start_date,
        end_date=row.termination_date,
        user=user,
        version=version,
    )
    row.termination_status = TERMINATION_ACCEPTED
    row.end_date = row.termination_date
    row.updated_at = utcnow()
    _audit(
        "terminated",
        row,
        user,
        f"{row.ocid} award {row.award_id}: contract ended on {row.termination_date} "
        f"(was to end {before})",
    )
    return action


def decline_termination(organisation: Organisation, row: AwardedSupplier, user: User) -> None:
    """The contract stays as it is; the same termination is not proposed again."""
    contracts.require_recording(organisation)
    row.termination_status = TERMINATION_DECLINED
    row.updated_at = utcnow()
    _audit(
        "not_terminated",
        row,
        user,
        f"{row.ocid} award {row.award_id}: termination "
        f"({row.termination_date or 'no date given'}) declined",
    )
