"""Disclosure control across scopes: a figure withheld on one page is not given away by
subtracting the figures of the pages it is part of, or that are part of it.

The rebuild protects each scope's figures within that scope (`disclosure`): a charter's own
(``""``), every charter's (``all``) and each region's (``region:<slug>``). But the scopes are
sums of each other. A combined scope counts every verified figure once, under the charter of the
signing whose return holds it (`combined_figures`), so per cell (period, measure, breakdown):

- a region's figure is the sum of its charters' own figures, and every charter's figure the sum
  of every charter's own, or of each region's and the own figures of the charters in no region;
- a charter's page shows its own figures *plus* the figures it borrows from another charter's
  returns under a shared reference (issue 20, `counted_figures`), so its page's figure is its
  own only where it borrows nothing in that cell; and a combined key is a reference only where
  the scope's charters give it in one unit, else the charter's own measure (``shropshire/LE2``,
  the charter's figure again, whole).

So which sums are exact is decided on the figures themselves: each candidate sum above (the
charter's measure mapped to the scope's key, a region's key to every charter's) is a relation
only where its true figures add up (to the penny; or, as weighted averages, for percentages
whose organisations add up). Where a charter borrows into a cell, or keys differ, the figures do
not add up, and subtracting them would not give the withheld figure either.

Those relations are added to every scope's own (breakdowns, periods) and rule 2 of `disclosure`
runs over all of them together, each relation under its own scope's threshold, to a fixed point:
a relation with one withheld figure (or withheld figures from too few organisations) has
another withheld. Across scopes that other is the **total** (the region's, every charter's),
not a sibling part: withholding a sibling charter's figure would take a figure off that
charter's own page because of its neighbour's, and its subtraction would spread down into the
sibling's own breakdowns; the total is the combined page's, one cell, and at the top (every
charter's) it spreads no further up. A total already withheld with all its parts shown has its
smallest part withheld (as within a scope), so the figure a stricter combined threshold
withholds is withheld where it is shown whole on a charter's page too.

Not done here: the linear-programming protection (`protection`) across scopes (each scope's is
run within it), and the like-for-like comparisons across scopes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update

from charter.extensions import db
from charter.models import Charter, ImpactCell, Measure, Scheme
from charter.models.impact import SCOPE_ALL, SCOPE_CHARTER, region_scope
from charter.models.scheme import FLOW_UNITS, PAIR
from charter.services.domain import combined_figures, figure_parts, regions
from charter.services.read_models.impact import disclosure, staging

# A charter's own rows are tagged by its id, a combined scope's by its scope key.
CHARTER = "charter"
_SLACK = 0.005


def charter_tag(charter_id: int) -> tuple[str, int]:
    return (CHARTER, charter_id)


@dataclass(frozen=True)
class Hierarchy:
    """Which charters each combined scope adds up, and under which keys. ``slugs``: each
    charter's slug; ``regions``: each region's scope key and its charters; ``references``: by
    scope key, the references its charters give in one unit; ``measure_references``: each
    charter's measure codes and their references (None where it has none)."""

    slugs: dict[int, str]
    regions: dict[str, tuple[int, ...]]
    references: dict[str, frozenset[str]]
    measure_references: dict[int, dict[str, str | None]]

    def key_in(self, scope: str, charter_id: int, code: str) -> str:
        """A charter's measure's key in a combined scope (as `combined_figures.key_of`)."""
        reference = self.measure_references.get(charter_id, {}).get(code)
        if reference is not None and reference in self.references.get(scope, ()):
            return reference
        return f"{self.slugs[charter_id]}{combined_figures.SEPARATOR}{code}"

    def scopes_of(self, charter_id: int) -> list[str]:
        return [SCOPE_ALL] + [s for s, ids in self.regions.items() if charter_id in ids]


def candidates(keys: Iterable[tuple], hierarchy: Hierarchy) -> dict[tuple, list[tuple]]:
    """Every sum across scopes the figures could obey: (kind, total key) -> part keys. Keys
    are (tag, period, measure, breakdown, breakdown value)."""
    regioned = {c for ids in hierarchy.regions.values() for c in ids}
    found: dict[tuple, list[tuple]] = {}
    for key in keys:
        tag, period, code, dimension, value = key
        if isinstance(tag, tuple):  # a charter's own: part of every scope it is in
            for scope in hierarchy.scopes_of(tag[1]):
                total = (scope, period, hierarchy.key_in(scope, tag[1], code), dimension, value)
                found.setdefault(("charters", total), []).append(key)
            if tag[1] not in regioned:  # every charter's: the regions and the charters in none
                total = (SCOPE_ALL, period, hierarchy.key_in(SCOPE_ALL, tag[1], code))
                found.setdefault(("regions", (*total, dimension, value)), []).append(key)
        elif tag in hierarchy.regions:
            found.setdefault(("regions", (SCOPE_ALL, *key[1:])), []).append(key)
    return found


def sums_that_hold(cells: dict, found: dict[tuple, list[tuple]]) -> list[disclosure.Relation]:
    """The candidate sums whose true figures add up: ``cells`` maps a key to (organisations,
    value). A sum that does not hold is no relation anyone could subtract with."""
    out = []
    for (_kind, total), parts in sorted(found.items(), key=str):
        if total not in cells:
            continue
        count, value = cells[total][0], float(cells[total][1] or 0)
        counts = [cells[p][0] for p in parts]
        values = [float(cells[p][1] or 0) for p in parts]
        disjoint = sum(counts) == count
        slack = _SLACK * (len(parts) + 1)
        if abs(value - sum(values)) <= slack:
            averaged = False
        elif disjoint and abs(value * count - _weighted(counts, values)) <= _SLACK * 2 * count:
            averaged = True
        else:
            continue
        out.append(
            disclosure.Relation(total, tuple(parts), disjoint, averaged=averaged, prefer_total=True)
        )
    return out


