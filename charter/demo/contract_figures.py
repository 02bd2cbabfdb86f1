"""Demo per-contract figures and contract confirmations, for the returns builder
(charter.demo.returns): see ContractFigures."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from charter.extensions import db
from charter.models import ContractFigure
from charter.models.contract import CONTRACT_CONFIRMED
from charter.models.scheme import REPORTED_PER_CONTRACT


class ContractFigures:
    """Per-contract figures consistent with the organisation's contracts: each per-contract
    line's total is split across the contracts active in its period (dates overlap, recorded by
    the time the return was sent), in proportion to their values, sometimes with a share not on
    a listed contract; with no such contract the whole figure is not on a listed contract.

    It also has the commissioners confirm the contracts of an organisation that applied for the
    Charter Mark, before it applied (the scheme asks for a confirmed contract), and some others.
    Its own random stream, seeded by the organisation, so the rest of the demo is unchanged."""

    def __init__(self, organisation, contracts, ctx):
        self.contracts = contracts
        self.ctx = ctx
        self.rng = random.Random(f"contract-figures:{organisation.slug}")

    def confirm(self, schedule) -> None:
        now = self.ctx.now
        for contract in self.contracts:
            recorded = contract.created_at
            applied = schedule.apply_at is not None and recorded < schedule.apply_at
            if not applied and (self.rng.random() < 0.5 or recorded > now - timedelta(days=30)):
                continue
            latest = (schedule.apply_at if applied else now) - timedelta(days=2)
            days = max(1, min(21, (latest - recorded).days))
            contract.confirmation_status = CONTRACT_CONFIRMED
            contract.confirmed_at = recorded + timedelta(days=self.rng.randint(1, days))
            self.ctx.counts["contracts confirmed"] += 1

    def split(self, item) -> None:
        monitoring_return = item.monitoring_return
        sent_at = monitoring_return.first_submitted_at or self.ctx.now
        active = [
            c
            for c in self.contracts
            if c.start_date <= monitoring_return.period_end
            and c.end_date >= monitoring_return.period_start
            and c.created_at <= sent_at
        ]
        for line in item.lines:
            measure = self.ctx.measures[line.measure_id]
            if measure.reporting != REPORTED_PER_CONTRACT or line.actual_value is None:
                continue
            for contract_id, value in self._shares(line.actual_value, measure.unit, active):
                db.session.add(
                    ContractFigure(return_line_id=line.id, contract_id=contract_id, value=value)
                )
                self.ctx.counts["per-contract figures"] += 1

    def _shares(self, total: Decimal, unit: str, active) -> list[tuple[int | None, Decimal]]:
        if not active:
            return [(None, total)]
        step = Decimal("0.1") if unit == "FTE" else Decimal(1)
        off = Decimal(0)
        if self.rng.random() < 0.25:
            off = (total * Decimal(str(self.rng.uniform(0.05, 0.25)))).quantize(step, ROUND_DOWN)
        weights = [float(c.value) for c in active]
        left = total - off
        shares = []
        for contract, weight in zip(active[:-1], weights, strict=False):
            share = (left * Decimal(weight / sum(weights))).quantize(step, rounding=ROUND_DOWN)
            shares.append((contract.id, share))
        shares.append((active[-1].id, left - sum((v for _c, v in shares), Decimal(0))))
        if off:
            shares.append((None, off))
        return shares
