"""Alternative commitments of equal value (Cheshire West and Chester's Social Value Policy,
issue 21): a supplier that cannot deliver a commitment proposes another measure and target, with
its reason; the commissioner's contract manager accepts it only when it is worth at least as
much as the original by the proxy values in force on the day of the decision (the values
/impact uses, charter.services.domain.proxy_values). A measure with no proxy value in force
cannot be compared, and the service says so rather than guess.

Accepting adds the alternative as a commitment of its own (naming the one it replaces) and marks
the original substituted; both stay on the record, as does every proposal and the two values
its decision was made on. Functions add to the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.formatting import format_date
from charter.formatting import format_exact_money as pounds
from charter.models import (
    CommitmentAlternative,
    Contract,
    ContractCommitment,
    Measure,
    Organisation,
    Scheme,
    User,
)
from charter.models.base import utcnow
from charter.models.contract_social_value import (
    ALTERNATIVE_ACCEPTED,
    ALTERNATIVE_PROPOSED,
    ALTERNATIVE_REFUSED,
)
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain.contracts import commitment_for, require_recording
from charter.services.domain.proxy_values import values_in_force
from charter.services.domain.refusals import Refused


class AlternativeRefused(Refused):
    """A proposal or a decision that cannot be saved; the message says why."""


@dataclass(frozen=True)
class Valuation:
    """The two values a decision is made on, or why they cannot be compared."""

    original: Decimal | None
    alternative: Decimal | None
    missing: tuple[str, ...]  # measure codes with no proxy value in force
    day: date

    @property
    def comparable(self) -> bool:
        return not self.missing


def open_alternative_for(commitment: ContractCommitment) -> CommitmentAlternative | None:
    return db.session.scalar(
        select(CommitmentAlternative).where(
            CommitmentAlternative.original_id == commitment.id,
            CommitmentAlternative.status == ALTERNATIVE_PROPOSED,
        )
    )


def alternatives_of(contract: Contract) -> list[CommitmentAlternative]:
    """Every alternative proposed on the contract, newest first, with both measures. One query."""
    return list(
        db.session.scalars(
            select(CommitmentAlternative)
            .options(
                joinedload(CommitmentAlternative.measure),
                joinedload(CommitmentAlternative.original).joinedload(ContractCommitment.measure),
                joinedload(CommitmentAlternative.decided_by),
            )
            .where(CommitmentAlternative.contract_id == contract.id)
            .order_by(CommitmentAlternative.proposed_at.desc(), CommitmentAlternative.id.desc())
        )
    )


def alternative_of(contract: Contract, alternative_id: int) -> CommitmentAlternative | None:
    """The alternative only if it was proposed on ``contract``."""
    return db.session.scalar(
        select(CommitmentAlternative)
        .options(
            joinedload(CommitmentAlternative.measure),
            joinedload(CommitmentAlternative.original).joinedload(ContractCommitment.measure),
        )
        .where(
            CommitmentAlternative.id == alternative_id,
            CommitmentAlternative.contract_id == contract.id,
        )
    )


def propose(
    organisation: Organisation,
    contract: Contract,
    original: ContractCommitment,
    measure: Measure,
    *,
    target_value: Decimal,
    reason: str,
    user: User,
) -> CommitmentAlternative:
    require_recording(organisation)
    if original.contract_id != contract.id or original.substituted_at is not None:
        raise AlternativeRefused("This commitment has already been replaced by an alternative")
    if open_alternative_for(original) is not None:
        raise AlternativeRefused(
            "An alternative to this commitment is already waiting for the contract manager"
        )
    if measure.scheme_id != signings.scheme_id_of(organisation):
        raise AlternativeRefused("Select a measure from the list", "measure")
    if measure.id == original.measure_id:
        raise AlternativeRefused(
            "Select a different measure from the commitment it replaces", "measure"
        )
    if commitment_for(contract, measure) is not None:
        raise AlternativeRefused(
            f"This contract already has a commitment for {measure.code}: choose another measure",
            "measure",
        )
    if target_value <= 0:
        raise AlternativeRefused("The alternative target must be more than 0", "target_value")
    if measure.unit == "percent" and target_value > 100:
        raise AlternativeRefused("The alternative target must be 100 or less", "target_value")
    alternative = CommitmentAlternative(
        contract_id=contract.id,
        original_id=original.id,
        measure_id=measure.id,
        target_value=target_value,
        reason=reason,
        proposed_by_id=user.id,
        original=original,
        measure=measure,
    )
    db.session.add(alternative)
    db.session.flush()
    notices.contract_social_value.alternative_proposed(contract, organisation, alternative)
    return alternative


def valuation(
    alternative: CommitmentAlternative, day: date, values: dict | None = None
) -> Valuation:
    """Each side's target times its measure's proxy value in force on ``day`` (exact).
    ``values`` keeps each scheme's values across calls (a page with several alternatives)."""
    original = alternative.original
    values = {} if values is None else values
    for scheme_id in {original.measure.scheme_id, alternative.measure.scheme_id} - set(values):
        values[scheme_id] = values_in_force(db.session.get(Scheme, scheme_id), day)
    sides = []
    missing = []
    for measure, target in (
        (original.measure, original.target_value),
        (alternative.measure, alternative.target_value),
    ):
        proxy = values[measure.scheme_id].get(measure.code)
        if proxy is None:
            missing.append(measure.code)
        sides.append(None if proxy is None else target * proxy)
    return Valuation(sides[0], sides[1], tuple(missing), day)


