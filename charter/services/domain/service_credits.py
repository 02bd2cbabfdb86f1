"""Service credits (Cheshire West and Chester's Social Value Policy, issue 21: "For contracts
over £100,000 total value the Council would reserve the right to reduce contractual payments if
social value commitments were not being delivered"): the commissioner's contract manager records
a credit (amount, reason, period) against a contract.

Whether credits apply to a contract is its charters' say: a charter its commissioner takes part
in whose current scheme has ``[service_credits] applies = true``, and the contract's value above
that scheme's ``contracts_over`` when it gives one. Functions add to the session and never
commit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.formatting import format_date, format_money
from charter.models import CharterCommissioner, Contract, Organisation, Scheme, ServiceCredit, User
from charter.services import notices
from charter.services.domain.refusals import Refused


class CreditRefused(Refused):
    """A service credit that cannot be recorded; ``field`` the answer it is about."""


def scheme_for_credits(contract: Contract) -> Scheme | None:
    """The current scheme, of a charter the contract's commissioner takes part in, whose
    service credits apply to a contract of its value (the first such charter). One query."""
    schemes = db.session.scalars(
        select(Scheme)
        .join(CharterCommissioner, CharterCommissioner.charter_id == Scheme.charter_id)
        .where(
            CharterCommissioner.commissioner_id == contract.commissioner_id,
            Scheme.is_current.is_(True),
            Scheme.service_credits.is_(True),
        )
        .order_by(Scheme.charter_id, Scheme.id)
    )
    for scheme in schemes:
        if scheme.service_credits_over is None or contract.value > scheme.service_credits_over:
            return scheme
    return None


def credits_of(contract: Contract) -> list[ServiceCredit]:
    """The contract's credits, oldest period first, with who recorded each. One query."""
    return list(
        db.session.scalars(
            select(ServiceCredit)
            .options(joinedload(ServiceCredit.recorded_by))
            .where(ServiceCredit.contract_id == contract.id)
            .order_by(ServiceCredit.period_start, ServiceCredit.id)
        )
    )


def credited_total(contract: Contract) -> Decimal:
    total = db.session.scalar(
        select(func.sum(ServiceCredit.amount)).where(ServiceCredit.contract_id == contract.id)
    )
    return Decimal(total or 0)


def record_credit(
    contract: Contract,
    organisation: Organisation,
    manager: User,
    *,
    amount: Decimal,
    reason: str,
    period_start: date,
    period_end: date,
    today: date,
) -> ServiceCredit:
    """Record a service credit, checked against the contract's terms and its other credits."""
    scheme = scheme_for_credits(contract)
    if scheme is None:
        raise CreditRefused(
            "Service credits do not apply to this contract: no charter its commissioner takes "
            "part in applies them to a contract of this value"
        )
    if amount <= 0:
        raise CreditRefused("The amount must be more than £0", "amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise CreditRefused("The amount can only include pounds and pence", "amount")
    left = contract.value - credited_total(contract)
    if amount > left:
        raise CreditRefused(
            f"The amount must be {format_money(left)} or less: the contract is worth "
            f"{format_money(contract.value)}"
            + (
                f" and {format_money(contract.value - left)} has already been credited"
                if left != contract.value
                else ""
            ),
            "amount",
        )
    if period_end < period_start:
        raise CreditRefused("The end of the period must be the same as or after its start",
                            "period_end")  # fmt: skip
    if period_start < contract.start_date or period_end > contract.end_date:
        raise CreditRefused(
            "The period must be within the contract’s dates, "
            f"{format_date(contract.start_date)} to {format_date(contract.end_date)}",
            "period_start" if period_start < contract.start_date else "period_end",
        )
    if period_start > today:
        raise CreditRefused(
            "The period must have started by today: a credit is for commitments already missed",
            "period_start",
        )
    credit = ServiceCredit(
        contract_id=contract.id,
        amount=amount,
        reason=reason,
        period_start=period_start,
        period_end=period_end,
        recorded_by_id=manager.id,
    )
    db.session.add(credit)
    db.session.flush()
    notices.contract_social_value.credit_recorded(contract, organisation, credit, manager)
    return credit
