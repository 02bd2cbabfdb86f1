"""The impact page's totals by theme and by priority (issue 21): Cheshire West and Chester's
policy groups its measures under four themes (jobs, growth, social, environment), each serving
some of the council's seven priorities; the public page shows each theme's and each priority's
measures and, where every figure in it is shown and has a proxy value, their worth in pounds.

A theme's or a priority's pounds are a sum of figures the page already shows; where one of them
is withheld (too few organisations, or protecting a small figure), the sum is not shown either,
since the shown figures subtracted from it would give the withheld one away. Figures in
different units are never added up: only their pounds are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from charter.extensions import db
from charter.models import Measure, Scheme
from charter.models.scheme import PAIR
from charter.models.scheme_theme import Theme
from charter.services.domain import figure_parts

NO_FIGURES = "No verified figures yet"
WITHHELD = "Not shown: a figure in it is withheld"
NO_PROXY = "No proxy value for every measure in it"


@dataclass(frozen=True)
class ThemeFacts:
    """A theme as plain values (held per /impact version with the page's scheme)."""

    code: str
    title: str
    priorities: tuple[tuple[str, str, int], ...]  # (code, title, position in the scheme)
    measures: tuple[str, ...]  # measure codes, in the scheme's order


def themes_of(scheme: Scheme) -> tuple[ThemeFacts, ...]:
    """The scheme's themes with their priorities and measures. Two queries (none for a scheme
    without themes but the first)."""
    themes = list(
        db.session.scalars(
            select(Theme)
            .where(Theme.scheme_id == scheme.id)
            .options(selectinload(Theme.priorities))
            .order_by(Theme.position)
        )
    )
    if not themes:
        return ()
    codes: dict[int, list[str]] = {}
    for theme_id, code, unit in db.session.execute(
        select(Measure.theme_id, Measure.code, Measure.unit)
        .where(Measure.scheme_id == scheme.id, Measure.theme_id.is_not(None))
        .order_by(Measure.position)
    ):
        codes.setdefault(theme_id, []).append(code)
        if unit == PAIR:  # its second figure is published under its own code
            codes[theme_id].append(figure_parts.second_code(code))
    return tuple(
        ThemeFacts(
            t.code,
            t.title,
            tuple((p.code, p.title, p.position) for p in t.priorities),
            tuple(codes.get(t.id, [])),
        )
        for t in themes
    )


@dataclass(frozen=True)
class Group:
    """A theme or a priority on the page: its headline figures and their worth in pounds."""

    code: str
    title: str
    figures: tuple  # the headline Figures of its measures that have one
    measures: tuple[str, ...]
    pounds: Decimal | None
    note: str | None  # why there is no pounds total
    served_by: tuple[str, ...] = ()  # for a priority: the titles of the themes serving it


def _group(code: str, title: str, measures: tuple[str, ...], by_code: dict, **extra) -> Group:
    shown = tuple(by_code[m] for m in measures if m in by_code)
    pounds, note = None, None
    if not shown:
        note = NO_FIGURES
    elif any(f.suppressed for f in shown):
        note = WITHHELD
    elif any(f.monetised is None for f in shown):
        note = NO_PROXY
    else:
        pounds = sum((f.monetised for f in shown), Decimal(0))
    return Group(code, title, shown, measures, pounds, note, **extra)


def by_theme(headline, themes: tuple[ThemeFacts, ...]) -> list[Group]:
    by_code = {f.measure.code: f for f in headline}
    return [_group(t.code, t.title, t.measures, by_code) for t in themes]


def by_priority(headline, themes: tuple[ThemeFacts, ...]) -> list[Group]:
    """Each priority some theme serves, in the scheme's order, with the measures of every theme
    serving it (each measure once)."""
    by_code = {f.measure.code: f for f in headline}
    priorities: dict[str, tuple[int, str, list[str], list[str]]] = {}
    for theme in themes:
        for code, title, position in theme.priorities:
            _, _, measures, serving = priorities.setdefault(code, (position, title, [], []))
            serving.append(theme.title)
            measures.extend(m for m in theme.measures if m not in measures)
    ordered = sorted(priorities.items(), key=lambda item: item[1][0])
    return [
        _group(code, title, tuple(measures), by_code, served_by=tuple(serving))
        for code, (_, title, measures, serving) in ordered
    ]