def _decided(alternative: CommitmentAlternative, manager: User, found: Valuation, status: str):
    alternative.status = status
    alternative.decided_by_id = manager.id
    alternative.decided_at = utcnow()
    alternative.original_value = found.original
    alternative.alternative_value = found.alternative


def _require_open(alternative: CommitmentAlternative) -> None:
    if alternative.status != ALTERNATIVE_PROPOSED:
        raise AlternativeRefused(
            f"This alternative was already {alternative.status_label.lower()}: nothing changed"
        )


def accept(
    contract: Contract, organisation: Organisation, alternative: CommitmentAlternative,
    manager: User, today: date,
) -> ContractCommitment:  # fmt: skip
    """Accept an alternative worth at least the original; refused (nothing changed) if it is
    worth less or cannot be compared."""
    _require_open(alternative)
    found = valuation(alternative, today)
    original = alternative.original
    if not found.comparable:
        raise AlternativeRefused(
            "Cannot compare the two commitments: "
            + " and ".join(found.missing)
            + f" {'has' if len(found.missing) == 1 else 'have'} no proxy value in force on "
            f"{format_date(today)}, so {'its' if len(found.missing) == 1 else 'their'} value "
            "cannot be worked out. Ask the charter’s administrators to set one, or refuse "
            "the alternative"
        )
    if found.alternative < found.original:
        raise AlternativeRefused(
            f"The alternative cannot be accepted: {alternative.measure.code} is worth "
            f"{pounds(found.alternative)} by the proxy values in force, less than the "
            f"{pounds(found.original)} of the {original.measure.code} commitment it would "
            "replace. An alternative must be worth at least as much as the original"
        )
    if commitment_for(contract, alternative.measure) is not None:
        raise AlternativeRefused(
            f"The alternative cannot be accepted: the contract now has a commitment for "
            f"{alternative.measure.code} already. Refuse it, and the supplier can propose another"
        )
    substitute = ContractCommitment(
        contract_id=contract.id,
        measure_id=alternative.measure_id,
        target_value=alternative.target_value,
        notes=f"Alternative to {original.measure.code}: {alternative.reason}",
        replaces_id=original.id,
    )
    db.session.add(substitute)
    original.substituted_at = utcnow()
    _decided(alternative, manager, found, ALTERNATIVE_ACCEPTED)
    db.session.flush()
    alternative.substitute_id = substitute.id
    notices.contract_social_value.alternative_decided(contract, organisation, alternative, manager)
    return substitute


def refuse(
    contract: Contract, organisation: Organisation, alternative: CommitmentAlternative,
    manager: User, reason: str, today: date,
) -> None:  # fmt: skip
    """Refuse an alternative, with the contract manager's reason; the original stands."""
    _require_open(alternative)
    _decided(alternative, manager, valuation(alternative, today), ALTERNATIVE_REFUSED)
    alternative.refusal = reason
    notices.contract_social_value.alternative_decided(contract, organisation, alternative, manager)
