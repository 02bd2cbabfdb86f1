from pathlib import Path

from sqlalchemy import func, select

from charter.models import Scheme
from charter.services.domain.signings import signing_of
from tests.factories import make_organisation

DEFAULT = Path(__file__).resolve().parents[2] / "schemes" / "supporting-the-local-economy.toml"


def _schemes(db) -> list[Scheme]:
    return list(db.session.scalars(select(Scheme).order_by(Scheme.version)))


def test_loading_the_same_scheme_twice_keeps_one_version(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["charter", "load-scheme"])
    second = runner.invoke(args=["charter", "load-scheme", str(DEFAULT)])

    assert (
        first.exit_code == 0
        and "Loaded 'Supporting the local economy' as version 1" in first.output
    )
    assert second.exit_code == 0 and "already current; nothing changed" in second.output
    assert db.session.scalar(select(func.count()).select_from(Scheme)) == 1


def test_a_changed_file_becomes_version_2_and_organisations_keep_theirs(app, db, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["charter", "load-scheme"])
    version_1 = _schemes(db)[0]
    organisation = make_organisation(scheme=version_1)
    changed = tmp_path / "changed.toml"
    changed.write_text(DEFAULT.read_text().replace("validity_months = 24", "validity_months = 36"))

    result = runner.invoke(args=["charter", "load-scheme", str(changed)])

    assert result.exit_code == 0, result.output
    assert "as version 2" in result.output
    db.session.expire_all()
    old, new = _schemes(db)
    assert (old.version, old.is_current, old.validity_months) == (1, False, 24)
    assert (new.version, new.is_current, new.validity_months) == (2, True, 36)
    db.session.refresh(organisation)
    assert signing_of(organisation).scheme_id == old.id


def test_an_invalid_file_is_refused_with_a_clear_message(app, db, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(DEFAULT.read_text().replace('unit = "weeks"', 'unit = "fortnights"', 1))

    result = app.test_cli_runner().invoke(args=["charter", "load-scheme", str(broken)])

    assert result.exit_code != 0
    assert "broken.toml" in result.output and "unit 'fortnights'" in result.output
    assert _schemes(db) == []


def test_a_missing_file_is_refused_with_a_clear_message(app, db, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["charter", "load-scheme", str(tmp_path / "nowhere.toml")]
    )
    assert result.exit_code != 0
    assert "nowhere.toml" in result.output and "No such file" in result.output
    assert _schemes(db) == []
