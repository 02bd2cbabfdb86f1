"""What keeps a contract's social value record whole: a contract with alternative commitments
or service credits on its record, and a commitment an alternative was proposed for (or that
replaced one), cannot be removed by the supplier: the policy's "both stay on the record"
(charter.services.domain.commitment_alternatives, service_credits)."""

from __future__ import annotations

from sqlalchemy import exists, or_, select

from charter.extensions import db
from charter.models import CommitmentAlternative, ContractCommitment, ServiceCredit
from workflows.lifecycle import TransitionRefused

CONTRACT_HAS_RECORD = (
    "This contract has alternative commitments or service credits on its record, so it cannot "
    "be removed. Contact the commissioner if it was recorded by mistake."
)
COMMITMENT_HAS_RECORD = (
    "This commitment has an alternative on its record, so it cannot be removed. Propose an "
    "alternative instead if you cannot deliver it."
)


def contract_has_record(contract_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(CommitmentAlternative.contract_id == contract_id)
                | exists().where(ServiceCredit.contract_id == contract_id)
            )
        )
    )


def commitment_has_record(commitment_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(CommitmentAlternative.original_id == commitment_id)
                | exists().where(
                    ContractCommitment.id == commitment_id,
                    or_(
                        ContractCommitment.replaces_id.is_not(None),
                        ContractCommitment.substituted_at.is_not(None),
                    ),
                )
            )
        )
    )


def keep_record(*, contract_id: int | None = None, commitment_id: int | None = None) -> None:
    """Refuse (409) removing a contract or commitment whose social value record must stay."""
    if contract_id is not None and contract_has_record(contract_id):
        raise TransitionRefused(CONTRACT_HAS_RECORD)
    if commitment_id is not None and commitment_has_record(commitment_id):
        raise TransitionRefused(COMMITMENT_HAS_RECORD)
