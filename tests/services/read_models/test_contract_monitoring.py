"""The endorsement read assessors' pages call: each figure's state, by figure id, one query."""

from __future__ import annotations

import pytest

from charter.extensions import db
from charter.models import ContractMonitoringEvent
from charter.models.base import utcnow
from charter.models.history import AppendOnlyError
from charter.services.read_models.contract_monitoring import endorsed_share, figure_endorsements
from tests.commissioner.monitoring_helpers import figures_of, make_manager, make_period
from tests.factories import make_commissioner, make_contract, make_organisation


def test_figure_endorsements_for_returns(app, scheme, query_counter):
    supplier = make_organisation(scheme=scheme, status="monitoring")
    council = make_commissioner("Shropshire Council")
    manager = make_manager(council, "cara@council.example", "Cara Contracts")
    contract = make_contract(supplier, council)
    first = make_period(
        supplier, scheme, 0, {contract: {"LE1": "10", "LE4": "2"}, None: {"LE1": "5"}}
    )
    second = make_period(supplier, scheme, 1, {contract: {"LE1": "20"}})
    endorsed, queried, later = figures_of(contract)
    endorsed.endorsement_status = "endorsed"
    endorsed.endorsed_by_id = manager.id
    endorsed.endorsed_at = utcnow()
    queried.endorsement_status = "queried"
    queried.queried_by_id = manager.id
    queried.query_comment = "Why?"
    db.session.commit()

    return_ids = [first.id, second.id]
    with query_counter() as counter:
        states = figure_endorsements(return_ids)
    assert counter.value == 1
    assert len(states) == 4
    assert states[endorsed.id].label == "Endorsed by the commissioner"
    assert states[endorsed.id].by == "Cara Contracts"
    assert states[endorsed.id].commissioner == "Shropshire Council"
    assert states[queried.id].query_comment == "Why?" and states[queried.id].by == "Cara Contracts"
    assert states[later.id].label == "Not endorsed"
    off_contract = next(s for s in states.values() if s.contract_id is None)
    assert off_contract.label == "Not on a listed contract"
    assert endorsed_share([first.id, second.id]) == (1, 3)
    assert figure_endorsements([]) == {}


def test_monitoring_events_are_append_only(app, scheme):
    supplier = make_organisation(scheme=scheme)
    council = make_commissioner()
    event = ContractMonitoringEvent(
        organisation_id=supplier.id,
        commissioner_id=council.id,
        actor_label="Test",
        action="contract_confirmed",
        subject="A contract",
    )
    db.session.add(event)
    db.session.commit()
    event.detail = "changed"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
