"""certificate issuer, renewal from expiry, proxy values in application snapshots

Schemes name who issues their certificates (``issuer_name``, ``issuer_members``: the scheme
file's [issuer]) and say whether a renewal awarded early runs from the old expiry date
(``renewal_runs_from_expiry``, on by default). The default scheme's existing versions get the
issuer its file now names, quoted from the Shropshire proposal.

Data correction: application snapshots recorded a proxy value only for flow measures (money,
hours, weeks, counts) and only from the scheme's own column, so an assessor saw "No proxy value
set" for LE4 (FTE) while /impact monetised it with the value in force. Each snapshot gains, for
every measure it lacks, the proxy value that was in force on the day it was taken (from the proxy
history; else the scheme's own value) and the figure in pounds. Values already recorded stay.

Revision ID: 73c8e9bcf287
Revises: c4e8a1f07b36
Create Date: 2026-12-06 10:00:00
"""

from bisect import bisect_right
from datetime import date, datetime
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


revision = "73c8e9bcf287"
down_revision = "c4e8a1f07b36"
branch_labels = None
depends_on = None

DEFAULT_SLUG = "supporting-the-local-economy"
ISSUER_NAME = "Social Value Group"
ISSUER_MEMBERS = (
    "representatives from the Local Authority, Health, Police & Crime Commissioner's Office, "
    "Housing and the Voluntary & Community Sector"
)
PENNY = Decimal("0.01")

schemes = sa.table(
    "schemes",
    sa.column("id", sa.Integer),
    sa.column("slug", sa.String),
    sa.column("issuer_name", sa.String),
    sa.column("issuer_members", sa.Text),
)
measures = sa.table(
    "measures",
    sa.column("scheme_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("proxy_value", sa.Numeric(12, 2)),
)
proxy_values = sa.table(
    "proxy_values",
    sa.column("scheme_slug", sa.String),
    sa.column("measure_code", sa.String),
    sa.column("value", sa.Numeric(12, 2)),
    sa.column("effective_from", sa.Date),
)
applications = sa.table(
    "applications",
    sa.column("id", sa.Integer),
    sa.column("scheme_id", sa.Integer),
    sa.column("submitted_at", sa.DateTime),
    sa.column("snapshot", sa.JSON),
)


def upgrade():
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("issuer_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("issuer_members", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "renewal_runs_from_expiry", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
    connection = op.get_bind()
    connection.execute(
        schemes.update()
        .where(schemes.c.slug == DEFAULT_SLUG)
        .values(issuer_name=ISSUER_NAME, issuer_members=ISSUER_MEMBERS)
    )
    _record_proxy_values_in_snapshots(connection)


def downgrade():
    # The proxy values added to snapshots stay: they are what was in force when each was taken.
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_column("renewal_runs_from_expiry")
        batch_op.drop_column("issuer_members")
        batch_op.drop_column("issuer_name")


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    try:
        return datetime.fromisoformat(str(value)).date() if value else None
    except ValueError:
        return None


def _record_proxy_values_in_snapshots(connection) -> None:
    slugs = dict(connection.execute(sa.select(schemes.c.id, schemes.c.slug)).all())
    file_values: dict[int, dict[str, Decimal]] = {}
    for scheme_id, code, value in connection.execute(
        sa.select(measures.c.scheme_id, measures.c.code, measures.c.proxy_value)
    ):
        file_values.setdefault(scheme_id, {})[code] = value
    timelines: dict[tuple[str, str], list[tuple[date, Decimal | None]]] = {}
    for slug, code, value, since in connection.execute(
        sa.select(
            proxy_values.c.scheme_slug,
            proxy_values.c.measure_code,
            proxy_values.c.value,
            proxy_values.c.effective_from,
        ).order_by(proxy_values.c.effective_from)
    ):
        timelines.setdefault((slug, code), []).append((since, value))

    def in_force(scheme_id: int, code: str, day: date) -> Decimal | None:
        timeline = timelines.get((slugs.get(scheme_id), code))
        if not timeline:
            return file_values.get(scheme_id, {}).get(code)
        index = bisect_right([since for since, _ in timeline], day)
        return timeline[index - 1][1] if index else None

    rows = connection.execute(
        sa.select(
            applications.c.id,
            applications.c.scheme_id,
            applications.c.submitted_at,
            applications.c.snapshot,
        )
    ).all()
    for application_id, scheme_id, submitted_at, snapshot in rows:
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("progress"), list):
            continue
        day = _day(snapshot.get("taken_at")) or _day(submitted_at)
        if day is None:
            continue
        recorded = list(snapshot.get("proxy_values") or [])
        known = {row.get("measure_id") for row in recorded if isinstance(row, dict)}
        added = []
        for entry in snapshot["progress"]:
            measure_id, code = entry.get("measure_id"), entry.get("code")
            if measure_id in known or code is None:
                continue
            value = in_force(scheme_id, code, day)
            if value is None:
                continue
            achieved = Decimal(str(entry.get("achieved") or "0"))
            added.append(
                {
                    "measure_id": measure_id,
                    "code": code,
                    "proxy_value": str(value),
                    "in_force_on": day.isoformat(),
                    "achieved": str(achieved),
                    "social_value": str((achieved * value).quantize(PENNY)),
                }
            )
        if added:
            connection.execute(
                applications.update()
                .where(applications.c.id == application_id)
                .values(snapshot={**snapshot, "proxy_values": recorded + added})
            )
