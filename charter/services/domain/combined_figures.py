"""Every charter's figures together (issue 20's combined impact; Warwickshire's regional
taskforce wants "to collectively capture the level and impact of social value activity across
the membership"): each verified figure counts **once**, however many charters it counts for.

A figure is keyed by its measure's reference (a National TOMs code, a PPN 002 metric) when it has
one, since a reference means the same thing in every charter that gives it, so the charters'
figures of it add up; otherwise by its own charter and measure (``shropshire/LE2``), since a
measure no other charter shares is added up with nothing else. Units must agree for a reference
to be added up: where two charters give one reference in different units, each charter's figure
keeps its own key.

The same for a region's charters (``charter_ids``, regions.py): the figures of signings of those
charters, keyed by the references those charters give in one unit, under the strictest of their
disclosure settings.

The rows have the columns ``counted_figures.lines`` has, so the impact build adds them up,
breaks them down and applies disclosure control as it does a charter's. There are no pounds:
each charter values figures with its own proxy values, and a sum of two charters' valuations
would be no one's.
"""

from __future__ import annotations

from sqlalchemy import case, func, literal, select, true, union_all

from charter.extensions import db
from charter.models import (
    Charter,
    Commissioner,
    Contract,
    ContractFigure,
    Measure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    Scheme,
    Signing,
)
from charter.models.scheme import PAIR
from charter.services.domain import figure_parts
from charter.services.domain.plausibility import counts
from charter.services.domain.pledge_periods import covers_start

SEPARATOR = "/"


def _among(charter_ids: list[int] | None, column=Charter.id):
    """SQL: of one of ``charter_ids`` (None: of any charter)."""
    return true() if charter_ids is None else column.in_(charter_ids)


def references_in_one_unit(charter_ids: list[int] | None = None) -> list[str]:
    """The references every charter (of ``charter_ids``) gives in the same unit: their figures
    add up. Not a pair's: two charters' pairs of one reference may part it in different units,
    so each charter's pair keeps its own key. One query."""
    rows = db.session.execute(
        select(Measure.reference)
        .join(Scheme, Scheme.id == Measure.scheme_id)
        .where(Measure.reference.is_not(None), _among(charter_ids, Scheme.charter_id))
        .group_by(Measure.reference)
        .having(
            func.count(func.distinct(Measure.unit)) == 1,
            func.sum(case((Measure.unit == PAIR, 1), else_=0)) == 0,
        )
    )
    return [reference for (reference,) in rows]


def key_of(references: list[str]):
    """The combined key of a line's measure (a column of a query joining Measure and Charter)."""
    own = Charter.slug + literal(SEPARATOR) + Measure.code
    if not references:
        return own
    return case((Measure.reference.in_(references), Measure.reference), else_=own)


def _joined(query):
    return (
        query.join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(Signing, Signing.id == MonitoringReturn.signing_id)
        .join(Charter, Charter.id == Signing.charter_id)
    )


def lines(references: list[str], charter_ids: list[int] | None = None):
    """Every verified figure once (of signings of ``charter_ids``' charters), keyed as the
    module says (``references``: those in one unit, read once by the caller): the columns of
    ``counted_figures.lines``, a pair's two figures and an achievement's yes by the same rule
    (``figure_parts.figure_rows``)."""
    publishes = case((Signing.publishes_figures.is_(True), 1), else_=0)

    def rows_of(key, unit, value, *where):
        query = select(
            Organisation.id.label("organisation_id"),
            Signing.id.label("signing_id"),
            key.label("measure_code"),
            unit.label("unit"),
            covers_start().label("period_start"),
            MonitoringReturn.period_end.label("period_end"),
            value.label("value"),
            Organisation.district,
            Organisation.sector,
            Organisation.organisation_type,
            publishes.label("publishes"),
        ).select_from(ReturnLine)
        query = _joined(query).join(
            Organisation, Organisation.id == MonitoringReturn.organisation_id
        )
        return query.where(counts(), _among(charter_ids), *where)

    found = figure_parts.figure_rows(
        rows_of, key_of(references), pair_units(references, charter_ids)
    )
    return union_all(*found).subquery("combined_lines")


