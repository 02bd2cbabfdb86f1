"""A contract's social value record after award (issue 21), for its pages and the
administrators' report: the weighting at award, the alternatives proposed and decided, and the
service credits applied; and, per contract of a charter, what was committed, delivered,
substituted and credited.

The contract pages (the supplier's and the contract manager's) show ``for_contract``; the
administrators' report (charter/admin/views/contract_report.py) downloads ``report_tables`` as
CSV and Excel (charter.services.infrastructure.spreadsheets); its credited totals come from
``substitutions_and_credits``, the read the contract managers' report shows its substitutions
and credits from. A fixed number of queries whatever the number of contracts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    Charter,
    CharterCommissioner,
    Commissioner,
    CommitmentAlternative,
    Contract,
    Organisation,
    Scheme,
    ServiceCredit,
)
from charter.models.scheme import ACHIEVEMENT
from charter.services.domain import commitment_alternatives, service_credits
from charter.services.read_models import commitments, substitutions_and_credits
from charter.services.read_models.delivery import (
    DELIVERED_HEADINGS,
    delivered_columns,
    delivered_text,
)


@dataclass(frozen=True)
class ContractSocialValue:
    weighting: Decimal | None
    weighting_charter: str | None  # the charter whose bands gave it
    alternatives: list[CommitmentAlternative]
    credits: list[ServiceCredit]
    credits_scheme: Scheme | None  # whose service credits apply to the contract, if any
    # What each open alternative and its original are worth today, for the contract manager.
    valuations: dict[int, commitment_alternatives.Valuation] = field(default_factory=dict)

    @property
    def credited(self) -> Decimal:
        return sum((c.amount for c in self.credits), Decimal(0))


def for_contract(contract: Contract) -> ContractSocialValue:
    charter_name = None
    if contract.award_weighting_charter_id is not None:
        charter_name = db.session.scalar(
            select(Charter.name).where(Charter.id == contract.award_weighting_charter_id)
        )
    alternatives = commitment_alternatives.alternatives_of(contract)
    today, values = date.today(), {}
    return ContractSocialValue(
        weighting=contract.award_weighting,
        weighting_charter=charter_name,
        alternatives=alternatives,
        credits=service_credits.credits_of(contract),
        credits_scheme=service_credits.scheme_for_credits(contract),
        valuations={
            a.id: commitment_alternatives.valuation(a, today, values)
            for a in alternatives
            if a.status == "proposed"
        },
    )


# --- the administrators' report ---------------------------------------------------------------


@dataclass
class Table:
    """A report table as charter.services.infrastructure.spreadsheets writes it."""

    key: str
    title: str
    headings: list[str]
    rows: list[list] = field(default_factory=list)

    @staticmethod
    def values(row: list) -> list:
        return row


CONTRACT_HEADINGS = [
    "Supplier",
    "Contract",
    "Reference",
    "Commissioner",
    "Value (£)",
    "Weighting at award (%)",
    "Commitments made at tender",
    "Alternatives accepted",
    "Commitments delivered in full",
    "Commitments substituted",
    "Alternatives refused",
    "Service credits (£)",
]
COMMITMENT_HEADINGS = [
    "Supplier",
    "Contract",
    "Reference",
    "Measure",
    "Measure title",
    "Unit",
    "Pledge",
    "Committed",
    "Delivered to date",
    *DELIVERED_HEADINGS,
    "Status",
]


@dataclass(frozen=True)
class CommitmentLine:
    """A row of the commitments table: the page renders its figures by the kind of value
    (templates/components/commitment-figures.html), the downloads by ``CommitmentsTable``."""

    supplier: str
    contract: Contract
    progress: commitments.CommitmentProgress

    @property
    def status(self) -> str:
        return _status(self.progress)

    @property
    def shows_delivered(self) -> bool:
        """Whether anything is delivered for the contract: not for a measure reported for the
        whole organisation (but a pledge's, or an achievement's date)."""
        row = self.progress
        return row.is_followed or row.measure.unit == ACHIEVEMENT


@dataclass
class CommitmentsTable(Table):
    def values(self, line: CommitmentLine) -> list:  # type: ignore[override]
        r = line.progress
        delivered = (
            delivered_columns(r.measure, r.delivered, r.second, r.achieved_on)
            if line.shows_delivered
            else [None, None, delivered_text(r.measure, None)]
        )
        return [
            line.supplier,
            line.contract.title,
            line.contract.reference or "",
            r.measure.code,
            r.measure.title,
            r.measure.unit_label,
            r.pledge or "",
            "As pledged" if r.pledge else r.committed,
            r.delivered,
            *delivered,
            line.status,
        ]


def delivered_in_full(row: commitments.CommitmentProgress) -> bool:
    """A target met, or an achievement achieved; never a substituted commitment, nor a
    pledge of figures, whose numbers are no target to compare with."""
    if row.substituted:
        return False
    if row.measure.unit == ACHIEVEMENT:
        return row.achieved_on is not None
    if row.committed is None or row.delivered is None:
        return False
    return row.delivered >= row.committed


def _status(row) -> str:
    if row.substituted:
        return "Substituted"
    if row.replaces_code:
        return f"Alternative to {row.replaces_code}"
    return "Committed at tender"


def report_tables(charter_id: int, at: date | None = None) -> list[Table]:
    """Per contract counting for the charter (its commissioner takes part), and per commitment."""
    counting = Contract.commissioner_id.in_(
        select(CharterCommissioner.commissioner_id).where(
            CharterCommissioner.charter_id == charter_id
        )
    )
    contracts = db.session.execute(
        select(Contract, Organisation.name, Commissioner.name)
        .join(Organisation, Organisation.id == Contract.organisation_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .where(counting)
        .order_by(func.lower(Organisation.name), Contract.start_date.desc(), Contract.id)
    ).all()
    ids = [contract.id for contract, _supplier, _commissioner in contracts]
    credited = substitutions_and_credits.credited_totals(ids)
    refused: Counter[int] = Counter()
    if ids:
        for contract_id, count in db.session.execute(
            select(CommitmentAlternative.contract_id, func.count())
            .where(
                CommitmentAlternative.contract_id.in_(ids),
                CommitmentAlternative.status == "refused",
            )
            .group_by(CommitmentAlternative.contract_id)
        ):
            refused[contract_id] = count
    progress = {
        item.contract.id: item
        for item in commitments.for_contracts(Contract.id.in_(ids), at).contracts
    }
    by_contract = Table("contracts", "Contracts", CONTRACT_HEADINGS)
    by_commitment = CommitmentsTable("commitments", "Commitments", COMMITMENT_HEADINGS)
    for contract, supplier, commissioner in contracts:
        rows = progress[contract.id].rows if contract.id in progress else ()
        by_contract.rows.append(
            [
                supplier,
                contract.title,
                contract.reference or "",
                commissioner,
                contract.value,
                contract.award_weighting,
                sum(1 for r in rows if not r.replaces_code),
                sum(1 for r in rows if r.replaces_code),
                sum(1 for r in rows if delivered_in_full(r)),
                sum(1 for r in rows if r.substituted),
                refused[contract.id],
                credited[contract.id],
            ]
        )
        by_commitment.rows.extend(CommitmentLine(supplier, contract, r) for r in rows)
    return [by_contract, by_commitment]
