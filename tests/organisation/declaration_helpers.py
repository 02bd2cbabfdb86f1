"""Shared steps for the minimum standards and self-assessment tests: the councils' scheme files,
a signatory of one, and the service's clock moved (the service reads Python's clock, so
time-machine moves it: tests/travel.py), relative to the day the test runs, so the tests pass
on any date (CHARTER_TEST_TODAY too)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path

import time_machine

from charter.extensions import db
from charter.models.signing import acting_in
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_organisation, make_user, sign_in

SCHEMES = Path(__file__).resolve().parents[2] / "schemes"
CHESHIRE_WEST = "cheshire-west-and-chester"
WARWICKSHIRE = "warwickshire"


def load_council(name: str, extra: str = ""):
    """A council's scheme file as it is in schemes/ (with ``extra`` appended: a test fixture)."""
    text = (SCHEMES / f"{name}.toml").read_text(encoding="utf-8") + extra
    scheme = load_scheme_text(text).scheme
    db.session.commit()
    return scheme


def signatory_of(scheme, client, email: str, district: str, status: str = "signatory"):
    """A signatory of ``scheme``'s charter whose owner (``email``) is signed in on ``client``."""
    owner = make_user(email=email, full_name="Sam Owner")
    organisation = make_organisation(owner=owner, scheme=scheme, status=status, district=district)
    sign_in(client, owner.email)
    return organisation, owner


@contextmanager
def on_day(day: date) -> Iterator[date]:
    """The service's clock on ``day`` (midday UTC, running)."""
    with time_machine.travel(datetime.combine(day, time(12), tzinfo=UTC), tick=True):
        yield day


def acting(scheme):
    """Services called by a test act in the charter of ``scheme``, as its pages do."""
    return acting_in(scheme.charter_id)


def signed_in_client(app, email: str):
    """A new browser signed in as ``email``: after the clock moves a year, the old one's session
    has expired, as a person's would."""
    client = app.test_client()
    sign_in(client, email)
    return client
