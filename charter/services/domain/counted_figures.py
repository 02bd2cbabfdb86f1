"""Which verified figures count for a charter, and under which of its measures: its /impact,
and an organisation's progress towards its plan's targets under that charter.

A figure is entered once, in one return of one signing (issue 20). It counts for:

- **its own charter**: the charter of the signing whose return holds it, under its measure;
- **every other charter the organisation signed whose current scheme has a measure of the same
  reference** (a National TOMs code, a PPN 002 metric) and the same unit, under that charter's
  measure. A per-contract figure counts there only for the contracts whose commissioner takes
  part in that charter (``charter_commissioners``); a figure for the whole organisation counts
  whole.

Where the organisation's own return under the charter already has a verified figure of that
reference for an overlapping period, that one counts and the other charter's does not: a
figure is never counted twice for one charter. Units must agree because a figure is added up
with the charter's own (weeks are not counts); references are given only where the figure is
the same (docs/scheme-files.md).

Both kinds are one set of rows (``lines``, ``contract_figures``) that the build reads as it read
the return lines before charters shared figures, so the adding up and disclosure control are
the same for every charter.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache, lru_cache

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import (
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
from charter.models.contract import CharterCommissioner
from charter.models.impact import SCOPE_ALL
from charter.models.scheme import REPORTED_PER_CONTRACT
from charter.models.signing import acting_charter
from charter.services.domain import figure_parts
from charter.services.domain.charters import default_charter_id
from charter.services.domain.plausibility import counts
from charter.services.domain.pledge_periods import covers_start


def shared_measures(charter_id: int) -> dict[str, tuple[str, str]]:
    """The charter's current measures whose reference another charter's measure has too: its
    code and unit by reference. One query; empty where no figure can come from elsewhere (a
    service of one charter reads the return lines once, as before)."""
    rows = db.session.execute(_shared_statement(), {"charter_id": charter_id})
    found: dict[str, tuple[str, str]] = {}
    for reference, code, unit in rows:
        found.setdefault(reference, (code, unit))
    return found


@cache
def _shared_statement() -> Select:
    """``shared_measures``' query, built once (an organisation's page asks it every time)."""
    charter_id = bindparam("charter_id", type_=Integer)
    other, other_scheme = aliased(Measure), aliased(Scheme)
    elsewhere = exists(
        select(other.id)
        .join(other_scheme, other_scheme.id == other.scheme_id)
        .where(other.reference == Measure.reference, other_scheme.charter_id != charter_id)
    )
    return (
        select(Measure.reference, Measure.code, Measure.unit)
        .join(Scheme, Scheme.id == Measure.scheme_id)
        .where(
            Scheme.charter_id == charter_id,
            Scheme.is_current.is_(True),
            Measure.reference.is_not(None),
            elsewhere,
        )
        .order_by(Measure.position)
    )


def _publishes(*signings) -> object:
    """1 where the organisation publishes its figures on any of these signings' registers:
    anyone can add those up (see staging)."""
    return case((or_(*[s.publishes_figures.is_(True) for s in signings]), 1), else_=0)


def _attributes():
    return [Organisation.district, Organisation.sector, Organisation.organisation_type]


def _mine(charter_id: int):
    """The organisation's signing of the charter, joined to a query over its return lines."""
    mine = aliased(Signing, name="mine")
    on = and_(mine.organisation_id == Organisation.id, mine.charter_id == charter_id)
    return mine, on


def _mapped(shared: dict[str, tuple[str, str]]):
    """The charter's code for a line's measure (by its reference), and the condition that the
    line's measure has a reference the charter maps, with the same unit."""
    code = case({r: c for r, (c, _) in shared.items()}, value=Measure.reference)
    same = or_(*[and_(Measure.reference == r, Measure.unit == u) for r, (_, u) in shared.items()])
    return code, same


