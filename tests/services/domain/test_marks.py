"""Charter Marks: certificate numbers, expiry, standing, renewal and history."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest

from charter.extensions import db
from charter.services.domain import marks
from tests.factories import audit, make_mark, make_organisation


def test_certificate_numbers_have_the_format_and_are_not_sequential(app):
    numbers = [marks.new_certificate_number() for _ in range(50)]
    assert all(re.fullmatch(r"CM-[2-9A-HJKMNP-TW-Z]{8}", n) for n in numbers)
    assert len(set(numbers)) == 50
    # Consecutive numbers share little: not a counter, nor a counter in disguise.
    for first, second in pairwise(numbers):
        differing = sum(a != b for a, b in zip(first[3:], second[3:], strict=True))
        assert differing >= 3


def test_new_certificate_number_skips_one_already_taken(app, organisation, scheme, monkeypatch):
    taken = make_mark(organisation, scheme).certificate_number
    choices = iter(taken[3:] + "ABCDEFGH")
    monkeypatch.setattr(marks.secrets, "choice", lambda _alphabet: next(choices))
    assert marks.new_certificate_number() == "CM-ABCDEFGH"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("CM-7K3F9QX2", "CM-7K3F9QX2"),
        ("cm-7k3f9qx2", "CM-7K3F9QX2"),
        (" cm 7k3f 9qx2 ", "CM-7K3F9QX2"),
        ("7k3f9qx2", "CM-7K3F9QX2"),
        ("CMCM3F9QX2", "CM-CM3F9QX2"),
    ],
)
def test_normalise_certificate_number(typed, expected):
    assert marks.normalise_certificate_number(typed) == expected
    assert marks.is_certificate_number(expected)


def test_a_malformed_number_is_not_a_certificate_number():
    for text in ("", "CM-", "CM-7K3F9QX", "CM-7K3F9QX20", "CM-0K3F9QX2", "XX-7K3F9QX2"):
        assert not marks.is_certificate_number(marks.normalise_certificate_number(text))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
    ],
)
def test_add_months_uses_calendar_months(start, months, expected):
    assert marks.add_months(start, months) == expected


def test_create_mark_sets_expiry_from_the_scheme(app, organisation, scheme):
    mark = make_mark(organisation, scheme, awarded_on=date(2026, 1, 31))
    assert mark.expires_on == marks.add_months(date(2026, 1, 31), scheme.validity_months)
    assert mark.status == "valid"
    assert marks.current_mark(organisation).id == mark.id


def test_renewal_supersedes_the_earlier_mark(app, organisation, scheme):
    first = make_mark(organisation, scheme, awarded_on=date(2025, 1, 10))
    second = make_mark(organisation, scheme, awarded_on=date(2026, 1, 5))
    db.session.refresh(first)
    assert first.status == "superseded"
    assert second.status == "valid"
    assert first.certificate_number != second.certificate_number
    assert marks.current_mark(organisation).id == second.id
    # An old certificate never reads as current.
    assert marks.standing(first, today=date(2025, 6, 1)) == "expired"


def test_create_mark_leaves_other_organisations_alone(app, organisation, scheme):
    other = make_organisation(scheme=scheme)
    theirs = make_mark(other, scheme)
    make_mark(organisation, scheme)
    db.session.refresh(theirs)
    assert theirs.status == "valid"


def test_current_mark_is_none_without_a_mark(app, organisation):
    assert marks.current_mark(organisation) is None


def test_standing(app, organisation, scheme):
    mark = make_mark(organisation, scheme, awarded_on=date(2026, 1, 1))
    window = timedelta(days=scheme.renewal_window_days)
    assert marks.standing(mark, today=date(2026, 1, 1)) == "valid"
    assert marks.standing(mark, today=mark.expires_on - window - timedelta(days=1)) == "valid"
    assert marks.standing(mark, today=mark.expires_on - window) == "renewal_due"
    assert marks.standing(mark, today=mark.expires_on) == "renewal_due"
    assert marks.standing(mark, today=mark.expires_on + timedelta(days=1)) == "expired"
    for status in ("expired", "suspended", "revoked"):
        mark.status = status
        assert marks.standing(mark, today=date(2026, 1, 1)) == status


def test_only_holding_standings_are_described_as_holding():
    for standing in ("expired", "revoked", "suspended"):
        assert "Valid" not in marks.STANDING_LABELS[standing]
        assert "holds the" not in marks.STANDING_DESCRIPTIONS[standing]


def test_mark_history_from_the_audit_trail(app, organisation, scheme):
    first = make_mark(organisation, scheme, awarded_on=date(2025, 1, 10))
    audit(organisation, "award_mark", "under_assessment", "accredited", datetime(2025, 1, 10, 9))
    audit(organisation, "suspend", "accredited", "suspended", datetime(2025, 3, 1, 9), "Complaint")
    audit(organisation, "lift_suspension", "suspended", "accredited", datetime(2025, 4, 1, 9))
    second = make_mark(organisation, scheme, awarded_on=date(2026, 1, 5))
    audit(organisation, "award_mark", "under_assessment", "accredited", datetime(2026, 1, 5, 9))
    audit(organisation, "revoke_mark", "accredited", "monitoring", datetime(2026, 2, 1, 9), "Fraud")
    # Suspended while it held no mark: not a Charter Mark event.
    audit(organisation, "suspend", "monitoring", "suspended", datetime(2026, 3, 1, 9), "Late")
    audit(organisation, "lift_suspension", "suspended", "monitoring", datetime(2026, 3, 2, 9))
    third = make_mark(organisation, scheme, awarded_on=date(2026, 9, 1))
    audit(organisation, "award_mark", "under_assessment", "accredited", datetime(2026, 9, 1, 9))
    audit(organisation, "suspend", "accredited", "suspended", datetime(2026, 10, 1, 9), "Audit")
    audit(organisation, "lift_suspension", "suspended", "accredited", datetime(2026, 10, 2, 9))
    audit(organisation, "open_renewal", "accredited", "renewal_due", datetime(2027, 8, 1, 9))
    audit(organisation, "expire_mark", "renewal_due", "monitoring", datetime(2027, 9, 2, 9))

    history = marks.mark_history(organisation)

    assert [(e.date, e.kind) for e in history] == [
        (date(2027, 9, 2), "expired"),
        (date(2026, 10, 2), "reinstated"),
        (date(2026, 10, 1), "suspended"),
        (date(2026, 9, 1), "gained"),
        (date(2026, 2, 1), "revoked"),
        (date(2026, 1, 5), "renewed"),
        (date(2025, 4, 1), "reinstated"),
        (date(2025, 3, 1), "suspended"),
        (date(2025, 1, 10), "gained"),
    ]
    assert first.certificate_number in history[-1].text
    assert second.certificate_number in history[5].text
    assert third.certificate_number in history[3].text
    assert "Fraud" in history[4].text


def test_suspending_outside_the_mark_is_not_in_its_history(app, organisation):
    audit(organisation, "suspend", "monitoring", "suspended", datetime(2026, 3, 1, 9), "Late")
    audit(organisation, "lift_suspension", "suspended", "monitoring", datetime(2026, 3, 2, 9))
    assert marks.mark_history(organisation) == []
