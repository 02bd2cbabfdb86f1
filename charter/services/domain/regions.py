"""The regions a charter can belong to, so the combined pages can show a region's charters
together (issue 21: Warwickshire's policy says the West Midlands Social Value Taskforce "is
exploring opportunities to collectively capture the level and impact of social value activity
across the membership"; issue 20 asks for the combined pages across "the charters of a region
or partnership").

A region is one of the ONS's International Territorial Level 1 (ITL1) regions of the UK: the nine
English regions, Wales, Scotland and Northern Ireland. A fixed list, not free text: two charters
are in one region only if they name it the same way, and a council's area lies in exactly one
of them (Shropshire, Worcestershire and Warwickshire are in the West Midlands; Cheshire West and
Chester in the North West). A charter's region comes from its scheme file's [charter] table
(``region = "west-midlands"``) or is set by a service administrator (Charters, in
administration); a charter without one is in no region's pages, only in every charter's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from charter.extensions import db
from charter.models import Charter
from charter.services.domain.refusals import Refused

# Slug (in URLs and files) -> name, in the ONS's order.
REGIONS = {
    "north-east": "North East",
    "north-west": "North West",
    "yorkshire-and-the-humber": "Yorkshire and The Humber",
    "east-midlands": "East Midlands",
    "west-midlands": "West Midlands",
    "east-of-england": "East of England",
    "london": "London",
    "south-east": "South East",
    "south-west": "South West",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}


# The regions whose name takes "the" in a sentence ("in the West Midlands", "in London").
_WITH_THE = frozenset(
    {
        "north-east",
        "north-west",
        "east-midlands",
        "west-midlands",
        "east-of-england",
        "south-east",
        "south-west",
    }
)


def in_words(slug: str) -> str:
    """The region's name as a sentence has it: "the West Midlands", "London"."""
    return f"the {REGIONS[slug]}" if slug in _WITH_THE else REGIONS[slug]


class RegionRefused(Refused):
    """A region that is not one of ``REGIONS``; the message says which are."""


def name_of(slug: str | None) -> str | None:
    return REGIONS.get(slug or "")


def checked(slug: str | None) -> str | None:
    """``slug`` if it names a region ("" or None: no region), else RegionRefused."""
    slug = (slug or "").strip()
    if not slug:
        return None
    if slug not in REGIONS:
        raise RegionRefused(
            f"There is no region ‘{slug[:60]}’: choose one of {', '.join(REGIONS.values())}"
        )
    return slug


@dataclass(frozen=True)
class RegionCharters:
    """A region and the charters in it (rows, or the charters' held facts: anything with
    ``id`` and ``region``), in the order created."""

    slug: str
    name: str
    charters: tuple

    @property
    def in_words(self) -> str:
        return in_words(self.slug)

    @property
    def charter_ids(self) -> list[int]:
        return [charter.id for charter in self.charters]


def grouped(charters) -> list[RegionCharters]:
    """Every region that has one of ``charters`` (in the order given), with its charters, in
    the ONS's order. No query: the pages pass the charters the process holds (branding)."""
    found: dict[str, list] = {}
    for charter in charters:
        if charter.region in REGIONS:
            found.setdefault(charter.region, []).append(charter)
    return [
        RegionCharters(slug, REGIONS[slug], tuple(found[slug])) for slug in REGIONS if slug in found
    ]


def with_charters() -> list[RegionCharters]:
    """Every region that has a charter, with its charters (rows), in the ONS's order. One
    query."""
    return grouped(db.session.scalars(select(Charter).order_by(Charter.id)))


def find(charters, slug: str) -> RegionCharters | None:
    """The region ``slug`` with its charters among ``charters``; None where it is not a region
    or none of them is in it."""
    return next((region for region in grouped(charters) if region.slug == slug), None)


def set_region(charter: Charter, slug: str | None) -> bool:
    """Put the charter in region ``slug`` ("" or None: in none); RegionRefused for a slug not in
    ``REGIONS``, changing nothing. Whether it changed. Not committed: the caller commits (the
    impact version moves with the charter's row, and the region's combined figures follow at the
    next impact rebuild)."""
    slug = checked(slug)
    if charter.region == slug:
        return False
    charter.region = slug
    return True
