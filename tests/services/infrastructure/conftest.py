"""Fixtures for the evidence and storage tests: a draft return line for evidence to hang from,
and a way to store a file on it."""

from __future__ import annotations

import pytest

from tests.services.infrastructure import storage_helpers


@pytest.fixture
def line(organisation):
    return storage_helpers.make_line(organisation)


@pytest.fixture
def store_file(organisation, line, member):
    """Store ``data`` as evidence on ``line``, as the organisation's member."""

    def _store(data: bytes, filename: str = "evidence.pdf"):
        return storage_helpers.store(line, organisation, member, data, filename)

    return _store
