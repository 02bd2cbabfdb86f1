"""`flask charter create-charter FILE --administrator EMAIL`: a service administrator sets up a
charter from a scheme file and appoints its first administrator, an existing account."""

from __future__ import annotations

from sqlalchemy import func, select

from charter.models import Charter, Scheme, User
from charter.services.domain import staff
from tests.factories import make_user
from tests.services.domain.scheme_text_helpers import another_charter, default_text


def _file(tmp_path, text: str, name: str = "charter.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_charter_is_created_with_its_scheme_and_first_administrator(app, db, tmp_path):
    make_user("lead@council.example", role="member")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "charter",
            "create-charter",
            _file(tmp_path, default_text()),
            "--administrator",
            " Lead@Council.example ",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created the charter 'Social Value Charter for Shropshire' (shropshire)" in (
        result.output
    )
    assert "run by Social Value Group" in result.output
    assert "as version 1" in result.output
    assert (
        "lead@council.example is now an administrator of Social Value Charter for Shropshire"
        in result.output
    )
    db.session.expire_all()
    charter = db.session.scalar(select(Charter))
    scheme = db.session.scalar(select(Scheme))
    assert scheme.charter_id == charter.id
    user = db.session.scalar(select(User).where(User.email == "lead@council.example"))
    # An administrator of this charter, not of the service.
    assert staff.roles_in(user, charter) == {"administrator"} and not user.service_admin

    # A second charter beside it; its administrator may administer another already.
    again = runner.invoke(
        args=[
            "charter",
            "create-charter",
            _file(tmp_path, another_charter(), "worcestershire.toml"),
            "--administrator",
            "lead@council.example",
        ]
    )
    assert again.exit_code == 0, again.output
    assert "is now an administrator of" in again.output
    shropshire, worcestershire = db.session.scalars(select(Charter).order_by(Charter.id))
    assert (shropshire.slug, worcestershire.slug) == ("shropshire", "worcestershire")
    staff.forget_roles(user)
    assert staff.is_administrator(user, shropshire) and staff.is_administrator(user, worcestershire)


def test_an_existing_slug_is_refused_and_nothing_changes(app, db, tmp_path):
    make_user("lead@council.example")
    db.session.commit()
    runner = app.test_cli_runner()
    path = _file(tmp_path, default_text())
    args = ["charter", "create-charter", path, "--administrator", "lead@council.example"]
    assert runner.invoke(args=args).exit_code == 0
    changed = _file(tmp_path, default_text().replace("validity_months = 24", "validity_months = 6"))

    result = runner.invoke(args=["charter", "create-charter", changed, *args[3:]])

    assert result.exit_code == 1
    assert "a charter with the slug 'shropshire' exists already" in result.output
    assert "flask charter load-scheme FILE" in result.output
    assert (_count(db, Charter), _count(db, Scheme)) == (1, 1)


def test_the_administrator_must_be_an_existing_confirmed_account(app, db, tmp_path):
    runner = app.test_cli_runner()
    path = _file(tmp_path, default_text())

    nobody = runner.invoke(
        args=["charter", "create-charter", path, "--administrator", "new@council.example"]
    )
    assert nobody.exit_code == 1
    assert "There is no account with the email address new@council.example" in nobody.output

    make_user("unconfirmed@council.example", verified=False)
    db.session.commit()
    unconfirmed = runner.invoke(
        args=["charter", "create-charter", path, "--administrator", "unconfirmed@council.example"]
    )
    assert unconfirmed.exit_code == 1
    assert "has not confirmed their email address" in unconfirmed.output
    db.session.expire_all()
    assert (_count(db, Charter), _count(db, Scheme)) == (0, 0)

    missing = runner.invoke(args=["charter", "create-charter", path])
    assert missing.exit_code == 2 and "--administrator" in missing.output


def test_a_file_without_a_charter_table_or_with_a_bad_one_is_refused(app, db, tmp_path):
    make_user("lead@council.example")
    db.session.commit()
    runner = app.test_cli_runner()
    older = default_text().replace("[charter]\n", "[unused]\n")
    bad = default_text().replace('slug = "shropshire"', 'slug = "Shropshire!"')
    for text, message in (
        (older, "the file has no [charter] table: a new charter needs one"),
        (bad, "[charter]: 'slug' must be lower-case letters"),
    ):
        result = runner.invoke(
            args=[
                "charter",
                "create-charter",
                _file(tmp_path, text),
                "--administrator",
                "lead@council.example",
            ]
        )
        assert result.exit_code == 1 and message in result.output, result.output
    assert _count(db, Charter) == 0
