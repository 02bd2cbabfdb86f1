import pytest
from sqlalchemy import func, select

from charter.models import OutboxEmail
from tests.factories import make_organisation, make_user, roles_by_email, roles_of, submit

APPOINT = "/admin/assessors/appoint"


def _outbox_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEmail))


@pytest.mark.usefixtures("scheme")
def test_appointing_an_assessor_asks_for_confirmation_then_appoints_and_emails(admin_client, db):
    person = make_user(email="rhian@example.com", full_name="Rhian Price")

    check = submit(admin_client, APPOINT, {"email": "  Rhian@Example.com "})
    assert check.status_code == 200
    html = check.get_data(as_text=True)
    assert "Appoint Rhian Price as an assessor?" in html
    db.session.refresh(person)
    assert roles_of(person) == set(), "nothing changes before confirmation"
    assert _outbox_count(db) == 0

    done = submit(
        admin_client, APPOINT, {"email": "rhian@example.com", "confirmed": "yes"}, form_url=APPOINT
    )
    assert done.status_code == 302 and done.location.endswith("/admin/assessors")
    db.session.refresh(person)
    assert roles_of(person) == {"assessor"}
    email = db.session.scalar(select(OutboxEmail))
    assert email.to_address == "rhian@example.com"
    assert "assessor" in email.subject
    assert "Adam Admin has appointed you" in email.body
    assert "http://localhost/sign-in" in email.body

    listing = admin_client.get("/admin/assessors").get_data(as_text=True)
    assert "Rhian Price is now an assessor" in listing
    assert "rhian@example.com" in listing


def test_appointing_a_member_of_organisations_warns_and_names_them(admin_client, scheme):
    person = make_user(email="dual@example.com", full_name="Dee Dual")
    make_organisation(owner=person, scheme=scheme, name="Dual Trading Ltd")

    html = submit(admin_client, APPOINT, {"email": "dual@example.com"}).get_data(as_text=True)

    assert "Dee Dual is a member of 1 organisation" in html
    assert "Dual Trading Ltd" in html
    assert "They will not be able to assess it" in html


@pytest.mark.usefixtures("member")
def test_an_unknown_email_address_is_refused_and_nothing_changes(admin_client, db):
    roles_before = roles_by_email()

    response = submit(admin_client, APPOINT, {"email": "nobody@example.com", "confirmed": "yes"})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert (
        "There is no account with that email address. Ask them to create an account first." in html
    )
    assert "<title>Error: " in html
    assert roles_by_email() == roles_before
    assert _outbox_count(db) == 0


def test_an_email_address_in_the_wrong_format_is_refused(admin_client):
    html = submit(admin_client, APPOINT, {"email": "not-an-email"}).get_data(as_text=True)
    assert "Enter an email address in the correct format, like name@example.com" in html
    html = submit(admin_client, APPOINT, {"email": ""}).get_data(as_text=True)
    assert "Enter the email address of the person to appoint" in html


def test_people_who_cannot_be_appointed_are_refused_with_the_reason(admin_client, db):
    make_user(email="unconfirmed@example.com", full_name="Una Confirmed", verified=False)
    make_user(email="already@example.com", full_name="Al Ready", role="assessor")
    cases = {
        "unconfirmed@example.com": "Una Confirmed has not confirmed their email address yet",
        "already@example.com": "Al Ready is already an assessor of this charter",
        "admin@example.com": "Adam Admin is an administrator of this charter",
    }
    for email, message in cases.items():
        html = submit(admin_client, APPOINT, {"email": email, "confirmed": "yes"}).get_data(
            as_text=True
        )
        assert message in html, email
    roles = roles_by_email()
    assert roles["unconfirmed@example.com"] == set()
    assert roles["admin@example.com"] == {"administrator"}
    assert _outbox_count(db) == 0


def test_revoking_an_assessor_makes_them_a_member_again(admin_client, db, assessor):
    response = submit(
        admin_client, f"/admin/assessors/{assessor.id}/revoke", form_url="/admin/assessors"
    )

    assert response.status_code == 302
    db.session.refresh(assessor)
    assert roles_of(assessor) == set()
    listing = admin_client.get("/admin/assessors").get_data(as_text=True)
    assert "Asha Assessor is no longer an assessor" in listing


def test_revoking_someone_who_is_not_an_assessor_changes_nothing(admin_client, db, admin_user):
    response = submit(
        admin_client, f"/admin/assessors/{admin_user.id}/revoke", form_url="/admin/assessors"
    )
    assert response.status_code == 302
    db.session.refresh(admin_user)
    assert roles_of(admin_user) == {"administrator"}
    assert "Adam Admin is not an assessor of this charter" in admin_client.get(
        "/admin/assessors"
    ).get_data(as_text=True)


def test_revoking_an_unknown_account_is_not_found(admin_client):
    assert submit(admin_client, "/admin/assessors/9999/revoke", form_url="/").status_code == 404


@pytest.mark.usefixtures("member")
def test_assessors_and_administrators_are_listed(admin_client, assessor):
    html = admin_client.get("/admin/assessors").get_data(as_text=True)
    assert "Asha Assessor" in html and "Adam Admin" in html
    assert "Olive Owner" not in html
    assert f"/admin/assessors/{assessor.id}/revoke" in html


def test_posts_without_a_csrf_token_are_refused(admin_client, db, assessor):
    person = make_user(email="rhian@example.com", full_name="Rhian Price")

    appoint = admin_client.post(APPOINT, data={"email": "rhian@example.com", "confirmed": "yes"})
    revoke = admin_client.post(f"/admin/assessors/{assessor.id}/revoke")

    assert appoint.status_code == 400 and revoke.status_code == 400
    db.session.refresh(person)
    db.session.refresh(assessor)
    assert roles_of(person) == set() and roles_of(assessor) == {"assessor"}
    assert _outbox_count(db) == 0
