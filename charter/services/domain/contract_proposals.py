"""Proposed contracts: an award in a published notice, matched by identifier to an organisation
and a commissioner (award_matching.py), waits on the organisation's contracts page until a
member accepts it (then it is an ordinary contract, recorded as a member would record it, and
its commissioner's contract manager confirms it as any other) or declines it. Nothing imported
becomes a contract without a person accepting it.

Awards matched to no organisation or no commissioner wait for the charter's administrators, who
can add the buyer identifiers a commissioner publishes under; the awards are then matched again.

Every acceptance, refusal and identifier added is audited (NoticeEvent). Functions add to the
session and never commit.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import Commissioner, Contract, Organisation, User
from charter.models.base import utcnow
from charter.models.published_notice import (
    AMENDMENT_DECLINED,
    AMENDMENT_PROPOSED,
    AWARD_ACCEPTED,
    AWARD_DECLINED,
    AWARD_NAME_MATCH,
    AWARD_PROPOSED,
    AWARD_UNMATCHED,
    AwardedSupplier,
    BuyerIdentifier,
    NoticeEvent,
)
from charter.services.domain import contracts, published_notices
from charter.services.domain.award_facts import identifier_key
from charter.services.domain.refusals import Refused

TITLE_LENGTH = 300  # Contract.title
# Offered to the organisation: matched by identifier, or by name only (to claim, warned).
OPEN = (AWARD_PROPOSED, AWARD_NAME_MATCH)
IDENTIFIER_LENGTH = 200


class ProposalRefused(Refused):
    """A proposed contract that cannot be accepted as it is, or an identifier that cannot be
    added; the message says why and what to do instead."""


# --- the organisation's proposals ---------------------------------------------------------------


def proposals_for(organisation: Organisation) -> list[AwardedSupplier]:
    """Awards proposed (or offered by name) to the organisation and not yet answered, matched by
    identifier first, then newest first."""
    return list(
        db.session.scalars(
            select(AwardedSupplier)
            .options(joinedload(AwardedSupplier.commissioner))
            .where(
                AwardedSupplier.organisation_id == organisation.id,
                AwardedSupplier.status.in_(OPEN),
            )
            .order_by(
                (AwardedSupplier.status == AWARD_NAME_MATCH),
                AwardedSupplier.created_at.desc(),
                AwardedSupplier.id.desc(),
            )
        )
    )


def proposal_of(organisation: Organisation, proposal_id: int) -> AwardedSupplier | None:
    """The proposal only if it is the organisation's and still open: others are not found."""
    return db.session.scalar(
        select(AwardedSupplier)
        .options(joinedload(AwardedSupplier.commissioner))
        .where(
            AwardedSupplier.id == proposal_id,
            AwardedSupplier.organisation_id == organisation.id,
            AwardedSupplier.status.in_(OPEN),
        )
    )


def _audit(action: str, proposal: AwardedSupplier, user: User, detail: str) -> None:
    db.session.add(
        NoticeEvent(
            action=action,
            awarded_supplier_id=proposal.id,
            organisation_id=proposal.organisation_id,
            actor_id=user.id,
            actor_label=user.full_name,
            detail=detail,
        )
    )


def _missing(proposal: AwardedSupplier) -> str | None:
    if proposal.value is None or proposal.currency not in (None, "GBP"):
        return "The notice gives no value in pounds"
    if proposal.start_date is None or proposal.end_date is None:
        return "The notice gives no contract start and end dates"
    if len(proposal.title) > TITLE_LENGTH:
        return f"The notice's title is longer than {TITLE_LENGTH} characters"
    return None