def pair_units(references: list[str], charter_ids: list[int] | None = None):
    """The units of each pair's parts by its combined key (of ``charter_ids``' charters). One
    query."""
    return figure_parts.units_of(
        db.session.execute(
            select(key_of(references), Measure.parts, Scheme.is_current)
            .join(Scheme, Scheme.id == Measure.scheme_id)
            .join(Charter, Charter.id == Scheme.charter_id)
            .where(Measure.unit == PAIR, _among(charter_ids))
            .order_by(Scheme.is_current)
        )
    )


def contract_figures(references: list[str], published, charter_ids: list[int] | None = None):
    """Every verified per-contract figure once (of signings of ``charter_ids``' charters),
    keyed as the module says: the columns of ``counted_figures.contract_figures``."""
    query = select(
        MonitoringReturn.organisation_id.label("organisation_id"),
        key_of(references).label("measure_code"),
        Measure.unit.label("unit"),
        MonitoringReturn.period_end.label("period_end"),
        Commissioner.name.label("commissioner"),
        ContractFigure.value.label("value"),
        case((published, 1), else_=0).label("published"),
    ).select_from(ContractFigure)
    query = query.join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
    query = _joined(query).join(Contract, Contract.id == ContractFigure.contract_id)
    query = query.join(Commissioner, Commissioner.id == Contract.commissioner_id)
    return query.where(counts(), ContractFigure.value.is_not(None), _among(charter_ids)).subquery(
        "combined_figures"
    )


def units(references: list[str], charter_ids: list[int] | None = None) -> dict[str, str]:
    """Each combined key's unit (for disclosure control's flows and averages). One query."""
    rows = db.session.execute(
        select(key_of(references), Measure.unit)
        .join(Scheme, Scheme.id == Measure.scheme_id)
        .join(Charter, Charter.id == Scheme.charter_id)
        .where(_among(charter_ids))
        .distinct()
    )
    return figure_parts.published_units(dict(rows.all()), pair_units(references, charter_ids))


def settings(charter_ids: list[int] | None = None) -> tuple[int, float]:
    """The disclosure threshold and protection share of the strictest charter (of
    ``charter_ids``): figures from several charters are shown under the rules of the one that
    protects most. One query."""
    rows = db.session.execute(
        select(Scheme.disclosure_min_organisations, Scheme.disclosure_protection_percent).where(
            Scheme.is_current.is_(True), _among(charter_ids, Scheme.charter_id)
        )
    ).all()
    if not rows:
        return 3, 0.2
    return max(r[0] for r in rows), max(float(r[1]) for r in rows) / 100


def charters_measures(
    references: list[str], charter_ids: list[int] | None = None
) -> tuple[dict[str, list[tuple[str, str, str]]], dict[str, tuple[str, list | None]]]:
    """For each combined key: (charter name, measure code, measure title) of every charter's
    (of ``charter_ids``) current measure under it, for the page to say what each figure adds
    up; and its unit and a pair's parts (label and unit), for the page to show a pair as its
    two parts. One query."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    kinds: dict[str, tuple[str, list | None]] = {}
    for key, name, code, title, unit, parts in db.session.execute(
        select(
            key_of(references),
            Charter.name,
            Measure.code,
            Measure.title,
            Measure.unit,
            Measure.parts,
        )
        .join(Scheme, Scheme.id == Measure.scheme_id)
        .join(Charter, Charter.id == Scheme.charter_id)
        .where(Scheme.is_current.is_(True), _among(charter_ids))
        .order_by(Charter.id, Measure.position)
    ):
        found.setdefault(key, []).append((name, code, title))
        kinds.setdefault(key, (unit, parts if unit == PAIR else None))
    return found, kinds
