"""custom_plans(): a plan for each execution's own values inside it, the usual plans after it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from charter.extensions import db
from charter.services.infrastructure.query_plans import custom_plans


def test_each_execution_inside_is_planned_for_its_values_and_nothing_is_left_after(app):
    """Inside, statements go unnamed (PostgreSQL plans those at each bind, for their values):
    none is prepared however often it runs. SET LOCAL: nothing is left on the pooled
    connection for the next transaction."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no plan cache: custom_plans() does nothing there")
    with custom_plans(name_order=True):
        for _ in range(8):  # past psycopg's threshold of 5
            db.session.scalar(text("SELECT 2 WHERE 2 = :two"), {"two": 2})
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        assert prepared == 0
    for _ in range(8):  # outside, psycopg prepares as usual
        db.session.scalar(text("SELECT 2 WHERE 2 = :two"), {"two": 2})
    assert db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")) >= 1
    db.session.commit()
    assert db.session.scalar(text("SHOW enable_bitmapscan")) == "on"


def test_on_sqlite_it_runs_the_statements_unchanged(app):
    with custom_plans():
        assert db.session.scalar(text("SELECT 1")) == 1


def test_statements_inside_are_not_prepared_and_the_connection_is_left_as_it_was(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg prepares statements; SQLite's driver does not")
    driver = db.session.connection().connection.driver_connection
    before = driver.prepare_threshold
    with custom_plans(name_order=True):
        assert driver.prepare_threshold is None
        assert db.session.scalar(text("SHOW enable_bitmapscan")) == "off"
        for _ in range(8):  # past psycopg's threshold of 5
            db.session.scalar(text("SELECT 1 WHERE 1 = :one"), {"one": 1})
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        assert prepared == 0
    assert driver.prepare_threshold == before
    assert db.session.scalar(text("SHOW enable_bitmapscan")) == "on"


def test_in_autocommit_as_public_pages_read_the_setting_holds_inside_and_is_reset_after(app):
    """A public page reads in autocommit, where SET LOCAL does nothing: the setting must hold
    for the statements inside all the same, and be gone after."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    db.session.commit()
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    assert db.session.connection().connection.driver_connection.autocommit
    with custom_plans(name_order=True):
        assert db.session.scalar(text("SHOW enable_bitmapscan")) == "off"
        assert db.session.scalar(text("SHOW enable_bitmapscan")) == "off"
    assert db.session.scalar(text("SHOW enable_bitmapscan")) == "on"
    db.session.rollback()