def _not_reported_here(mine) -> object:
    """The organisation's own verified figure of the same reference under the charter, for an
    overlapping period, does not exist (it would count instead)."""
    own_return, own_line, own_measure = (
        aliased(MonitoringReturn),
        aliased(ReturnLine),
        aliased(Measure),
    )
    return ~exists(
        select(own_line.id)
        .join(own_return, own_return.id == own_line.return_id)
        .join(own_measure, own_measure.id == own_line.measure_id)
        .where(
            own_return.signing_id == mine.id,
            own_return.status == MonitoringReturn.status,  # verified, as the line itself
            own_line.actual_value.is_not(None),
            own_measure.reference == Measure.reference,
            covers_start(own_line, own_return) <= MonitoringReturn.period_end,
            own_return.period_end >= covers_start(),
        )
    )


def _taking_part(charter_id: int) -> object:
    return exists(
        select(CharterCommissioner.commissioner_id).where(
            CharterCommissioner.charter_id == charter_id,
            CharterCommissioner.commissioner_id == Contract.commissioner_id,
        )
    )


def lines(charter_id: int):
    """Every figure counted for the charter, one row per return line: organisation_id,
    signing_id (the organisation's signing of the charter), measure_code, unit, period_start
    (of the period the figure covers, ``pledge_periods.covers_start``), period_end, value,
    district, sector, organisation_type, publishes."""
    pairs, shared = charter_measures(charter_id)
    return _lines(charter_id, None, dict(pairs), dict(shared))


def charter_measures(charter_id: int) -> tuple[tuple, tuple]:
    """What shapes the statement of the figures counted for the charter: its pairs' units and
    the measures whose reference another charter's measure has too (``shared_measures``), as
    items. Two queries; only a scheme changes them, and loading one moves the register's
    version, so a page may keep them per version."""
    pairs = figure_parts.pair_units(charter_id)
    return tuple(pairs.items()), tuple(shared_measures(charter_id).items())


def of_organisation(charter_id: int, measures: tuple[tuple, tuple] | None = None) -> Select:
    """An organisation's figures counted for the charter, oldest period last: measure_code,
    value, period_start, period_end, for the ``organisation_id`` given when it is executed.
    The statement is built once for each charter's measures (building it took most of an
    organisation's page); ``measures``: ``charter_measures``, read here if not given."""
    pairs, shared = measures if measures is not None else charter_measures(charter_id)
    return _of_organisation(charter_id, pairs, shared)


@lru_cache(maxsize=64)
def _of_organisation(charter_id: int, pairs: tuple, shared: tuple) -> Select:
    one = bindparam("organisation_id", type_=Integer)
    rows = _lines(charter_id, one, dict(pairs), dict(shared)).c
    return select(rows.measure_code, rows.value, rows.period_start, rows.period_end).order_by(
        rows.period_end
    )


def _lines(charter_id: int, organisation_id, pairs: dict, shared: dict):
    one = [] if organisation_id is None else [Organisation.id == organisation_id]
    signing = aliased(Signing, name="own")

    def own_rows(code, unit, value, *where):
        return (
            select(
                Organisation.id.label("organisation_id"),
                signing.id.label("signing_id"),
                code.label("measure_code"),
                unit.label("unit"),
                covers_start().label("period_start"),
                MonitoringReturn.period_end.label("period_end"),
                value.label("value"),
                *_attributes(),
                _publishes(signing).label("publishes"),
            )
            .select_from(ReturnLine)
            .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
            .join(Measure, Measure.id == ReturnLine.measure_id)
            .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
            .join(signing, signing.id == MonitoringReturn.signing_id)
            .where(counts(), signing.charter_id == charter_id, *where, *one)
        )

    # A pair's first figure in its first part's unit, its second under its own code and unit,
    # an achievement as 1 for an organisation that achieved it (figure_parts).
    owns = figure_parts.figure_rows(own_rows, Measure.code, pairs)
    if not shared:
        return union_all(*owns).subquery("counted_lines")
    mine, on_mine = _mine(charter_id)
    source = aliased(Signing, name="source")
    on_contracts = (
        select(func.sum(ContractFigure.value))
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .where(ContractFigure.return_line_id == ReturnLine.id, _taking_part(charter_id))
        .scalar_subquery()
    )
    value = case(
        (Measure.reporting == REPORTED_PER_CONTRACT, on_contracts), else_=ReturnLine.actual_value
    )
    code, same = _mapped(shared)
    borrowed = (
        select(
            Organisation.id,
            mine.id,
            code,
            Measure.unit,
            covers_start(),
            MonitoringReturn.period_end,
            value,
            *_attributes(),
            _publishes(mine, source),
        )
        .select_from(ReturnLine)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
        .join(source, source.id == MonitoringReturn.signing_id)
        .join(mine, on_mine)
        .where(
            counts(),
            ReturnLine.actual_value.is_not(None),
            source.charter_id != charter_id,
            same,
            _not_reported_here(mine),
            *one,
        )
    )
    rows = union_all(*owns, borrowed).subquery("all_lines")
    return select(rows).where(rows.c.value.is_not(None)).subquery("counted_lines")


