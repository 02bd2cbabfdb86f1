"""What several charters deliver together, as the combined /charters/impact page and its CSV and
JSON read it: every charter's together, or a region's charters' (issue 21: Warwickshire's
regional taskforce wants "to collectively capture the level and impact of social value activity
across the membership"; issue 20: "the charters of a region or partnership").

The rows are the rebuild's (``impact.scopes``), one set per scope; a reader shows one scope
inside ``showing(...)``, which points the figure readers (``counted_figures.of_shown_charter``)
at its rows. The charters, their regions and the region asked for are found among the charters
the process holds (``branding.held_charters``): choosing a region costs no query.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from charter.models.impact import SCOPE_ALL, region_scope
from charter.services.domain import combined_figures, counted_figures, regions
from charter.services.read_models.impact import figures
from charter.services.read_models.impact.columns import open_row


class UnknownRegion(LookupError):
    """A region that is not one of the ONS's, or that no charter on the service is in."""

    def __init__(self, slug: str):
        self.slug = slug
        name = regions.name_of(slug)
        if name is None:
            message = f"There is no region ‘{slug[:60]}’: choose a region from the list"
        else:
            message = (
                f"No charter on this service is in {regions.in_words(slug)}: choose a region "
                "from the list"
            )
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Together:
    """The charters shown together: every one (``region`` None) or a region's."""

    charters: tuple
    region: regions.RegionCharters | None
    choices: tuple[regions.RegionCharters, ...]

    @property
    def scope(self) -> str:
        return SCOPE_ALL if self.region is None else region_scope(self.region.slug)

    @property
    def charter_ids(self) -> list[int] | None:
        return None if self.region is None else self.region.charter_ids


def together(charters, region_slug: str | None) -> Together:
    """Every one of ``charters`` (the held charters), or with ``region_slug`` the region's;
    UnknownRegion for a region none of them is in."""
    charters = tuple(charters)
    choices = tuple(regions.grouped(charters))
    slug = (region_slug or "").strip()
    if not slug:
        return Together(charters, None, choices)
    region = next((r for r in choices if r.slug == slug), None)
    if region is None:
        raise UnknownRegion(slug)
    return Together(region.charters, region, choices)


@contextmanager
def showing(shown: Together) -> Iterator[None]:
    """The figure readers read ``shown``'s rows inside the block."""
    token = counted_figures.showing_combined.set(shown.scope)
    try:
        yield
    finally:
        counted_figures.showing_combined.reset(token)


def measures(shown: Together) -> tuple[list[figures.MeasureFacts], dict]:
    """A MeasureFacts per combined key (its title: what each charter calls it), in the order of
    the charters and their measures, a pair as its two parts (``figures.published_parts``, as a
    charter's page shows it), and what each charter's measure under each key is."""
    references = combined_figures.references_in_one_unit(shown.charter_ids)
    charters_measures, kinds = combined_figures.charters_measures(references, shown.charter_ids)
    found = []
    for key, named in list(charters_measures.items()):
        title = named[0][2] if len(named) == 1 else f"{len(named)} charters' measures"
        unit, parts = kinds[key]
        facts = figures.MeasureFacts(key, title, unit, None, False)
        for published in figures.published_parts(facts, parts):
            found.append(published)
            charters_measures.setdefault(published.code, named)  # a pair's second part too
    return found, charters_measures


def threshold(shown: Together) -> int:
    """The disclosure threshold of the strictest of the charters shown."""
    return combined_figures.settings(shown.charter_ids)[0]


def open_rows(shown: Together) -> tuple[list[dict], int]:
    """Every figure shown together as the charters' open data rows (the columns of
    ``impact.columns``; no pounds: each charter values figures with its own proxy values), with
    the threshold they were withheld under. Call inside ``showing(shown)``."""
    limit = threshold(shown)
    by_code = {m.code: m for m in measures(shown)[0]}
    rows = [open_row(figure, pounds=False) for figure in figures.all_cells(limit, by_code)]
    return rows, limit
