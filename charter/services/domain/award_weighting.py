"""The social value weighting at award recorded on each contract (issue 21: Cheshire West and
Chester's "(iv) Clear guidelines": 5% for contracts between £50,000 and £100,000, 10% above
£100,000, as the bands of its scheme file say).

A contract is recorded once and counts for every charter its commissioner takes part in, but
its tender was scored once, with one weighting. So one weighting is recorded, with the charter
whose bands gave it:

1. the charter the supplier recorded the contract in (the signing its pages act in), when the
   contract's commissioner takes part in it and its scheme has bands: the supplier recorded the
   contract for that charter, under whose policy the commissioner awarded it;
2. otherwise the other charters the commissioner takes part in whose scheme has bands, if they
   all give the same weighting for the value;
3. otherwise none: when those charters give different weightings the service cannot tell which
   policy the tender followed, and records nothing rather than guess.

It is the standard weighting of the bands (the policy lets a council vary it "on a case by case
basis"), set when the contract is recorded and again when its value or commissioner changes.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import CharterCommissioner, Contract, Organisation, Scheme
from charter.services.domain import signings
from charter.services.domain.scheme_features import weighting_for


def _bands_by_charter(commissioner_id: int) -> dict[int, list[dict]]:
    """The current scheme's bands of each charter the commissioner takes part in. One query."""
    rows = db.session.execute(
        select(Scheme.charter_id, Scheme.weighting_bands)
        .join(CharterCommissioner, CharterCommissioner.charter_id == Scheme.charter_id)
        .where(
            CharterCommissioner.commissioner_id == commissioner_id,
            Scheme.is_current.is_(True),
            Scheme.weighting_bands.is_not(None),
        )
        .order_by(Scheme.charter_id, Scheme.loaded_at, Scheme.id)
    )
    return {charter_id: bands for charter_id, bands in rows if bands}


def weighting_of(
    value: Decimal, commissioner_id: int, recorded_in: int | None
) -> tuple[Decimal | None, int | None]:
    """(percent, charter id) for a contract of ``value`` with the commissioner, recorded in
    the charter ``recorded_in``; (None, None) when no band applies or the charters disagree."""
    bands = _bands_by_charter(commissioner_id)
    if recorded_in in bands:
        percent = weighting_for(bands[recorded_in], value)
        return (percent, recorded_in) if percent is not None else (None, None)
    found = {
        charter_id: percent
        for charter_id, charter_bands in bands.items()
        if (percent := weighting_for(charter_bands, value)) is not None
    }
    if len(set(found.values())) != 1:
        return None, None
    charter_id, percent = next(iter(found.items()))
    return percent, charter_id


def record(contract: Contract, organisation: Organisation) -> None:
    """Set the contract's weighting from its value and commissioner (not committed)."""
    signing = signings.signing_of(organisation)
    contract.award_weighting, contract.award_weighting_charter_id = weighting_of(
        contract.value, contract.commissioner_id, signing.charter_id if signing else None
    )
