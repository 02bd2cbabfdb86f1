"""Each charter's numbers for the service home: how many organisations are on its register, and
how many of them hold its Charter Mark.

The counts are the register page's own (``register.count``), kept per register version in each
process, so the home page costs no count while the register stands still. Organisations do not
sign per charter yet (issue 20's next slice): every one on the register is the default
charter's, so the default charter has them all and any other none.
"""

from __future__ import annotations

from dataclasses import dataclass

from charter.branding import CharterFacts
from charter.services.read_models import register
from charter.services.read_models.register_query import HOLDERS, Filters


@dataclass(frozen=True)
class CharterNumbers:
    charter: CharterFacts
    on_register: int
    holders: int


def numbers_of(charters: tuple[CharterFacts, ...], version: int) -> list[CharterNumbers]:
    if not charters:
        return []
    default, *others = charters
    first = CharterNumbers(
        default,
        on_register=register.count(Filters(), version),
        holders=register.count(Filters(standing=HOLDERS), version),
    )
    return [first, *(CharterNumbers(c, 0, 0) for c in others)]
