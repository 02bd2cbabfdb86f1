"""Rows of plain columns read on the session's connection give what ``Session.execute`` gives,
including what the session has changed and not yet written (its autoflush)."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from charter.extensions import db
from charter.models import Organisation
from charter.services.infrastructure.column_reads import column_rows
from tests.factories import make_organisation


def test_the_rows_are_those_the_session_reads(app):
    for name in ("Alder Trust", "Birch Ltd", "Cedar CIC"):
        make_organisation(name=name)
    db.session.commit()
    statement = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    assert [tuple(row) for row in column_rows(statement)] == [
        tuple(row) for row in db.session.execute(statement).all()
    ]


def test_a_change_not_yet_written_is_read(app):
    organisation = make_organisation(name="Alder Trust")
    db.session.commit()
    # Read before the change: reading an attribute expired by the commit would flush it.
    statement = select(Organisation.name).where(Organisation.id == organisation.id)
    organisation.name = "Alder Housing Trust"
    assert column_rows(statement)[0].name == "Alder Housing Trust"
    db.session.rollback()
    assert column_rows(statement)[0].name == "Alder Trust"


def test_parameters_are_bound(app):
    organisation = make_organisation(name="Alder Trust")
    db.session.commit()
    statement = select(Organisation.name).where(Organisation.id == bindparam("wanted"))
    assert [row.name for row in column_rows(statement, {"wanted": organisation.id})] == [
        "Alder Trust"
    ]
