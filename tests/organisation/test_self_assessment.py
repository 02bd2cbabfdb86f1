"""The self-assessment through the pages (issue 21), on Warwickshire's scheme file. Its document
names the "Social Value Maturity Index self-assessment" but gives none of its questions, so the
file has none (and must not be given any here): these tests append a test fixture's own
[self_assessment] to it, clearly not the council's words. A Warwickshire signatory completes it,
is refused a second time within the year with the date it may repeat it, completes it again a
year later and sees its score and level change; the result is on its register page only while it
agrees; every question must be answered. A charter without a self-assessment shows none."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from charter.formatting import format_date
from charter.models import SelfAssessment
from charter.services.domain.marks import add_months
from tests.factories import signing_id_for, submit
from tests.organisation.declaration_helpers import (
    WARWICKSHIRE,
    load_council,
    on_day,
    signatory_of,
    signed_in_client,
)

# A TEST FIXTURE, not Warwickshire's wording: the council has not published its questions.
TEST_SELF_ASSESSMENT = """
[self_assessment]
name = "Test maturity self-assessment"

[[self_assessment.questions]]
code = "T1"
theme = "NP1"
text = "Test question one"
answers = [
  { text = "Test answer none", score = 0 },
  { text = "Test answer some", score = 1 },
  { text = "Test answer full", score = 2 },
]

[[self_assessment.questions]]
code = "T2"
theme = "NP2"
text = "Test question two"
answers = [{ text = "Test answer no", score = 0 }, { text = "Test answer yes", score = 2 }]

[[self_assessment.questions]]
code = "T3"
theme = "NP1"
text = "Test question three"
answers = [{ text = "Test answer no", score = 0 }, { text = "Test answer yes", score = 2 }]

[[self_assessment.levels]]
name = "Test level low"
from_score = 0

[[self_assessment.levels]]
name = "Test level middle"
from_score = 3

