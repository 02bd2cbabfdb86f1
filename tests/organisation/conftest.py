"""Fixtures for the organisation pages' tests that more than one module uses."""

from __future__ import annotations

import pytest

from charter.extensions import db
from tests.factories import make_commissioner


@pytest.fixture
def signed(organisation):
    organisation.status = "signatory"
    organisation.route = "working_towards"
    db.session.commit()
    return organisation


@pytest.fixture
def council(app):
    return make_commissioner("Shropshire Council", org_id="GB-LAE-SHR")
