"""Which commissioners take part in which charter (issue 20), and so which contracts count for
a charter: those whose commissioner takes part in it.

The commissioners are one managed list for the service (charter.services.domain.contracts); a
charter's administrators say which of them take part in their charter. A contract belongs to
its organisation and its commissioner, not to a charter: it is recorded once and confirmed once
by the commissioner's contract manager, and counts for every charter its commissioner takes
part in (the Charter Mark's contract rules, the dashboard's count).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ColumnElement, Select, delete, false, func, select

from charter.extensions import db
from charter.models import CharterCommissioner, Commissioner, Contract, Organisation
from charter.services.domain import signings


def taking_part(charter_id: int | None) -> set[int]:
    """The ids of the commissioners taking part in ``charter_id``."""
    if charter_id is None:
        return set()
    return set(
        db.session.scalars(
            select(CharterCommissioner.commissioner_id).where(
                CharterCommissioner.charter_id == charter_id
            )
        )
    )


def set_taking_part(commissioner: Commissioner, charter_id: int, take_part: bool) -> None:
    """``commissioner`` takes part in the charter, or no longer does; not committed. Contracts
    already recorded with it stay the organisations'; they stop counting for the charter."""
    if take_part:
        if commissioner.id not in taking_part(charter_id):
            db.session.add(
                CharterCommissioner(charter_id=charter_id, commissioner_id=commissioner.id)
            )
        return
    db.session.execute(
        delete(CharterCommissioner).where(
            CharterCommissioner.charter_id == charter_id,
            CharterCommissioner.commissioner_id == commissioner.id,
        )
    )


def counts_for(organisation: Organisation) -> ColumnElement[bool]:
    """SQL: a contract of ``organisation`` counts for the charter of its signing acting now (the
    page's charter, or its first): its commissioner takes part in that charter."""
    signing = signings.signing_of(organisation)
    if signing is None:
        return false()
    return counts_for_charter(signing.charter_id)


def counts_for_charter(charter_id) -> ColumnElement[bool]:
    """SQL: a contract counts for charter ``charter_id`` (an id, or a bound parameter)."""
    return Contract.commissioner_id.in_(
        select(CharterCommissioner.commissioner_id).where(
            CharterCommissioner.charter_id == charter_id
        )
    )


def contract_totals(organisation_id, charter_id) -> Select[tuple[int, Decimal | None]]:
    """SQL, one row: how many of the organisation's contracts count for charter ``charter_id``,
    and their value (ids or bound parameters: ``contracts.contract_summary``; an organisation's
    public page reads it with the rest of the page)."""
    return select(
        func.count(Contract.id).label("count"), func.sum(Contract.value).label("value")
    ).where(Contract.organisation_id == organisation_id, counts_for_charter(charter_id))


def summarised(count: int, value: Decimal | None) -> tuple[int, Decimal]:
    """``contract_totals``'s row as shown: the value in pence (0.00 with none)."""
    return count, Decimal(value or 0).quantize(Decimal("0.01"))
