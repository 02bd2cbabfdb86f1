"""Signing the charter asks whether the organisation publishes its verified figures: required,
shown on check your answers with a Change link, and saved when the charter is signed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from charter.models import Organisation, Signature
from charter.organisation.forms.publishing import PUBLISH_MESSAGE, PUBLISH_QUESTION
from charter.services.domain.signings import signing_of
from tests.factories import submit
from tests.organisation.signing_helpers import (
    SIGNATORY,
    answer_every_question,
    codes_of,
    counts,
    open_check_answers,
    page,
    session_key,
    sign,
)

YES = "Yes, publish our verified figures"
NO = "No, show only how many of our targets we met"


def _answer_up_to_the_route(client, organisation, scheme):
    submit(client, page(organisation, "principles"), {"principles": codes_of(scheme)})
    submit(client, page(organisation, "signatory"), SIGNATORY)
    response = submit(client, page(organisation, "route"), {"route": "working_towards"})
    assert response.location.endswith(page(organisation, "publish-figures"))


def test_the_question_says_what_is_published_where_and_how_to_change_it(
    member_client, organisation, scheme
):
    _answer_up_to_the_route(member_client, organisation, scheme)
    html = member_client.get(page(organisation, "publish-figures")).get_data(as_text=True)
    assert f"<title>{PUBLISH_QUESTION}" in html
    heading = r'<h1 class="govuk-fieldset__heading">.*' + re.escape(PUBLISH_QUESTION)
    assert re.search(heading, html, re.S)
    for words in (
        "each figure an assessor has verified is published, period by period",
        "register’s API and in its open data, under the Open Government Licence",
        "the register shows only how many of your targets you met",
        "You can change your mind at any time on the ‘Publish your verified figures’ page",
        YES,
        NO,
    ):
        assert words in html
    # The back link goes to the question before.
    assert f'href="{page(organisation, "route")}"' in html


@pytest.mark.parametrize("data", [{}, {"publish": "maybe"}, {"publish": "true"}])
def test_the_question_must_be_answered_yes_or_no(member_client, db, organisation, scheme, data):
    _answer_up_to_the_route(member_client, organisation, scheme)
    before = counts(db, organisation)
    response = submit(member_client, page(organisation, "publish-figures"), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "<title>Error: " in html
    assert html.count(PUBLISH_MESSAGE) == 2  # in the summary and by the radios
    with member_client.session_transaction() as flask_session:
        assert "publishes_figures" not in flask_session[session_key(organisation)]
    # Check your answers sends you back to the question; nothing was saved.
    check = member_client.get(page(organisation, "check-your-answers"))
    assert check.location.endswith(page(organisation, "publish-figures"))
    assert counts(db, organisation) == before


@pytest.mark.parametrize(("answer", "label", "publishes"), [("yes", YES, True), ("no", NO, False)])
def test_the_answer_is_shown_and_saved_when_the_charter_is_signed(
    member_client, db, organisation, scheme, answer, label, publishes
):
    answer_every_question(member_client, organisation, scheme, publish=answer)
    check = member_client.get(page(organisation, "check-your-answers")).get_data(as_text=True)
    assert "Publish your verified figures" in check and label in check
    assert f'href="{page(organisation, "publish-figures")}"' in check  # its Change link
    # Not saved until the charter is signed.
    assert counts(db, organisation)["publishes_figures"] == (False, None)

    response = sign(member_client, organisation, open_check_answers(member_client, organisation))
    assert response.status_code == 302

    db.session.expire_all()
    org = db.session.get(Organisation, organisation.id)
    signature = db.session.scalar(select(Signature))
    assert signing_of(org).publishes_figures is publishes
    assert signing_of(org).publishes_figures_decided_at == signature.signed_at
    dashboard = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    expected = "Yes: your verified figures are on the register" if publishes else "No: the register"
    assert expected in dashboard


def test_changing_the_answer_returns_to_check_your_answers(member_client, db, organisation, scheme):
    answer_every_question(member_client, organisation, scheme, publish="yes")
    question = member_client.get(page(organisation, "publish-figures")).get_data(as_text=True)
    assert re.search(r'value="yes"\s+checked', question)  # the answer given is shown again

    response = submit(member_client, page(organisation, "publish-figures"), {"publish": "no"})
    assert response.location.endswith(page(organisation, "check-your-answers"))
    check = member_client.get(response.location).get_data(as_text=True)
    assert NO in check and YES not in check

    sign(member_client, organisation, open_check_answers(member_client, organisation))
    db.session.expire_all()
    org = db.session.get(Organisation, organisation.id)
    assert (
        signing_of(org).publishes_figures,
        signing_of(org).publishes_figures_decided_at is not None,
    ) == (False, True)


def test_the_start_page_says_the_question_will_be_asked(member_client, organisation, scheme):
    html = member_client.get(page(organisation)).get_data(as_text=True)
    assert "publishes its verified figures on the register" in html
