"""The public record tells losses as well as gains: the Atom feed and an organisation's register
page show suspensions, reinstatements, revocations, expiries and lapses with their dates, and no
reasons."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from charter.extensions import db
from tests.factories import audit, make_mark, make_organisation

ATOM = "{http://www.w3.org/2005/Atom}"


def _losses(scheme):
    holder = make_organisation(scheme=scheme, status="monitoring", name="Alder Joinery")
    make_mark(holder, scheme, status="revoked")
    steps = [
        ("award_mark", "under_assessment", "accredited", datetime(2025, 1, 6, 9)),
        ("suspend_mark", "accredited", "mark_suspended", datetime(2025, 3, 3, 9)),
        ("reinstate_mark", "mark_suspended", "accredited", datetime(2025, 4, 7, 9)),
        ("suspend", "accredited", "suspended", datetime(2025, 5, 5, 9)),
        ("lift_suspension", "suspended", "accredited", datetime(2025, 6, 2, 9)),
        ("revoke_mark", "accredited", "monitoring", datetime(2025, 7, 7, 9)),
    ]
    for trigger, from_state, to_state, when in steps:
        audit(holder, trigger, from_state, to_state, when, reason="A private reason")
    expired = make_organisation(scheme=scheme, status="monitoring", name="Birch Bakery")
    make_mark(expired, scheme, status="expired")
    audit(expired, "award_mark", "under_assessment", "accredited", datetime(2024, 2, 5, 9))
    audit(expired, "expire_mark", "accredited", "monitoring", datetime(2025, 8, 4, 9))
    lapsed = make_organisation(scheme=scheme, status="lapsed", name="Cedar Cleaning")
    audit(
        lapsed,
        "suspend",
        "signatory",
        "suspended",
        datetime(2025, 8, 11, 9),
        reason="Kept to ourselves",
    )
    audit(lapsed, "lift_suspension", "suspended", "signatory", datetime(2025, 8, 18, 9))
    audit(lapsed, "lapse", "signatory", "lapsed", datetime(2025, 9, 1, 9), reason="No return")
    db.session.commit()
    return holder, expired, lapsed


def test_the_feed_tells_losses_with_their_dates_and_no_reasons(client, scheme):
    _losses(scheme)
    body = client.get("/c/shropshire/register/feed.atom").get_data(as_text=True)
    feed = ET.fromstring(body)
    entries = {
        entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}updated")
        for entry in feed.findall(f"{ATOM}entry")
    }
    assert entries["Alder Joinery: Charter Mark suspended for a missed reporting duty"] == (
        "2025-03-03T09:00:00Z"
    )
    assert entries["Alder Joinery: Charter Mark reinstated"] == "2025-04-07T09:00:00Z"
    assert entries["Alder Joinery was suspended by the scheme administrators"].startswith(
        "2025-05-05"
    )
    assert entries["Alder Joinery: suspension lifted"].startswith("2025-06-02")
    assert entries["Alder Joinery: Charter Mark revoked"].startswith("2025-07-07")
    assert entries["Birch Bakery: Charter Mark expired"].startswith("2025-08-04")
    assert entries["Cedar Cleaning: commitment to the charter lapsed"].startswith("2025-09-01")
    assert "on 1 September 2025" in body  # the summary says the date in words
    assert "private reason" not in body and "No return" not in body


def test_the_register_page_tells_the_history_without_reasons(client, scheme):
    holder, expired, lapsed = _losses(scheme)
    page = client.get(f"/c/shropshire/register/{holder.slug}").get_data(as_text=True)
    for line in (
        "3 March 2025</span>: The Charter Mark was suspended",
        "7 April 2025</span>: The suspension was lifted",
        "5 May 2025</span>: The Charter Mark was suspended",
        "7 July 2025</span>: The Charter Mark was revoked",
    ):
        assert line in page
    assert "private reason" not in page
    page = client.get(f"/c/shropshire/register/{expired.slug}").get_data(as_text=True)
    assert "4 August 2025</span>: The Charter Mark expired" in page
    page = client.get(f"/c/shropshire/register/{lapsed.slug}").get_data(as_text=True)
    assert "1 September 2025</span>: The organisation’s commitment to the charter lapsed" in page
    assert "11 August 2025</span>: Suspended by the scheme administrators" in page
    assert "18 August 2025</span>: The suspension was lifted" in page
    assert "No return" not in page and "Kept to ourselves" not in page


def test_one_charters_record_shows_nothing_of_anothers(client, scheme):
    """An organisation lapsed under Worcestershire's charter and is still a signatory of
    Shropshire's: Shropshire's page and feed show no lapse, Worcestershire's show it."""
    from charter.services.domain import signings
    from charter.services.domain.schemes import load_scheme_text
    from tests.public.charter_helpers import second_charter_text

    second = load_scheme_text(second_charter_text()).scheme
    db.session.commit()
    both = make_organisation(scheme=scheme, status="signatory", name="Dogwood Dairy")
    lapsed_signing = signings.start(both, second)
    lapsed_signing.status = "lapsed"
    db.session.flush()
    when = datetime(2025, 9, 1, 9)
    audit(both, "lapse", "signatory", "lapsed", when, signing_id=lapsed_signing.id)
    lapse = "The organisation’s commitment to the charter lapsed"
    shropshire = client.get(f"/c/shropshire/register/{both.slug}").get_data(as_text=True)
    worcestershire = client.get(f"/c/worcestershire/register/{both.slug}").get_data(as_text=True)
    assert lapse not in shropshire
    assert lapse in worcestershire
    feed = client.get("/c/shropshire/register/feed.atom").get_data(as_text=True)
    assert "Dogwood Dairy: commitment to the charter lapsed" not in feed
    feed = client.get("/c/worcestershire/register/feed.atom").get_data(as_text=True)
    assert "Dogwood Dairy: commitment to the charter lapsed" in feed
