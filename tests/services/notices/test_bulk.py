"""Emails to many members rendered once with each person's name and unsubscribe link spliced in
(the scheduled reviews' hot path at national scale) must be byte for byte the emails rendered
per person; a template that uses the person in any other way is still rendered per person."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from jinja2 import ChoiceLoader, DictLoader

from charter.services.notices import bulk, outbox, tokens
from charter.services.notices.recipients import Recipient

PEOPLE = [
    Recipient(1, "olive@example.com", "Olive Owner", True, True),
    Recipient(2, "zoe@example.com", "Zoë O'Brien & <Sons> {{ not code }} %s \\1", False, True),
    Recipient(3, "off@example.com", "Opted Out", False, False),
    Recipient(2_147_483_647, "last@example.com", "  spaced  name  ", False, True),
]
RETURN = SimpleNamespace(id=7, due_date=date(2026, 7, 30))
CASES = [  # the reviews' templates, reminders and warnings, with the context the jobs give
    ("review-return-due-soon", True, {"monitoring_return": RETURN}),
    ("review-return-overdue", True, {"monitoring_return": RETURN, "is_holder": True}),
    ("review-lapsed", False, {"monitoring_return": RETURN, "reason": "Not sent."}),
    (
        "duty-confirmation-due",
        True,
        {
            "anniversary": date(2026, 3, 1),
            "closes_on": date(2026, 5, 1),
            "confirm_url": "u",
            "holder": False,
        },
    ),
    (
        "duty-confirmation-warning",
        False,
        {
            "closes_on": date(2026, 5, 1),
            "sanction_on": date(2026, 5, 2),
            "confirm_url": "u",
            "holder": False,
        },
    ),
]


def per_person(subject, template, reminder, context):
    rows = [
        outbox.render_message(p, subject, template, reminder=reminder, **context) for p in PEOPLE
    ]
    return [row for row in rows if row is not None]


@pytest.mark.parametrize(("template", "reminder", "extra"), CASES)
def test_rendered_once_for_all_is_byte_identical_to_rendered_per_person(
    app, organisation, template, reminder, extra
):
    context = {
        "organisation": organisation,
        "period_label": "April to June 2026",
        "return_url": "https://example.test/r/7",
        "dashboard_url": "https://example.test/d",
        "grace_period_days": 30,
        "lapses_on": date(2026, 8, 30),
        **extra,
    }
    assert bulk._spliceable(f"emails/{template}.txt")

    together = bulk.email_members_bulk(PEOPLE, "Subject", template, reminder=reminder, **context)

    assert together == per_person("Subject", template, reminder, context)
    assert len(together) == (3 if reminder else 4)
    assert "\x00" not in "".join(row["body"] for row in together)


def test_every_review_email_is_rendered_once_for_all(app):
    for name in (
        "review-return-due-soon",
        "review-return-overdue",
        "review-lapsed",
        "review-renewal-open",
        "review-mark-expired",
        "duty-confirmation-due",
        "duty-confirmation-warning",
        "duty-confirmation-missed",
        "duty-return-warning",
        "duty-mark-suspended",
        "duty-mark-reinstated",
        "duty-standards-lapsing",
    ):
        assert bulk._spliceable(f"emails/{name}.txt"), name


@pytest.mark.parametrize(
    "source",
    [
        "Dear {{ recipient.full_name | upper }},{% include 'emails/_unsubscribe.txt' %}",
        "{% if recipient.is_owner %}Owner {% endif %}{{ recipient.full_name }}",
        "{{ recipient.email }}",
        "{% set name = recipient.full_name %}{{ name }}",
        "{% if not unsubscribe_url %}none{% endif %}{{ recipient.full_name }}",
        "{% include 'emails/test-other.txt' %}",
    ],
)
def test_a_template_using_the_person_otherwise_is_rendered_per_person(app, source):
    app.jinja_env.loader = ChoiceLoader(
        [
            DictLoader(
                {
                    "emails/test-case.txt": source,
                    "emails/test-other.txt": "{{ recipient.is_owner }}",
                }
            ),
            app.jinja_env.loader,
        ]
    )

    assert not bulk._spliceable("emails/test-case.txt")
    assert bulk.email_members_bulk(PEOPLE, "S", "test-case", reminder=True) == per_person(
        "S", "test-case", True, {}
    )


def test_unsubscribe_links_built_together_are_the_links_built_one_by_one(app):
    ids = [p.user_id for p in PEOPLE]
    assert tokens.unsubscribe_urls(ids) == {i: tokens.unsubscribe_url(i) for i in ids}
