"""The scheme's contract monitoring rules on the apply page: a contract confirmed by its
commissioner (require_confirmed_contract) and a share of endorsed per-contract figures
(require_endorsed_figures), through HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Contract, ContractFigure, ReturnLine
from charter.models.assessment import Application
from tests.factories import csrf_token
from tests.organisation.application_helpers import apply_url, ready_to_apply

NOT_CONFIRMED = "Have at least one contract confirmed by its commissioner"


def _apply(client, organisation):
    return client.post(
        apply_url(organisation),
        data={"declaration": "y", "csrf_token": csrf_token(client, apply_url(organisation))},
    )


def _applications() -> int:
    return db.session.scalar(select(func.count()).select_from(Application))


def test_apply_is_refused_while_no_contract_is_confirmed_with_the_reason_shown(
    member_client, organisation, scheme
):
    ready_to_apply(organisation, scheme, confirmed=False)
    page = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert NOT_CONFIRMED in page
    assert "Apply for the Charter Mark</button>" not in page

    response = _apply(member_client, organisation)
    assert response.status_code == 409
    assert NOT_CONFIRMED in response.get_data(as_text=True)
    db.session.expire_all()
    assert _applications() == 0 and organisation.status == "monitoring"

    # The commissioner confirms it: now the organisation may apply.
    contract = db.session.scalar(select(Contract))
    contract.confirmation_status = "confirmed"
    db.session.commit()
    assert NOT_CONFIRMED not in member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert _apply(member_client, organisation).status_code == 303
    assert _applications() == 1


def test_a_scheme_may_do_without_confirmation(member_client, organisation, scheme):
    scheme.require_confirmed_contract = False
    ready_to_apply(organisation, scheme, confirmed=False)
    assert NOT_CONFIRMED not in member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert _apply(member_client, organisation).status_code == 303


@pytest.mark.usefixtures("on_fixture_day")
def test_a_scheme_may_require_a_share_of_endorsed_figures(member_client, organisation, scheme):
    scheme.require_endorsed_figures = Decimal(50)
    ready_to_apply(organisation, scheme)
    contract = db.session.scalar(select(Contract))
    lines = list(db.session.scalars(select(ReturnLine).order_by(ReturnLine.id)))
    figures = [
        ContractFigure(return_line_id=line.id, contract_id=contract.id, value=Decimal(100))
        for line in lines[:2]
    ]
    # A "not on a listed contract" figure has no commissioner to endorse it: not counted.
    figures.append(ContractFigure(return_line_id=lines[2].id, contract_id=None, value=5))
    db.session.add_all(figures)
    db.session.commit()

    page = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert "Have at least 50% of your per-contract figures endorsed by the commissioners" in page
    assert "0 of 2 are endorsed from 1 January 2026 to date (0%)" in page
    assert _apply(member_client, organisation).status_code == 409

    figures[0].endorsement_status = "endorsed"
    db.session.commit()
    page = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert "Have at least 50%" not in page
    assert "1 of 2 endorsed from 1 January 2026 to date" in page  # the checklist, now done
    assert _apply(member_client, organisation).status_code == 303
