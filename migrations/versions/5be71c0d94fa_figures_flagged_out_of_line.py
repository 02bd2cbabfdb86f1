"""figures flagged as out of line: reasons, explanation, assessor's check; scheme thresholds

Return lines gain ``flag_reasons`` (why the figure is out of line, a JSON list; NULL when it is
not), the organisation's ``flag_explanation`` and the assessor's check (``flag_checked_by_id``,
``flag_checked_at``). Schemes gain the [plausibility] thresholds: ``plausibility_contract_share``
(percent of a contract's pro-rata value, default 100), ``plausibility_size_band`` (on) and
``plausibility_median_multiple`` (10).

Data: figures already given are held to the same rules, so a £999,999,999,999 figure on a
£37,000 contract no longer counts on /impact until an assessor has checked it. Each existing
line is flagged when one of its per-contract money figures is above the contract's value for the
period (pro rata by days), or its FTE is above the organisation's size band. (The third rule, ten
times the organisation's earlier median, is applied as figures are saved from now on.)

Revision ID: 5be71c0d94fa
Revises: 5e2b9c71d4a8
Create Date: 2026-12-06 05:30:00
"""

from datetime import date
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


revision = "5be71c0d94fa"
down_revision = "5e2b9c71d4a8"
branch_labels = None
depends_on = None

SIZE_BAND_MOST_EMPLOYEES = {"micro": 9, "small": 49, "medium": 249}
SIZE_LABELS = {
    "micro": "micro (fewer than 10 employees)",
    "small": "small (10 to 49 employees)",
    "medium": "medium (50 to 249 employees)",
}
PENNY = Decimal("0.01")

return_lines = sa.table(
    "return_lines",
    sa.column("id", sa.Integer),
    sa.column("return_id", sa.Integer),
    sa.column("measure_id", sa.Integer),
    sa.column("actual_value", sa.Numeric(14, 2)),
    sa.column("flag_reasons", sa.JSON),
)
returns = sa.table(
    "monitoring_returns",
    sa.column("id", sa.Integer),
    sa.column("organisation_id", sa.Integer),
    sa.column("period_start", sa.Date),
    sa.column("period_end", sa.Date),
)
measures = sa.table(
    "measures",
    sa.column("id", sa.Integer),
    sa.column("unit", sa.String),
    sa.column("reporting", sa.String),
)
organisations = sa.table("organisations", sa.column("id", sa.Integer), sa.column("size", sa.String))
figures = sa.table(
    "contract_figures",
    sa.column("return_line_id", sa.Integer),
    sa.column("contract_id", sa.Integer),
    sa.column("value", sa.Numeric(14, 2)),
)
contracts = sa.table(
    "contracts",
    sa.column("id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("value", sa.Numeric(14, 2)),
    sa.column("start_date", sa.Date),
    sa.column("end_date", sa.Date),
)


def upgrade():
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flag_reasons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("flag_explanation", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("flag_checked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("flag_checked_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_return_lines_flag_checked_by_id_users", "users", ["flag_checked_by_id"], ["id"]
        )
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "plausibility_contract_share",
                sa.Numeric(7, 2),
                server_default="100",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "plausibility_size_band", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "plausibility_median_multiple",
                sa.Numeric(7, 2),
                server_default="10",
                nullable=False,
            )
        )
    _flag_existing_figures(op.get_bind())


def downgrade():
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_column("plausibility_median_multiple")
        batch_op.drop_column("plausibility_size_band")
        batch_op.drop_column("plausibility_contract_share")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_constraint("fk_return_lines_flag_checked_by_id_users", type_="foreignkey")
        batch_op.drop_column("flag_checked_at")
        batch_op.drop_column("flag_checked_by_id")
        batch_op.drop_column("flag_explanation")
        batch_op.drop_column("flag_reasons")


def _money(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def _fte(value: Decimal) -> str:
    return f"{Decimal(value).normalize():,f} FTE"


def _days(start: date, end: date, other_start: date, other_end: date) -> int:
    return max(0, (min(end, other_end) - max(start, other_start)).days + 1)


def _flag_existing_figures(connection) -> None:
    reasons: dict[int, list[str]] = {}
    per_contract_money = connection.execute(
        sa.select(
            return_lines.c.id,
            figures.c.value,
            contracts.c.title,
            contracts.c.value,
            contracts.c.start_date,
            contracts.c.end_date,
            returns.c.period_start,
            returns.c.period_end,
        )
        .select_from(figures)
        .join(return_lines, return_lines.c.id == figures.c.return_line_id)
        .join(contracts, contracts.c.id == figures.c.contract_id)
        .join(returns, returns.c.id == return_lines.c.return_id)
        .join(measures, measures.c.id == return_lines.c.measure_id)
        .where(
            measures.c.unit == "GBP",
            measures.c.reporting == "per_contract",
            figures.c.value.is_not(None),
        )
        .order_by(return_lines.c.id, contracts.c.start_date, contracts.c.id)
    )
    for line_id, value, title, worth, start, end, period_start, period_end in per_contract_money:
        term = (end - start).days + 1
        share = (
            (Decimal(worth) * _days(period_start, period_end, start, end) / term).quantize(PENNY)
            if term > 0
            else Decimal(0)
        )
        if Decimal(value) > share:
            reasons.setdefault(line_id, []).append(
                f"{_money(value)} for {title} is more than the contract's value for the period "
                f"({_money(share)}: {_money(worth)} pro rata)"
            )
    fte = connection.execute(
        sa.select(return_lines.c.id, return_lines.c.actual_value, organisations.c.size)
        .select_from(return_lines)
        .join(returns, returns.c.id == return_lines.c.return_id)
        .join(organisations, organisations.c.id == returns.c.organisation_id)
        .join(measures, measures.c.id == return_lines.c.measure_id)
        .where(measures.c.unit == "FTE", return_lines.c.actual_value.is_not(None))
    )
    for line_id, value, size in fte:
        most = SIZE_BAND_MOST_EMPLOYEES.get(size)
        if most is not None and Decimal(value) > most:
            reasons.setdefault(line_id, []).append(
                f"{_fte(value)} is more than an organisation of its size ({SIZE_LABELS[size]}) "
                "can employ"
            )
    for line_id, found in reasons.items():
        connection.execute(
            return_lines.update().where(return_lines.c.id == line_id).values(flag_reasons=found)
        )