def accept(organisation: Organisation, proposal: AwardedSupplier, user: User) -> Contract:
    """The proposal as an ordinary contract, waiting for its commissioner's contract manager.
    Refused (ProposalRefused, or the contract rules' ContractRefused) when the notice lacks what
    a contract needs: the member then adds the contract by hand."""
    missing = _missing(proposal)
    if missing:
        raise ProposalRefused(f"{missing}, so it cannot be accepted as it is: add the contract")
    commissioner = db.session.get(Commissioner, proposal.commissioner_id)
    contract = contracts.add_contract(
        organisation,
        user,
        commissioner=commissioner,
        title=proposal.title,
        reference=proposal.ocid,
        value=proposal.value,
        start_date=proposal.start_date,
        end_date=proposal.end_date,
    )
    claimed = proposal.status == AWARD_NAME_MATCH
    proposal.status = AWARD_ACCEPTED
    proposal.contract_id = contract.id
    proposal.decided_by_id = user.id
    proposal.decided_at = utcnow()
    detail = f"{proposal.ocid} award {proposal.award_id}: contract added"
    if claimed:
        detail += f" (matched by name only: {proposal.supplier_name})"
    _audit("claimed" if claimed else "accepted", proposal, user, detail)
    return contract


def decline(organisation: Organisation, proposal: AwardedSupplier, user: User) -> None:
    """Not this organisation's contract (or not one to record): it is not proposed again."""
    contracts.require_recording(organisation)
    proposal.status = AWARD_DECLINED
    proposal.decided_by_id = user.id
    proposal.decided_at = utcnow()
    _audit("declined", proposal, user, f"{proposal.ocid} award {proposal.award_id}: declined")


def notice_of(contract: Contract) -> AwardedSupplier | None:
    """The accepted award in a published notice the contract was recorded from, if it was."""
    return db.session.scalar(
        select(AwardedSupplier)
        .where(
            AwardedSupplier.contract_id == contract.id,
            AwardedSupplier.status == AWARD_ACCEPTED,
        )
        .limit(1)
    )


# --- changes published to accepted contracts ---------------------------------------------------


def accepted_awards_with(organisation: Organisation, proposed) -> list[AwardedSupplier]:
    """The organisation's accepted awards, with their contracts, on which a later notice
    proposes something (``proposed``: a condition on the award), newest first."""
    return list(
        db.session.scalars(
            select(AwardedSupplier)
            .options(joinedload(AwardedSupplier.contract))
            .where(
                AwardedSupplier.organisation_id == organisation.id,
                AwardedSupplier.status == AWARD_ACCEPTED,
                proposed,
                AwardedSupplier.contract_id.is_not(None),
            )
            .order_by(AwardedSupplier.updated_at.desc(), AwardedSupplier.id.desc())
        )
    )


def amendments_for(organisation: Organisation) -> list[AwardedSupplier]:
    """Accepted awards whose later notices publish other value or dates, with their contracts."""
    return accepted_awards_with(
        organisation, AwardedSupplier.amendment_status == AMENDMENT_PROPOSED
    )


def amendment_of(organisation: Organisation, proposal_id: int) -> AwardedSupplier | None:
    return next((row for row in amendments_for(organisation) if row.id == proposal_id), None)


def accept_amendment(
    organisation: Organisation, row: AwardedSupplier, user: User, version: int | None
) -> str | None:
    """The contract changed to the published value and dates, as a member's edit is: a
    confirmed contract goes back to its commissioner's contract manager (returns the monitoring
    action recorded, as contracts.update_contract does). ``version`` is the contract's version
    the page showed."""
    contract = contracts.contract_of(organisation, row.contract_id)
    if contract is None:
        raise ProposalRefused("The contract has been removed, so the change cannot be made")
    action = contracts.update_contract(
        organisation,
        contract,
        commissioner=contract.commissioner,
        title=contract.title,
        reference=contract.reference,
        value=row.amendment_value,
        start_date=row.amendment_start_date,
        end_date=row.amendment_end_date,
        user=user,
        version=version,
    )
    before = f"£{row.value:,}, {row.start_date} to {row.end_date}"
    row.value, row.start_date, row.end_date = (
        row.amendment_value,
        row.amendment_start_date,
        row.amendment_end_date,
    )
    row.amendment_status = None
    row.amendment_value = row.amendment_start_date = row.amendment_end_date = None
    row.updated_at = utcnow()
    _audit(
        "amended",
        row,
        user,
        f"{row.ocid} award {row.award_id}: {before} changed to "
        f"£{row.value:,}, {row.start_date} to {row.end_date}",
    )
    return action


