"""Proxy values over time: the £ per unit in force for a measure on a given day.

A new value takes effect from a date (today or later), so a past period's monetised figure,
a published year's total and every assessment snapshot keep the value they were made with.
``Measure.proxy_value`` mirrors the value in force today, for the pages that show it. In the
domain: an administrator sets values, the nightly job moves them, and assessment snapshots are
priced with them; the impact figures read them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure, ProxyValue, Scheme, User
from charter.services.domain.refusals import Refused
from charter.services.domain.schemes import current_scheme


class ProxyDateRefused(Refused):
    """A new value may not start in the past: that would change published figures."""


def _timelines(slug: str) -> dict[str, list[ProxyValue]]:
    rows = db.session.scalars(
        select(ProxyValue)
        .where(ProxyValue.scheme_slug == slug)
        .order_by(ProxyValue.measure_code, ProxyValue.effective_from)
    )
    timelines: dict[str, list[ProxyValue]] = defaultdict(list)
    for row in rows:
        timelines[row.measure_code].append(row)
    return timelines


def _value_on(timeline: list[ProxyValue], day: date) -> Decimal | None:
    index = bisect_right([row.effective_from for row in timeline], day)
    return timeline[index - 1].value if index else None


def in_force_at(days: list[date]) -> dict[tuple[str, date], Decimal | None]:
    """For each measure code with a history and each day: the value in force. One query."""
    scheme = current_scheme()
    if scheme is None:
        return {}
    return {
        (code, day): _value_on(timeline, day)
        for code, timeline in _timelines(scheme.slug).items()
        for day in days
    }


def values_in_force(scheme: Scheme, day: date) -> dict[str, Decimal]:
    """The pounds per unit of each of ``scheme``'s measures on ``day``, by measure code: from
    the proxy history where the measure has one (the values /impact uses), else the value the
    scheme file set. Measures with neither are left out. Two queries."""
    timelines = _timelines(scheme.slug)
    values: dict[str, Decimal] = {}
    rows = db.session.execute(
        select(Measure.code, Measure.proxy_value).where(Measure.scheme_id == scheme.id)
    )
    for code, file_value in rows:
        timeline = timelines.get(code)
        value = _value_on(timeline, day) if timeline else file_value
        if value is not None:
            values[code] = value
    return values


def history(scheme: Scheme) -> tuple[dict[str, list[ProxyValue]], dict[int, User]]:
    """Every value each measure has had, oldest first, and who set them by id. Two queries."""
    timelines = _timelines(scheme.slug)
    setter_ids = {row.set_by_id for rows in timelines.values() for row in rows if row.set_by_id}
    setters = {}
    if setter_ids:
        setters = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(setter_ids)))}
    return timelines, setters


def set_proxy_value(
    measure: Measure,
    value: Decimal | None,
    *,
    effective_from: date,
    today: date,
    set_by_id: int | None,
    reason: str | None = None,
) -> ProxyValue:
    """Record a new value from ``effective_from`` (not before ``today``). Not committed."""
    if effective_from < today:
        raise ProxyDateRefused(
            "The date the value is in force from must be today or later, so past figures "
            "keep the value they were made with",
            field="effective_from",
        )
    scheme_slug = db.session.scalar(select(Scheme.slug).where(Scheme.id == measure.scheme_id))
    existing = db.session.scalar(
        select(ProxyValue).where(
            ProxyValue.scheme_slug == scheme_slug,
            ProxyValue.measure_code == measure.code,
            ProxyValue.effective_from == effective_from,
        )
    )
    row = existing or ProxyValue(
        scheme_slug=scheme_slug, measure_code=measure.code, effective_from=effective_from
    )
    row.value, row.set_by_id, row.reason = value, set_by_id, reason
    db.session.add(row)
    if effective_from <= today:
        measure.proxy_value = value
    return row


def sync_current_values(today: date) -> int:
    """Make each current measure's ``proxy_value`` the value in force today (a value dated in
    the future takes over on its day). Returns how many changed."""
    scheme = current_scheme()
    if scheme is None:
        return 0
    timelines = _timelines(scheme.slug)
    changed = 0
    for measure in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id)):
        timeline = timelines.get(measure.code)
        if not timeline:
            continue
        value = _value_on(timeline, today)
        if value != measure.proxy_value:
            measure.proxy_value = value
            changed += 1
    return changed
