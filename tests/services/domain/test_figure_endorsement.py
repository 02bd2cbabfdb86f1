"""Rules of contract monitoring that the pages do not reach on their own."""

from __future__ import annotations

from charter.extensions import db
from charter.models.base import utcnow
from charter.services.domain.figure_endorsement import figure_changed
from tests.commissioner.monitoring_helpers import figures_of, make_period
from tests.factories import make_commissioner, make_contract, make_organisation


def test_a_changed_figure_loses_its_endorsement_but_keeps_a_query(app, scheme):
    supplier = make_organisation(scheme=scheme, status="monitoring")
    contract = make_contract(supplier, make_commissioner())
    make_period(supplier, scheme, 0, {contract: {"LE1": "10", "LE4": "1"}})
    endorsed, queried = figures_of(contract)
    endorsed.endorsement_status = "endorsed"
    endorsed.endorsed_at = utcnow()
    queried.endorsement_status = "queried"
    queried.query_comment = "Why?"
    figure_changed(endorsed)
    figure_changed(queried)
    db.session.commit()
    endorsed, queried = figures_of(contract)
    assert (endorsed.endorsement_status, endorsed.endorsed_at) == ("not_endorsed", None)
    assert (queried.endorsement_status, queried.query_comment) == ("queried", "Why?")
