import pytest
from sqlalchemy import func, select

from charter.models import User
from charter.services.domain.accounts import check_password
from tests.factories import PASSWORD, make_user

GOOD_PASSWORD = "kettle lantern orchard"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _user(db, email):
    return db.session.scalar(select(User).where(User.email == email))


def test_create_service_admin_prompts_for_name_and_password(runner, db):
    result = runner.invoke(
        args=["charter", "create-service-admin", "Chief@Example.com"],
        input=f"Chris Chief\n{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created service administrator chief@example.com (Chris Chief)" in result.output
    user = _user(db, "chief@example.com")
    assert user.service_admin and user.is_verified and user.full_name == "Chris Chief"
    assert check_password(user.password_hash, GOOD_PASSWORD)
    assert GOOD_PASSWORD not in result.output, "the password is not echoed"


def test_create_service_admin_accepts_options_for_scripts(runner, db):
    result = runner.invoke(
        args=[
            "charter",
            "create-service-admin",
            "ops@example.com",
            "--name",
            "Ops",
            "--password",
            GOOD_PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert _user(db, "ops@example.com").service_admin


def test_create_service_admin_asks_again_for_a_weak_or_mismatched_password(runner, db):
    result = runner.invoke(
        args=["charter", "create-service-admin", "chief@example.com", "--name", "Chris Chief"],
        input="\n".join(["short", GOOD_PASSWORD, "a mismatch", GOOD_PASSWORD, GOOD_PASSWORD, ""]),
    )
    assert result.exit_code == 0, result.output
    assert "12 characters or more" in result.output
    assert check_password(_user(db, "chief@example.com").password_hash, GOOD_PASSWORD)


def test_create_service_admin_refuses_a_weak_password_given_as_an_option(runner, db):
    result = runner.invoke(
        args=[
            "charter",
            "create-service-admin",
            "ops@example.com",
            "--name",
            "Ops",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0
    assert "12 characters or more" in result.output
    assert _user(db, "ops@example.com") is None


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.com", "@example.com"])
def test_create_service_admin_refuses_an_invalid_email_address(runner, db, email):
    result = runner.invoke(
        args=["charter", "create-service-admin", email, "--name", "X", "--password", GOOD_PASSWORD]
    )
    assert result.exit_code == 2
    assert "is not a valid email address" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_service_admin_promotes_an_existing_account_without_changing_its_password(
    runner, db
):
    existing = make_user(email="olive@example.com", full_name="Olive Owner")

    result = runner.invoke(args=["charter", "create-service-admin", "OLIVE@example.com"])

    assert result.exit_code == 0, result.output
    assert "olive@example.com is now a service administrator" in result.output
    db.session.refresh(existing)
    assert existing.service_admin and existing.full_name == "Olive Owner"
    assert check_password(existing.password_hash, PASSWORD)


def test_create_service_admin_leaves_a_service_administrator_alone(runner):
    make_user(email="admin@example.com", role="admin")
    result = runner.invoke(args=["charter", "create-service-admin", "admin@example.com"])
    assert result.exit_code == 0
    assert "already a service administrator; nothing changed" in result.output


def test_create_service_admin_refuses_to_promote_an_unconfirmed_account(runner, db):
    # Anyone can open an account with someone else's address; only a confirmed one is theirs.
    existing = make_user(email="squatter@example.com", verified=False)

    result = runner.invoke(args=["charter", "create-service-admin", "squatter@example.com"])

    assert result.exit_code == 1
    assert "has not confirmed its email address" in result.output
    db.session.refresh(existing)
    assert not existing.service_admin


@pytest.mark.parametrize("name", ["\u200b\u200b", "-", "A\u202e"])
def test_create_service_admin_refuses_a_name_without_two_visible_letters(runner, db, name):
    result = runner.invoke(
        args=[
            "charter",
            "create-service-admin",
            "ops@example.com",
            "--name",
            name,
            "--password",
            GOOD_PASSWORD,
        ]
    )
    assert result.exit_code != 0
    assert "Enter a name with at least 2 letters or numbers" in result.output
    assert _user(db, "ops@example.com") is None


def test_a_service_administrator_is_no_role_in_any_charter(runner, db, scheme):
    from charter.services.domain import staff
    from charter.services.domain.charters import default_charter

    args = ["charter", "create-service-admin", "ops@example.com", "--name", "Ops"]
    assert runner.invoke(args=[*args, "--password", GOOD_PASSWORD]).exit_code == 0
    user = _user(db, "ops@example.com")
    assert user.service_admin and staff.roles_in(user, default_charter()) == frozenset()


def test_appoint_administrator_appoints_one_in_the_charter_named_or_the_default(runner, db, scheme):
    from charter.services.domain import staff
    from charter.services.domain.charters import default_charter

    lead = make_user(email="lead@example.com", full_name="Lee Lead")
    result = runner.invoke(args=["charter", "appoint-administrator", "Lead@example.com"])
    assert result.exit_code == 0, result.output
    assert "lead@example.com is now an administrator of" in result.output
    db.session.expire_all()
    staff.forget_roles(lead)
    assert staff.is_administrator(lead, default_charter())

    again = runner.invoke(args=["charter", "appoint-administrator", "lead@example.com"])
    assert again.exit_code == 1 and "already an administrator of this charter" in again.output
    nowhere = runner.invoke(
        args=["charter", "appoint-administrator", "lead@example.com", "--charter", "nowhere"]
    )
    assert nowhere.exit_code == 1 and "There is no charter 'nowhere'" in nowhere.output