def _weighted(counts: list[int], values: list[float]) -> float:
    return sum(c * v for c, v in zip(counts, values, strict=True))


def within(keys: Iterable[tuple], units: dict) -> list[disclosure.Relation]:
    """Every scope's own relations (`disclosure.relations`) on tagged keys; ``units`` maps a
    tag to its measures' units."""
    by_tag: dict = {}
    for key in keys:
        by_tag.setdefault(key[0], []).append(key[1:])
    out = []
    for tag, own in by_tag.items():
        unit_of = units.get(tag, {})
        flows = {c for c, u in unit_of.items() if u in FLOW_UNITS}
        averaged = {c for c, u in unit_of.items() if u in staging.AVERAGED_UNITS}
        for r in disclosure.relations(own, flows, averaged):
            out.append(
                disclosure.Relation(
                    (tag, *r.total),
                    tuple((tag, *p) for p in r.parts),
                    r.disjoint,
                    r.exact,
                    r.averaged,
                )
            )
    return out


def withhold_across(
    cells: dict, withheld: set, found: list[disclosure.Relation], thresholds: dict
) -> set:
    """The cells to withhold besides ``withheld`` so that no relation (a scope's own or across
    scopes) gives a withheld one away; each relation under its total's scope's threshold."""
    before = set(withheld)
    after = set(withheld)
    disclosure.close(cells, found, lambda total: thresholds[total[0]], after)
    return after - before


def _hierarchy() -> tuple[Hierarchy, dict, dict]:
    """The hierarchy, each tag's threshold and each tag's units. A few queries."""
    slugs = dict(db.session.execute(select(Charter.id, Charter.slug)).all())
    scoped = {region_scope(r.slug): tuple(r.charter_ids) for r in regions.with_charters()}
    measures: dict[int, dict[str, str | None]] = {}
    units: dict = {}
    pairs: dict = {}
    for charter_id, code, reference, unit, parts, current in db.session.execute(
        select(
            Scheme.charter_id,
            Measure.code,
            Measure.reference,
            Measure.unit,
            Measure.parts,
            Scheme.is_current,
        )
        .join(Scheme, Scheme.id == Measure.scheme_id)
        .order_by(Scheme.is_current, Scheme.loaded_at, Measure.id)
    ):
        units.setdefault(charter_tag(charter_id), {})[code] = unit
        if unit == PAIR:
            pairs.setdefault(charter_tag(charter_id), []).append((code, parts, current))
        if current:
            measures.setdefault(charter_id, {})[code] = reference
    for tag, rows in pairs.items():  # a pair's parts in their own units (figure_parts)
        units[tag] = figure_parts.published_units(units[tag], figure_parts.units_of(rows))
    thresholds = {
        charter_tag(charter_id): threshold
        for charter_id, threshold in db.session.execute(
            select(Scheme.charter_id, Scheme.disclosure_min_organisations)
            .where(Scheme.is_current.is_(True))
            .order_by(Scheme.loaded_at, Scheme.id)
        )
    }
    references = {}
    for scope, ids in [(SCOPE_ALL, None), *scoped.items()]:
        found = combined_figures.references_in_one_unit(list(ids) if ids else None)
        references[scope] = frozenset(found)
        units[scope] = combined_figures.units(found, list(ids) if ids else None)
        thresholds[scope] = combined_figures.settings(list(ids) if ids else None)[0]
    return Hierarchy(slugs, scoped, references, measures), thresholds, units


def protect() -> int:
    """After every scope is rebuilt: flag as complementary the cells that must be withheld so
    that no withheld figure of one scope can be worked out from the others'. Returns how many.
    One read of every cell, then an UPDATE per thousand flagged."""
    if db.session.scalar(select(ImpactCell.id).where(ImpactCell.charter_id.is_(None))) is None:
        return 0  # no combined scope: nothing to subtract from
    hierarchy, thresholds, units = _hierarchy()
    rows = db.session.execute(
        select(
            ImpactCell.id,
            ImpactCell.charter_id,
            ImpactCell.scope,
            ImpactCell.period_key,
            ImpactCell.measure_code,
            ImpactCell.dimension,
            ImpactCell.dimension_value,
            ImpactCell.organisations,
            ImpactCell.total,
            ImpactCell.complementary,
        )
    ).all()
    cells, ids, withheld = {}, {}, set()
    for row in rows:
        tag = charter_tag(row[1]) if row[1] is not None else row[2]
        if row[1] is not None and row[2] != SCOPE_CHARTER:
            continue
        key = (tag, row[3], row[4], row[5], row[6])
        cells[key] = (row[7], row[8])
        ids[key] = row[0]
        if row[9] or row[7] < thresholds.get(tag, 3):
            withheld.add(key)
    thresholds = {tag: thresholds.get(tag, 3) for tag in {k[0] for k in cells}}
    found = within(cells, units) + sums_that_hold(cells, candidates(cells, hierarchy))
    flagged = sorted(ids[key] for key in withhold_across(cells, withheld, found, thresholds))
    for offset in range(0, len(flagged), 1000):
        chunk = flagged[offset : offset + 1000]
        db.session.execute(
            update(ImpactCell).where(ImpactCell.id.in_(chunk)).values(complementary=True)
        )
    return len(flagged)
