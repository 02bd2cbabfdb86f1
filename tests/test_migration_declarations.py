"""The migration of the minimum standards declarations and self-assessments (a3c8e5f1d270): two
new tables of a signing, and nothing to migrate (nobody had declared or assessed). Up on a
database with organisations and their signings, rows can be written; down again, the tables go
and the organisations and signings stay; up again, the tables are back, empty. SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from charter.extensions import db
from charter.models import SelfAssessment, Signing, StandardsDeclaration
from charter.services.domain.schemes import load_scheme_file
from tests.factories import make_organisation, make_user, signing_id_for
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.organisation.declaration_helpers import SCHEMES

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "a9c3e5f7b1d2"
DECLARATIONS = "a3c8e5f1d270"
TABLES = {"standards_declarations", "self_assessments"}


def _rows() -> None:
    scheme = load_scheme_file(str(SCHEMES / "cheshire-west-and-chester.toml")).scheme
    db.session.commit()
    owner = make_user(email="owner@migration.example")
    organisation = make_organisation(owner=owner, scheme=scheme, status="signatory")
    signing_id = signing_id_for(organisation.id)
    db.session.add(
        StandardsDeclaration(
            organisation_id=organisation.id,
            signing_id=signing_id,
            scheme_id=scheme.id,
            standards=scheme.minimum_standards,
            declared_by_id=owner.id,
            lapses_on=date(2027, 12, 6),
        )
    )
    db.session.add(
        SelfAssessment(
            organisation_id=organisation.id,
            signing_id=signing_id,
            scheme_id=scheme.id,
            name="A self-assessment",
            answers=[{"code": "Q1", "theme": "JOBS", "question": "Q", "answer": "A", "score": 1}],
            score=1,
            best_score=2,
            level="Starting",
            completed_on=date(2026, 12, 6),
            completed_by_id=owner.id,
            published=True,
        )
    )
    db.session.commit()


@pytest.mark.usefixtures("empty_database_app")
def test_the_tables_come_and_go_and_the_signings_stay():
    upgrade()  # the rows are written by today's models
    _rows()
    assert db.session.scalar(select(func.count()).select_from(StandardsDeclaration)) == 1
    assert db.session.scalar(select(SelfAssessment.answers))[0]["score"] == 1
    db.session.remove()

    downgrade(revision=BEFORE)
    assert not TABLES & set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM signings")).scalar() == 1

    upgrade(revision=DECLARATIONS)
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 0
    assert db.session.scalar(select(func.count()).select_from(Signing)) == 1
