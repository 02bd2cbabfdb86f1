"""Issue 8, travelling in time through `flask charter run-reviews --today ...`: a holder that
stops reporting is warned, its Mark suspended by the system and reinstated once the return is
verified; an administrator's suspension is not lifted that way; an expired Mark leaves the
organisation a signatory in monitoring; renewal counts only fresh evidence; an unconfirmed
signatory lapses after the window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from charter.extensions import db
from charter.models import Membership, Organisation
from charter.models.assessment import CharterMark
from charter.services.domain import applications, confirmations, marks
from tests.factories import make_mark, make_return, make_user, set_stage, sign_in, submit
from tests.services.domain.duties_helpers import (
    DUE,
    SANCTION_ON,
    holder_with_return,
    send_and_verify,
    signed,
    status_of,
    travel,
)
from tests.services.domain.review_helpers import emails_to, monitored, open_return, triggers


@pytest.mark.usefixtures("on_fixture_day")
def test_a_holder_that_stops_reporting_is_warned_suspended_and_reinstated(
    app, client, organisation, scheme, member
):
    mark, monitoring_return = holder_with_return(organisation, scheme)
    warn_from = SANCTION_ON - timedelta(days=scheme.warning_days_before_sanction)

    travel(app, warn_from - timedelta(days=1))
    assert emails_to(member, "or your Charter Mark will be suspended") == []

    travel(app, warn_from)
    travel(app, warn_from)  # twice: nothing twice
    [warning] = emails_to(member, "or your Charter Mark will be suspended on 30 June 2026")
    assert "by 29 June 2026" in warning.body
    assert status_of(organisation) == "accredited"

    travel(app, SANCTION_ON - timedelta(days=1))
    assert status_of(organisation) == "accredited"

    output = travel(app, SANCTION_ON)
    assert "suspend_marks_for_missed_returns: suspended 1" in output
    travel(app, SANCTION_ON)
    assert status_of(organisation) == "mark_suspended"
    assert db.session.get(CharterMark, mark.id).status == "suspended"
    assert triggers(organisation) == ["suspend_mark"]
    assert len(emails_to(member, "has been suspended")) == 1
    # Still a signatory on the register; the Mark shows as suspended on /verify and the badge.
    page = client.get(f"/c/shropshire/register/{organisation.slug}").get_data(as_text=True)
    assert "Charter signatory — Charter Mark suspended" in page
    verify = client.get(f"/c/shropshire/verify/{mark.certificate_number}").get_data(as_text=True)
    assert "has not met a reporting duty" in verify
    assert "Suspended" in client.get(f"/c/shropshire/badge/{mark.certificate_number}.svg").get_data(
        as_text=True
    )

    send_and_verify(monitoring_return)

    assert status_of(organisation) == "accredited"
    assert db.session.get(CharterMark, mark.id).status == "valid"
    assert triggers(organisation) == ["suspend_mark", "reinstate_mark"]
    assert len(emails_to(member, "is in force again")) == 1
    travel(app, SANCTION_ON + timedelta(days=1))
    assert triggers(organisation) == ["suspend_mark", "reinstate_mark"]


def test_an_administrators_suspension_is_not_lifted_by_a_verified_return(app, organisation, scheme):
    mark, monitoring_return = holder_with_return(organisation, scheme)
    admin = make_user(role="admin")
    marks.suspend(organisation, admin, "Complaint under investigation")
    db.session.commit()

    travel(app, SANCTION_ON)
    send_and_verify(monitoring_return)
    travel(app, SANCTION_ON + timedelta(days=1))

    assert status_of(organisation) == "suspended"
    assert db.session.get(CharterMark, mark.id).status == "suspended"
    assert "reinstate_mark" not in triggers(organisation)


@pytest.mark.usefixtures("on_fixture_day")
def test_the_system_suspension_waits_for_the_return_after_an_admin_lifts_theirs(
    app, organisation, scheme
):
    mark, monitoring_return = holder_with_return(organisation, scheme)
    travel(app, SANCTION_ON)
    admin = make_user(role="admin")
    organisation = db.session.get(Organisation, organisation.id)
    marks.suspend(organisation, admin, "Audit concerns")
    db.session.commit()
    marks.lift_suspension(organisation, admin)
    db.session.commit()

    assert status_of(organisation) == "mark_suspended"
    assert db.session.get(CharterMark, mark.id).status == "suspended"
    send_and_verify(monitoring_return)
    assert status_of(organisation) == "accredited"


def test_an_expired_mark_leaves_a_signatory_in_monitoring(app, client, organisation, scheme):
    set_stage(organisation, "renewal_due")
    db.session.commit()
    mark = make_mark(organisation, scheme, awarded_on=date(2024, 10, 24))
    expires = mark.expires_on
    assert expires == date(2026, 10, 24)

    output = travel(app, expires + timedelta(days=1))

    assert "expire_marks: expired 1" in output
    assert status_of(organisation) == "monitoring"
    label = "Charter signatory — Charter Mark expired on 24 October 2026"
    assert label in client.get(f"/c/shropshire/register/{organisation.slug}").get_data(as_text=True)
    assert label in client.get("/c/shropshire/register").get_data(as_text=True)
    api = client.get(f"/api/v1/organisations/{organisation.slug}").get_json()
    assert api["data"]["status_label"] == label
    history = client.get(f"/c/shropshire/register/{organisation.slug}").get_data(as_text=True)
    assert "The Charter Mark expired" in history


def test_renewal_counts_only_returns_since_the_award(app, organisation, scheme):
    measures = monitored(organisation, scheme, status="renewal_due")
    # Two verified returns for periods before the award on 1 July 2026.
    make_return(organisation, measures, 1, {"LE1": "5"})
    make_return(organisation, measures, 2, {"LE1": "6"})
    make_mark(organisation, scheme, awarded_on=date(2026, 7, 1))

    missing = applications.eligibility(organisation)
    assert any("since your Charter Mark was awarded on 1 July 2026" in m for m in missing)

    make_return(organisation, measures, 3, {"LE1": "7"})
    make_return(organisation, measures, 4, {"LE1": "8"})
    missing = applications.eligibility(organisation)
    assert not any("verified monitoring return" in m for m in missing)


def test_an_unconfirmed_signatory_lapses_after_the_window(
    app, client, organisation, scheme, member
):
    signed(organisation, datetime(2025, 3, 1, 10))
    anniversary = date(2026, 3, 1)
    closes = anniversary + timedelta(days=scheme.confirmation_window_days)

    travel(app, anniversary - timedelta(days=1))
    assert emails_to(member, "confirm your charter commitment") == []
    travel(app, anniversary)
    travel(app, anniversary)
    assert len(emails_to(member, "confirm your charter commitment")) == 1
    travel(app, closes - timedelta(days=scheme.warning_days_before_sanction))
    assert len(emails_to(member, "confirm your charter commitment")) == 2  # the warning
    travel(app, closes)
    assert status_of(organisation) == "signatory"

    travel(app, closes + timedelta(days=1))
    travel(app, closes + timedelta(days=1))

    assert status_of(organisation) == "lapsed"
    assert triggers(organisation) == ["lapse"]
    assert len(emails_to(member, "annual confirmation was not given")) == 1


def test_a_confirmed_signatory_does_not_lapse(app, client, organisation, scheme, member):
    signed(organisation, datetime(2025, 3, 1, 10))
    travel(app, date(2026, 3, 1))
    sign_in(client, member.email)
    url = f"/organisations/{organisation.slug}/confirm-commitment"
    page = client.get(url)
    assert page.status_code == 200
    response = submit(
        client,
        url,
        {
            "size": "medium",
            "address_line_1": "2 New Street",
            "town": "Ludlow",
            "postcode": "SY8 1AA",
            "publish": "no",  # signed before the question was asked at signing
            "confirm": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    travel(app, date(2026, 6, 1))
    assert status_of(organisation) == "signatory"
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).town == "Ludlow"


@pytest.mark.usefixtures("on_fixture_day")
def test_a_holder_that_does_not_confirm_has_its_mark_suspended_until_it_does(
    app, organisation, scheme
):
    signed(organisation, datetime(2025, 3, 1, 10), status="accredited")
    mark = make_mark(organisation, scheme, awarded_on=date(2026, 1, 10))
    closes = date(2026, 3, 1) + timedelta(days=scheme.confirmation_window_days)
    travel(app, date(2026, 3, 1))
    travel(app, closes + timedelta(days=1))
    assert status_of(organisation) == "mark_suspended"

    owner = make_user()
    db.session.add(Membership(user_id=owner.id, organisation_id=organisation.id, role="owner"))
    db.session.commit()
    confirmations.confirm(db.session.get(Organisation, organisation.id), owner)
    db.session.commit()
    assert status_of(organisation) == "accredited"
    assert db.session.get(CharterMark, mark.id).status == "valid"


def test_the_dashboard_warns_with_dates_before_anything_happens(
    app, member_client, organisation, scheme
):
    holder_with_return(organisation, scheme, due=date.today() - timedelta(days=3))
    html = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    sanction_on = date.today() - timedelta(days=3) + timedelta(days=61)
    assert "your Charter Mark will be suspended on" in html
    assert f"{sanction_on.day} {sanction_on:%B %Y}" in html
    assert status_of(organisation) == "accredited"


def test_open_return_helper_due_date_is_set(app, organisation, scheme):
    measures = monitored(organisation, scheme)
    assert open_return(organisation, measures, DUE).due_date == DUE


def test_a_confirmation_opened_late_still_gives_the_whole_window(app, organisation, scheme):
    signed(organisation, datetime(2025, 3, 1, 10))
    first_run = date(2026, 9, 1)  # six months after the anniversary: the duty is new
    travel(app, first_run)
    travel(app, first_run + timedelta(days=scheme.confirmation_window_days))
    assert status_of(organisation) == "signatory"
    travel(app, first_run + timedelta(days=scheme.confirmation_window_days + 1))
    assert status_of(organisation) == "lapsed"
