"""Writing a batch in a few statements: the same rows as one at a time, rows already there
skipped, and a row changed by someone else since it was read refused as the ORM's flush would
refuse it (so the reviews can redo that batch one organisation at a time)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import Organisation, OutboxEmail, Signing
from charter.models.schedule import ScheduledNotice
from charter.services.domain.signings import signing_of
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


def _signings(scheme, count: int):
    """Monitored organisations' signings (their lifecycles, version-counted), read as a
    review's batch reads them."""
    signings = [
        signing_of(make_organisation(scheme=scheme, status="monitoring")) for _ in range(count)
    ]
    for signing in signings:
        db.session.refresh(signing)
    return signings


def test_update_versioned_writes_the_changes_and_bumps_the_version(app, scheme):
    signings = _signings(scheme, 3)
    for signing in signings[:2]:
        signing.status = "lapsed"

    update_versioned(signings)
    if db.engine.dialect.name == "postgresql":  # written: the flush has nothing left to write
        assert not any(db.session.is_modified(s) for s in signings)
    db.session.commit()
    db.session.expire_all()

    assert [(s.status, s.version_id) for s in signings] == [
        ("lapsed", 2),
        ("lapsed", 2),
        ("monitoring", 1),
    ]


def test_update_versioned_refuses_a_row_changed_since_it_was_read(app, scheme):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("elsewhere the ORM's flush writes and checks each row")
    signing, other = _signings(scheme, 2)
    # Someone else changes the first signing after it was read.
    db.session.execute(
        update(Signing.__table__)
        .where(Signing.__table__.c.id == signing.id)
        .values(version_id=Signing.__table__.c.version_id + 1),
    )
    signing.status = other.status = "lapsed"

    with pytest.raises(StaleDataError):
        update_versioned([signing, other])
