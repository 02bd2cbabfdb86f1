"""Writing a batch in a few statements: the same rows as one at a time, rows already there
skipped, and a row changed by someone else since it was read refused as the ORM's flush would
refuse it (so the reviews can redo that batch one organisation at a time)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import Organisation, OutboxEmail
from charter.models.schedule import ScheduledNotice
from charter.services.infrastructure.bulk_insert import (
    among,
    insert_ignoring,
    insert_many,
    update_versioned,
)
from tests.factories import make_organisation


def test_among_matches_the_values_given_however_many(app, scheme):
    ids = [make_organisation(scheme=scheme).id for _ in range(3)]
    found = db.session.scalars(select(Organisation.id).where(among(Organisation.id, ids[:2])))
    assert sorted(found) == ids[:2]
    assert db.session.scalars(select(Organisation.id).where(among(Organisation.id, []))).all() == []


def test_insert_ignoring_returns_only_the_rows_inserted_now(app, scheme):
    org = make_organisation(scheme=scheme)
    rows = [{"organisation_id": org.id, "kind": "k", "subject_key": f"s{n}"} for n in range(3)]
    first = insert_ignoring(
        ScheduledNotice, rows[:2], ["kind", "subject_key"], (ScheduledNotice.subject_key,)
    )
    again = insert_ignoring(
        ScheduledNotice, rows, ["kind", "subject_key"], (ScheduledNotice.subject_key,)
    )
    db.session.commit()
    assert sorted(r[0] for r in first) == ["s0", "s1"]
    assert [r[0] for r in again] == ["s2"]
    assert db.session.scalar(select(text("count(*)")).select_from(ScheduledNotice)) == 3


def test_insert_many_keeps_text_and_json_exactly(app):
    rows = [
        {
            "to_address": "a@example.com",
            "subject": "S",
            "body": "Dear Zoë,\n\x01 '%s' {x}",
            "headers": {"List-Unsubscribe": "<https://x/u/a.b>"},
        },
        {"to_address": "b@example.com", "subject": "S", "body": "", "headers": None},
    ]
    assert insert_many(OutboxEmail, rows) == 2
    db.session.commit()
    stored = db.session.execute(
        select(OutboxEmail.to_address, OutboxEmail.body, OutboxEmail.headers).order_by(
            OutboxEmail.id
        )
    ).all()
    assert [tuple(r) for r in stored] == [(r["to_address"], r["body"], r["headers"]) for r in rows]


def test_update_versioned_writes_the_changes_and_bumps_the_version(app, scheme):
    orgs = [make_organisation(scheme=scheme, status="monitoring") for _ in range(3)]
    for org in orgs:
        db.session.refresh(org)  # read, as a review's batch reads them
    for org in orgs[:2]:
        org.status = "lapsed"

    update_versioned(orgs)
    if db.engine.dialect.name == "postgresql":  # written: the flush has nothing left to write
        assert not any(db.session.is_modified(o) for o in orgs)
    db.session.commit()
    db.session.expire_all()

    assert [(o.status, o.version_id) for o in orgs] == [
        ("lapsed", 2),
        ("lapsed", 2),
        ("monitoring", 1),
    ]


def test_update_versioned_refuses_a_row_changed_since_it_was_read(app, scheme):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("elsewhere the ORM's flush writes and checks each row")
    org = make_organisation(scheme=scheme, status="monitoring")
    other = make_organisation(scheme=scheme, status="monitoring")
    db.session.refresh(org)
    db.session.refresh(other)
    # Someone else changes the first organisation after it was read.
    db.session.execute(
        update(Organisation.__table__)
        .where(Organisation.__table__.c.id == org.id)
        .values(version_id=Organisation.__table__.c.version_id + 1),
    )
    org.status = other.status = "lapsed"

    with pytest.raises(StaleDataError):
        update_versioned([org, other])
