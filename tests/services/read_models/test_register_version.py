"""The register's version moves with every committed change to what it publishes, and only
then: the ETags and per-process caches of the public pages rest on it."""

from __future__ import annotations

from charter.extensions import db
from charter.models import Organisation, ReturnLine, User
from charter.services.read_models import register_version
from tests.factories import make_organisation, make_user


def version() -> int:
    return register_version.current().version


def test_an_orm_change_bumps_once_per_commit(app, scheme):
    before = version()
    organisation = make_organisation(scheme=scheme, name="Counted Ltd", status="signatory")
    assert version() == before + 1
    organisation.name = "Renamed Ltd"
    organisation.town = "Ludlow"
    db.session.commit()
    assert version() == before + 2


def test_a_bulk_statement_bumps(app, scheme):
    make_organisation(scheme=scheme, name="Bulk Ltd", status="signatory")
    before = version()
    db.session.execute(db.update(Organisation).values(town="Wem"))
    db.session.commit()
    assert version() == before + 1


def test_unrelated_changes_and_rollbacks_do_not_bump(app, scheme):
    organisation = make_organisation(scheme=scheme, name="Steady Ltd", status="signatory")
    before = version()
    make_user(email="someone@example.com")
    db.session.commit()
    organisation.name = "Never Saved Ltd"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert version() == before
    assert db.session.get(User, 1) is not None


def test_the_cache_is_emptied_when_the_version_moves(app):
    cache = register_version.VersionCache(size=2)
    calls = []

    def compute(value):
        def inner():
            calls.append(value)
            return value

        return inner

    assert cache.get(1, "a", compute("one")) == "one"
    assert cache.get(1, "a", compute("other")) == "one"
    assert cache.get(2, "a", compute("two")) == "two"
    cache.get(2, "b", compute("b"))
    cache.get(2, "c", compute("c"))  # the oldest entry makes room
    assert len(cache.values) == 2
    assert calls == ["one", "two", "b", "c"]


def test_a_process_reuses_the_version_for_a_moment_but_sees_its_own_changes(app, scheme):
    app.config["REGISTER_VERSION_TTL"] = 60
    make_organisation(scheme=scheme, name="Held Ltd", status="signatory")
    first = register_version.current()
    # Changed elsewhere (a raw write, as another process's would look): not seen yet.
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE register_state SET version = version + 10")
    assert register_version.current() == first
    # Changed here: seen at once.
    make_organisation(scheme=scheme, name="Seen Ltd", status="signatory")
    assert register_version.current().version == first.version + 11


def test_plans_returns_and_contracts_move_only_the_pages_version(app, scheme):
    from tests.factories import make_approved_plan, make_return

    organisation = make_organisation(scheme=scheme, name="Paged Ltd", status="monitoring")
    before = register_version.current()
    assert before.pages_version >= before.version  # every register change moved both
    measures = make_approved_plan(organisation, scheme, {"LE1": ("0", "10")})
    draft = make_return(organisation, measures, 1, {"LE1": "5"}, status="draft")
    db.session.execute(
        db.update(ReturnLine).where(ReturnLine.return_id == draft.id).values(narrative="Edited")
    )
    db.session.commit()
    after = register_version.current()
    assert after.version == before.version
    assert after.pages_version == before.pages_version + 3
    organisation.town = "Wem"
    db.session.commit()
    last = register_version.current()
    assert (last.version, last.pages_version) == (after.version + 1, after.pages_version + 1)