def decline_amendment(organisation: Organisation, row: AwardedSupplier, user: User) -> None:
    """The contract stays as it is; the same change is not proposed again."""
    contracts.require_recording(organisation)
    row.amendment_status = AMENDMENT_DECLINED
    row.updated_at = utcnow()
    _audit(
        "not_amended",
        row,
        user,
        f"{row.ocid} award {row.award_id}: change to £{row.amendment_value:,}, "
        f"{row.amendment_start_date} to {row.amendment_end_date} declined",
    )


# --- what waits for administrators --------------------------------------------------------------


def waiting_awards() -> list[AwardedSupplier]:
    return list(
        db.session.scalars(
            select(AwardedSupplier)
            .where(AwardedSupplier.status.in_((AWARD_UNMATCHED, AWARD_NAME_MATCH)))
            .order_by(AwardedSupplier.created_at.desc(), AwardedSupplier.id.desc())
        )
    )


def count_waiting() -> int:
    return db.session.scalar(
        select(func.count(AwardedSupplier.id)).where(
            AwardedSupplier.status.in_((AWARD_UNMATCHED, AWARD_NAME_MATCH))
        )
    )


def buyer_identifiers_of(commissioner: Commissioner) -> list[BuyerIdentifier]:
    return list(
        db.session.scalars(
            select(BuyerIdentifier)
            .where(BuyerIdentifier.commissioner_id == commissioner.id)
            .order_by(BuyerIdentifier.identifier)
        )
    )


def add_buyer_identifier(commissioner: Commissioner, identifier: str, user: User) -> dict:
    """Record that ``commissioner`` publishes notices as ``identifier``, then match again the
    imported awards that mention it; returns what the matching found."""
    key = identifier_key(identifier or "")
    if not key:
        raise ProposalRefused("Enter the buyer identifier", "identifier")
    if len(key) > IDENTIFIER_LENGTH:
        raise ProposalRefused(
            f"Buyer identifier must be {IDENTIFIER_LENGTH} characters or fewer", "identifier"
        )
    holder = db.session.scalar(
        select(Commissioner)
        .join(BuyerIdentifier, BuyerIdentifier.commissioner_id == Commissioner.id)
        .where(BuyerIdentifier.identifier == key)
    )
    if holder is not None:
        raise ProposalRefused(f"{key} is already a buyer identifier of {holder.name}", "identifier")
    db.session.add(BuyerIdentifier(commissioner_id=commissioner.id, identifier=key))
    db.session.flush()
    db.session.add(
        NoticeEvent(
            action="buyer_id_added",
            actor_id=user.id,
            actor_label=user.full_name,
            detail=f"{commissioner.name} publishes as {key}",
        )
    )
    # "GB-LAE-TFW" may be published as scheme "GB-LAE" and id "TFW": look for the id alone.
    parts = key.split("-", 2)
    mentioning = parts[2] if len(parts) == 3 and len(parts[2]) >= 3 else key
    return published_notices.rematch(actor_label=user.full_name, mentioning=mentioning)


def remove_buyer_identifier(commissioner: Commissioner, identifier_id: int, user: User) -> bool:
    """Awards already matched through it keep their match; new notices no longer match."""
    row = db.session.scalar(
        select(BuyerIdentifier).where(
            BuyerIdentifier.id == identifier_id,
            BuyerIdentifier.commissioner_id == commissioner.id,
        )
    )
    if row is None:
        return False
    db.session.add(
        NoticeEvent(
            action="buyer_id_removed",
            actor_id=user.id,
            actor_label=user.full_name,
            detail=f"{commissioner.name} no longer matched as {row.identifier}",
        )
    )
    db.session.delete(row)
    return True
