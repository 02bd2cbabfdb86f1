"""A small world for the contract managers' report, and a reader for the report page's tables.

Shropshire Council has two confirmed contracts with commitments and verified figures, one
contract waiting for confirmation and figures on a return not yet verified; Telford & Wrekin
Council has one contract with Mereside, which Shropshire's managers must never see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

from charter.extensions import db
from charter.models import ContractCommitment, ContractFigure, Membership, ReturnLine
from charter.models.monitoring import FIGURE_ENDORSED, FIGURE_QUERIED
from tests.commissioner.monitoring_helpers import make_manager, make_period, measures_by_code
from tests.factories import make_commissioner, make_contract, make_organisation

# make_period's quarter indexes: 1 = April to June 2025 (2025-26), 5 = April to June 2026 and
# 6 = July to September 2026 (2026-27), 7 = October to December 2026.
SHROPSHIRE_MANAGER = "contracts@shropshire.example"
TELFORD_MANAGER = "contracts@telford.example"


@dataclass
class ReportWorld:
    shropshire: object
    telford: object
    wrekin: object
    mereside: object
    meals: object  # Wrekin, Shropshire, confirmed: LE1 5,000 and LE4 2 FTE committed
    roads: object  # Mereside, Shropshire, confirmed, titled like a formula
    dinners: object  # Wrekin, Shropshire, waiting for confirmation
    parks: object  # Mereside, Telford, confirmed


def commit(scheme, contract, **targets) -> None:
    measures = measures_by_code(scheme)
    for code, target in targets.items():
        db.session.add(
            ContractCommitment(
                contract_id=contract.id,
                measure_id=measures[code].id,
                target_value=Decimal(str(target)),
            )
        )
    db.session.commit()


def report_world(scheme) -> ReportWorld:
    shropshire = make_commissioner("Shropshire Council")
    telford = make_commissioner("Telford & Wrekin Council")
    wrekin = make_organisation(scheme=scheme, status="monitoring", name="Wrekin Foods")
    mereside = make_organisation(scheme=scheme, status="monitoring", name="Mereside Builders")
    confirmed = {"confirmation_status": "confirmed"}
    meals = make_contract(wrekin, shropshire, title="Care meals", reference="SC-101", **confirmed)
    roads = make_contract(mereside, shropshire, title="=Highways", reference="SC-202", **confirmed)
    dinners = make_contract(wrekin, shropshire, title="School dinners")
    parks = make_contract(mereside, telford, title="Telford parks", **confirmed)
    commit(scheme, meals, LE1=5000, LE4=2)
    commit(scheme, roads, LE1=10000, LE5=20)
    commit(scheme, parks, LE1=800)

    first = make_period(wrekin, scheme, 5, {meals: {"LE1": "1000", "LE4": "1.5"}}, "verified")
    make_period(wrekin, scheme, 6, {meals: {"LE1": "1500", "LE4": "2"}}, "verified")
    make_period(wrekin, scheme, 7, {meals: {"LE1": "999"}, dinners: {"LE1": "50"}})
    make_period(mereside, scheme, 1, {roads: {"LE1": "250"}}, "verified")
    make_period(
        mereside, scheme, 5, {roads: {"LE1": "4000", "LE5": "6"}, parks: {"LE1": "700"}}, "verified"
    )
    # The meals figures of the first period are endorsed; the roads LE1 figure of 2026 queried.
    figures = db.select(ContractFigure).join(ContractFigure.line)
    for figure in db.session.scalars(figures.where(ReturnLine.return_id == first.id)):
        figure.endorsement_status = FIGURE_ENDORSED
    queried = db.session.scalars(
        figures.where(ContractFigure.contract_id == roads.id, ContractFigure.value == 4000)
    ).one()
    queried.endorsement_status = FIGURE_QUERIED
    db.session.commit()
    return ReportWorld(shropshire, telford, wrekin, mereside, meals, roads, dinners, parks)


def managers(world: ReportWorld) -> None:
    make_manager(world.shropshire, SHROPSHIRE_MANAGER)
    make_manager(world.telford, TELFORD_MANAGER, full_name="Tom Telford")


def join(user, organisation) -> None:
    db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role="owner"))
    db.session.commit()


class _Tables(HTMLParser):
    """Every table's rows as lists of cell texts, keyed by the heading above the table."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._heading: str | None = None
        self._in_heading = False
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "h3" and dict(attrs).get("id", "").startswith("measure-"):
            self._heading, self._in_heading = dict(attrs)["id"].removeprefix("measure-"), True
        elif tag == "tbody" and self._heading:
            self._table = self.tables.setdefault(self._heading, [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self._table[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tbody":
            self._table = None
        elif tag == "h3":
            self._in_heading = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """{measure code: [[contract, committed, delivered, share, endorsed], ...]}, totals last."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables
