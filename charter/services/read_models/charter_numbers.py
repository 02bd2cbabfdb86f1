"""Each charter's numbers for the service home: how many organisations are on its register, and
how many of them hold its Charter Mark.

The counts are the register page's own (``register.count``), kept per register version in each
process, so the home page costs no count while the register stands still. Each charter's are its
own signings' (an organisation is on a charter's register through its signing of it).
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
    return [
        CharterNumbers(
            charter,
            on_register=register.count(Filters(charter_id=charter.id), version),
            holders=register.count(Filters(charter_id=charter.id, standing=HOLDERS), version),
        )
        for charter in charters
    ]
