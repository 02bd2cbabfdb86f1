"""A contract accepted from a published notice, confirmed, with verified figures its contract
manager endorsed, from an organisation on the register that publishes its figures: what a
charter's open contracting files publish (tests/public/test_open_contracting*.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from charter.extensions import db
from charter.models import AwardedSupplier, ContractFigure, ReturnLine
from charter.services.domain import contract_proposals, published_notices
from charter.services.domain.signings import signing_of
from tests.factories import make_approved_plan, make_commissioner, make_return
from tests.public.register_helpers import make_signatory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"
OCID = "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b"


def make_published(scheme, member):
    """Severn Valley Security: its Telford contract accepted from the notice and confirmed,
    one quarter's LE1 figure on it verified and endorsed; it publishes its figures."""
    make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    organisation = make_signatory(
        scheme, "Severn Valley Security", status="monitoring", identifier="09876543"
    )
    signing_of(organisation).publishes_figures = True
    organisation.ppon = "PWLK-4821-TRNV"
    db.session.commit()
    for name in ("cf-telford-and-wrekin.json", "invented-telford-award.json"):
        published_notices.import_file(str(FIXTURES / name), actor_label="test")
    db.session.commit()
    proposal = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == organisation.id)
    )
    contract = contract_proposals.accept(organisation, proposal, member)
    contract.confirmation_status = "confirmed"
    db.session.commit()
    measures = make_approved_plan(organisation, scheme, {"LE1": ("0", "1000")})
    monitoring_return = make_return(
        organisation, measures, 1, {"LE1": "1250.50"}, period=(date(2027, 1, 1), date(2027, 3, 31))
    )
    line = db.session.scalar(select(ReturnLine).where(ReturnLine.return_id == monitoring_return.id))
    figure = ContractFigure(
        return_line_id=line.id,
        contract_id=contract.id,
        value=Decimal("1250.50"),
        endorsement_status="endorsed",
        endorsed_at=datetime(2027, 4, 20, 10, 0),
    )
    db.session.add(figure)
    db.session.commit()
    return organisation, contract, monitoring_return, figure


def add_quarter(organisation, contract, scheme, period, values: dict[str, str]) -> None:
    """Another verified return on the contract, each figure endorsed."""
    from charter.models import Measure

    measures = {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }
    monitoring_return = make_return(organisation, measures, 1, values, period=period)
    for line in db.session.scalars(
        select(ReturnLine).where(ReturnLine.return_id == monitoring_return.id)
    ):
        code = next(c for c, m in measures.items() if m.id == line.measure_id)
        db.session.add(
            ContractFigure(
                return_line_id=line.id,
                contract_id=contract.id,
                value=Decimal(values[code]),
                endorsement_status="endorsed",
                endorsed_at=datetime(2027, 7, 20, 10, 0),
            )
        )
    db.session.commit()