[[self_assessment.levels]]
name = "Test level high"
from_score = 5
"""
OWNER = "owner@warwick.example"
# Questions in the order asked (by theme: T1, T3, then T2), answers by position:
# T1 "some" (1), T3 "yes" (2), T2 "no" (0) = 3, the middle level.
FIRST = {"q1": "1", "q2": "1", "q3": "0", "publish": "yes"}
# A year later: T1 "full" (2), T3 "yes" (2), T2 "yes" (2) = 6, the high level; not published.
SECOND = {"q1": "2", "q2": "1", "q3": "1", "publish": "no"}


@pytest.fixture
def warwickshire(app, db):
    return load_council(WARWICKSHIRE, TEST_SELF_ASSESSMENT)


@pytest.fixture
def supplier(client, warwickshire):
    organisation, _owner = signatory_of(warwickshire, client, OWNER, "Warwick")
    return organisation


def url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}/self-assessment{rest}"


def register_page(organisation) -> str:
    return f"/c/warwickshire/register/{organisation.slug}"


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _results(db, organisation) -> list[SelfAssessment]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(SelfAssessment)
            .where(SelfAssessment.organisation_id == organisation.id)
            .order_by(SelfAssessment.completed_on)
        )
    )


def test_a_signatory_completes_it_twice_a_year_apart_and_sees_its_change(app, client, db, supplier):
    today = date.today()
    dashboard = _text(client, f"/organisations/{supplier.slug}")
    assert "Complete the Test maturity self-assessment" in dashboard
    form = _text(client, url(supplier, "/new"))
    # Grouped by theme, in the scheme's order of themes (NP1's two questions, then NP2's), and
    # numbered in the order asked.
    np1 = form.index("Creating new businesses, new jobs and new skills")
    np2 = form.index("Tackling climate change and reducing waste")
    assert np1 < form.index("1. Test question one") < form.index("2. Test question three") < np2
    assert np2 < form.index("3. Test question two")

    assert submit(client, url(supplier, "/new"), FIRST).status_code == 302
    [first] = _results(db, supplier)
    assert (first.score, first.best_score, first.level) == (3, 6, "Test level middle")
    assert first.completed_on == today and first.published
    assert [(a["code"], a["answer"]) for a in first.answers] == [
        ("T1", "Test answer some"),
        ("T3", "Test answer yes"),
        ("T2", "Test answer no"),
    ]
    page = _text(client, url(supplier))
    assert "Test level middle" in page and "3 out of 6" in page
    dashboard = _text(client, f"/organisations/{supplier.slug}")
    assert f"Level: Test level middle, on {format_date(today)}" in dashboard
    assert f"You can repeat it from {format_date(add_months(today, 12))}" in dashboard
    public = _text(client, register_page(supplier))
    assert f"Test level middle (a score of 3 out of 6), completed on {format_date(today)}" in public

    # Again within the year: refused with the date it may be repeated; nothing saved.
    again_from = add_months(today, 12)
    refused = submit(client, url(supplier, "/new"), SECOND, form_url=url(supplier))
    assert refused.status_code == 409
    assert f"you can complete it again from {format_date(again_from)}" in refused.get_data(
        as_text=True
    )
    assert len(_results(db, supplier)) == 1
    with on_day(again_from - timedelta(days=1)):
        client = signed_in_client(app, OWNER)
        assert "complete it again from" in _text(client, url(supplier, "/new"))

    with on_day(again_from):
        client = signed_in_client(app, OWNER)
        assert submit(client, url(supplier, "/new"), SECOND).status_code == 302
        _first, second = _results(db, supplier)
        assert (second.score, second.level, second.published) == (6, "Test level high", False)
        assert second.completed_on == again_from
        page = _text(client, url(supplier))
        assert f"Compared with {format_date(today)}" in page
        assert "up 3 points" in page
        assert "from Test level middle to Test level high" in page
        # Its latest result is not agreed for publishing: the register shows no result.
        assert "Test level" not in _text(client, register_page(supplier))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"q2": None}, "Select an answer to question 2"),
        ({"q1": "3"}, "Select an answer to question 1"),
        ({"q3": "yes"}, "Select an answer to question 3"),
        ({"q1": None, "q3": None}, "Select an answer to question 3"),
        ({"publish": None}, "Select yes if you agree to publish the result on the register"),
        ({"publish": "maybe"}, "Select yes if you agree to publish the result on the register"),
    ],
)
def test_every_question_must_be_answered_and_nothing_is_saved_otherwise(
    client, db, supplier, change, message
):
    data = {k: v for k, v in (FIRST | change).items() if v is not None}
    response = submit(client, url(supplier, "/new"), data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and message in body
    assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 0


def test_a_charter_without_a_self_assessment_shows_none(app, client, db):
    plain = load_council(WARWICKSHIRE)  # the file as the council's words give it
    organisation, _owner = signatory_of(plain, client, OWNER, "Warwick")
    assert "self-assessment" not in _text(client, f"/organisations/{organisation.slug}")
    assert client.get(url(organisation)).status_code == 404
    assert client.get(url(organisation, "/new")).status_code == 404


def test_the_result_page_costs_the_same_however_many_years_were_assessed(
    client, db, warwickshire, supplier, query_counter
):
    def count() -> int:
        client.get(url(supplier))
        with query_counter() as counter:
            assert client.get(url(supplier)).status_code == 200
        return counter.value

    signing_id = signing_id_for(supplier.id)
    years = [date.today() - timedelta(days=366 * n) for n in range(6, 0, -1)]

    def add(day: date) -> None:
        db.session.add(
            SelfAssessment(
                organisation_id=supplier.id,
                signing_id=signing_id,
                scheme_id=warwickshire.id,
                name="Test maturity self-assessment",
                answers=[],
                score=1,
                best_score=6,
                level="Test level low",
                completed_on=day,
                published=False,
            )
        )
        db.session.commit()

    add(years[0])
    add(years[1])
    few = count()
    for day in years[2:]:
        add(day)
    assert count() == few


def test_a_cached_register_page_shows_a_new_result_at_once(app, client, db, supplier):
    visitor = app.test_client()
    before = visitor.get(register_page(supplier))
    assert before.status_code == 200 and "Test level" not in before.get_data(as_text=True)

    assert submit(client, url(supplier, "/new"), FIRST).status_code == 302

    again = visitor.get(register_page(supplier), headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 200
    assert "Test level middle" in again.get_data(as_text=True)