def contract_figures(charter_id: int, published):
    """Every per-contract figure counted for the charter (the commissioners' cells): its
    own returns' figures, and another charter's for a measure of a shared reference on a
    contract whose commissioner takes part in it. Columns: organisation_id, measure_code,
    unit, period_end, commissioner, value, published (1 where ``published``, the open
    contracting file's clause, holds)."""
    signing = aliased(Signing, name="own")
    is_published = case((published, 1), else_=0)
    base = (
        select()
        .select_from(ContractFigure)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .where(counts(), ContractFigure.value.is_not(None))
    )
    own = (
        base.add_columns(
            MonitoringReturn.organisation_id.label("organisation_id"),
            Measure.code.label("measure_code"),
            Measure.unit.label("unit"),
            MonitoringReturn.period_end.label("period_end"),
            Commissioner.name.label("commissioner"),
            ContractFigure.value.label("value"),
            is_published.label("published"),
        )
        .join(signing, signing.id == MonitoringReturn.signing_id)
        .where(signing.charter_id == charter_id)
    )
    shared = shared_measures(charter_id)
    if not shared:
        return own.subquery("counted_figures")
    mine = aliased(Signing, name="mine")
    source = aliased(Signing, name="source")
    code, same = _mapped(shared)
    borrowed = (
        base.add_columns(
            MonitoringReturn.organisation_id,
            code,
            Measure.unit,
            MonitoringReturn.period_end,
            Commissioner.name,
            ContractFigure.value,
            is_published,
        )
        .join(source, source.id == MonitoringReturn.signing_id)
        .join(
            mine,
            and_(
                mine.organisation_id == MonitoringReturn.organisation_id,
                mine.charter_id == charter_id,
            ),
        )
        .where(
            source.charter_id != charter_id,
            same,
            _taking_part(charter_id),
            _not_reported_here(mine),
        )
    )
    return union_all(own, borrowed).subquery("counted_figures")


# Set by the combined /impact pages to the scope they show ("all": every charter's together;
# "region:<slug>": a region's charters'; charter.models.impact): their readers read those rows.
showing_combined: ContextVar[str | None] = ContextVar("showing_combined", default=None)


def shown_charter_id() -> int | None:
    """The charter whose figures a reader shows: the acting one (a charter's /impact acts in
    it), else the default charter; None for several charters' together (``showing_combined``)."""
    if showing_combined.get():
        return None
    return acting_charter.get() or default_charter_id()


def of_charter(model, charter_id: int | None, scope: str = SCOPE_ALL) -> object:
    """SQL: a summary row (cell, comparison, lifecycle count, build) of ``charter_id``, or with
    None of several charters' together: every charter's, or a region's (``scope``)."""
    if charter_id is None:
        return and_(model.charter_id.is_(None), model.scope == scope)
    return model.charter_id == charter_id


def of_shown_charter(model) -> object:
    """SQL: a summary row of the charter shown, or of the charters shown together
    (``showing_combined``)."""
    scope = showing_combined.get()
    if scope:
        return of_charter(model, None, scope)
    return of_charter(model, shown_charter_id())


def literal_charter(charter_id: int | None):
    """The charter's id as a constant column of an INSERT ... SELECT."""
    return literal(charter_id).label("charter_id")


def literal_scope(scope: str):
    """The rows' scope as a constant column of an INSERT ... SELECT."""
    return literal(scope).label("scope")
