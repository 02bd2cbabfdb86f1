"""The award of the charter in play (charter/award.py): the one way pages and emails ask it.
Shropshire's charter awards the Charter Mark; Worcestershire's scheme file has no [award]."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import render_template

from charter.award import award_of, award_words
from charter.models.signing import acting_charter
from charter.services.domain.schemes import load_scheme_file

SCHEMES = Path(__file__).resolve().parents[1] / "schemes"


@pytest.fixture
def worcestershire(app, db, scheme):
    loaded = load_scheme_file(SCHEMES / "worcestershire.toml").scheme
    db.session.commit()
    return loaded


def test_a_scheme_and_a_charter_answer_for_their_award(app, scheme, worcestershire):
    assert award_of(scheme) == "Charter Mark"
    assert award_of(worcestershire) is None
    assert award_of(scheme.charter_id) == "Charter Mark"
    assert award_of(worcestershire.charter_id) is None


def test_the_charter_acting_gives_the_award(app, scheme, worcestershire):
    with app.test_request_context("/"):
        assert award_of() == "Charter Mark"  # the default charter's
        token = acting_charter.set(worcestershire.charter_id)
        try:
            assert award_of() is None
        finally:
            acting_charter.reset(token)


def test_another_award_name_replaces_the_charter_marks():
    assert award_words("Apply for the Charter Mark", "Gold Award") == "Apply for the Gold Award"
    assert award_words("Apply for the Charter Mark", "Charter Mark") == (
        "Apply for the Charter Mark"
    )


@pytest.mark.parametrize("template", ["duty-confirmation-due", "review-annual-review"])
def test_an_email_for_a_charter_without_an_award_names_no_mark(
    app, scheme, worcestershire, template
):
    context = {
        "recipient": SimpleNamespace(full_name="Sam Signer"),
        "organisation": SimpleNamespace(name="Acme Ltd"),
        "anniversary": date(2027, 1, 1),
        "closes_on": date(2027, 3, 1),
        "signed_on": date(2026, 1, 1),
        "confirm_url": "https://example.test/confirm",
        "dashboard_url": "https://example.test/dashboard",
        "unsubscribe_url": None,
    }
    with app.test_request_context("/"):
        assert "Charter Mark" in render_template(f"emails/{template}.txt", **context)
        token = acting_charter.set(worcestershire.charter_id)
        try:
            body = render_template(f"emails/{template}.txt", **context)
        finally:
            acting_charter.reset(token)
    assert "Mark" not in body
    assert "Worcestershire County Council" in body
