"""What one set of impact summary rows is built from (``Scope``), for the rebuild (`build`): a
charter's own counted figures under its proxy values and disclosure settings, every charter's
together, or a region's charters' together (issue 21: Warwickshire's regional taskforce wants "to
collectively capture the level and impact of social value activity across the membership"),
each of those with the rows' ``scope`` key (charter.models.impact)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, delete, func, null, select

from charter.extensions import db
from charter.models import (
    Charter,
    ImpactCell,
    ImpactComparison,
    ImpactLifecycleCount,
    Measure,
    Scheme,
)
from charter.models.impact import REGION_SCOPE_PREFIX, SCOPE_ALL, SCOPE_CHARTER, region_scope
from charter.services.domain import (
    combined_figures,
    counted_figures,
    figure_parts,
    proxy_values,
    regions,
)
from charter.services.domain.schemes import current_scheme
from charter.services.read_models import open_contracting
from charter.services.read_models.impact.periods import quarter_of


def _proxy_expression(period_ends: list[date]):
    """``proxy(code, period_end)``: £ per unit for each figure's measure and period end, or NULL
    where none was in force: a CASE on the measure, then on the period end (simple CASEs,
    evaluated for millions of lines, compare one value per branch instead of testing every
    pair). The charter's own proxy values (the acting charter's scheme)."""
    by_code: dict[str, dict[date, object]] = {}
    for (code, end), value in proxy_values.in_force_at(period_ends).items():
        if value is not None:
            by_code.setdefault(code, {})[end] = value

    def proxy(code_column, end_column):
        if not by_code:
            return null()
        return case(
            {code: case(ends, value=end_column) for code, ends in by_code.items()},
            value=code_column,
        )

    return proxy


def quarter_ratios(period_ends: list[date]) -> dict[tuple[str, str], float]:
    """The proxy value in force in each quarter, by (measure code, quarter key): what ties a
    quarter's pounds to its figure (anyone can read the proxy history). A quarter whose returns
    end on days with different values in force has no single ratio and is left out."""
    found: dict[tuple[str, str], set] = {}
    for (code, end), value in proxy_values.in_force_at(period_ends).items():
        found.setdefault((code, quarter_of(end).key), set()).add(value)
    return {
        key: float(values.pop())
        for key, values in found.items()
        if len(values) == 1 and None not in values
    }


def combined_scopes() -> list[Scope]:
    """Every charter's together and each region's charters' together (the service has several
    charters), after deleting every region's rows: a region no charter is in any more keeps
    none (its builds stay, as every scope's do: the history of the rebuilds)."""
    for model in (ImpactCell, ImpactLifecycleCount, ImpactComparison):
        db.session.execute(
            delete(model).where(
                model.charter_id.is_(None), model.scope.startswith(REGION_SCOPE_PREFIX)
            )
        )
    if db.session.scalar(select(func.count(Charter.id))) <= 1:
        return []
    scopes = [Scope.combined()]
    for region in regions.with_charters():
        scopes.append(Scope.combined(region.charter_ids, region_scope(region.slug)))
    return scopes


@dataclass(frozen=True)
class Scope:
    """What one set of summary rows is built from: a charter's counted figures under its own
    proxy values and disclosure settings, or (``charter_id`` None) several charters' together,
    every charter's (``scope`` "all") or a region's (``charter_ids``, ``scope``
    "region:<slug>"), each figure once, in its units only, under the strictest of those
    charters' disclosure settings."""

    charter_id: int | None
    lines: object
    contract_figures: object
    proxy: object
    threshold: int
    share: float
    ratios: dict
    units: dict
    scope: str = SCOPE_CHARTER
    charter_ids: list[int] | None = None

    @classmethod
    def of_charter(cls, charter_id: int, period_ends: list[date]) -> Scope:
        published = open_contracting.published_clause()
        units = figure_parts.published_units(
            dict(
                db.session.execute(
                    select(Measure.code, Measure.unit)
                    .join(Scheme, Scheme.id == Measure.scheme_id)
                    .where(Scheme.charter_id == charter_id)
                ).all()
            ),
            figure_parts.pair_units(charter_id),
        )
        return cls(
            charter_id,
            counted_figures.lines(charter_id),
            counted_figures.contract_figures(charter_id, published),
            _proxy_expression(period_ends) if period_ends else None,
            disclosure_threshold(),
            protection_share(),
            quarter_ratios(period_ends) if period_ends else {},
            units,
        )

    @classmethod
    def combined(cls, charter_ids: list[int] | None = None, scope: str = SCOPE_ALL) -> Scope:
        threshold, share = combined_figures.settings(charter_ids)
        references = combined_figures.references_in_one_unit(charter_ids)
        published = open_contracting.published_clause()
        return cls(
            None,
            combined_figures.lines(references, charter_ids),
            combined_figures.contract_figures(references, published, charter_ids),
            lambda _code, _end: null(),
            threshold,
            share,
            {},
            combined_figures.units(references, charter_ids),
            scope,
            charter_ids,
        )


def disclosure_threshold() -> int:
    """The disclosure threshold of the acting charter's current scheme (the default's)."""
    scheme = current_scheme()
    return scheme.disclosure_min_organisations if scheme is not None else 3


def protection_share() -> float:
    """The scheme's protection level as a share (20% is 0.2): see `protection`."""
    scheme = current_scheme()
    percent = scheme.disclosure_protection_percent if scheme is not None else 20
    return float(percent) / 100
