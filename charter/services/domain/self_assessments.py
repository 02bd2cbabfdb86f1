"""The self-assessment (issue 21): where a charter's scheme has one (``[self_assessment]``:
Warwickshire's policy starts with "complete the Social Value Maturity Index self-assessment"),
a member answers every question, each answer scores, and the total reaches a level.

The rules, decided here (docs/scheme-files.md, "Minimum standards and the self-assessment"):

- **Once a year**: a signing's next self-assessment may be completed from a year after the
  previous one's date (``next_from``); earlier is refused with the date it may be repeated.
- **Every question answered** with one of its answers, or nothing is saved.
- Each result keeps the questions and answers as they were, its score, the best score the
  answers allow and its level, so a later scheme version does not change it; the previous
  result is shown beside the latest (``compare``).
- **Published only by consent**: the form asks whether to show the result, with its date, on
  the charter's public register page; the latest result is shown there only if it was agreed
  (the view moves the pages' version, so the cached page shows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from charter.extensions import db
from charter.formatting import format_date
from charter.models import Organisation, Theme, User
from charter.models.declarations import SelfAssessment
from charter.services.domain import signings
from charter.services.domain.marks import add_months
from charter.services.domain.refusals import Refused
from charter.services.domain.schemes import scheme_of


class AssessmentRefused(Refused):
    pass


@dataclass(frozen=True)
class Change:
    """The latest result beside the one before it."""

    score: int  # points up (+) or down (-)
    level_before: str
    level_changed: bool


def definition_of(organisation: Organisation) -> dict | None:
    """The self-assessment of the scheme the organisation signed, or None where it has none."""
    scheme = scheme_of(organisation)
    return scheme.self_assessment if scheme is not None else None


def themes_of(organisation: Organisation, definition: dict) -> list[tuple[str, list[dict]]]:
    """The questions grouped by theme, in the scheme's order of themes: (title, questions)."""
    scheme_id = signings.scheme_id_of(organisation)
    titles = dict(
        db.session.execute(
            select(Theme.code, Theme.title)
            .where(Theme.scheme_id == scheme_id)
            .order_by(Theme.position)
        ).all()
    )
    grouped: dict[str, list[dict]] = {}
    for question in definition["questions"]:
        grouped.setdefault(question["theme"], []).append(question)
    codes = [c for c in titles if c in grouped] + [c for c in grouped if c not in titles]
    return [(titles.get(code, code), grouped[code]) for code in codes]


def in_theme_order(organisation: Organisation, definition: dict) -> dict:
    """The definition with its questions in the order they are asked: by theme. Questions are
    numbered in this order on the form, in its errors and in the result kept."""
    ordered = [q for _title, questions in themes_of(organisation, definition) for q in questions]
    return {**definition, "questions": ordered}


def history(organisation: Organisation, limit: int = 2) -> list[SelfAssessment]:
    """The signing's results, latest first."""
    return list(
        db.session.scalars(
            select(SelfAssessment)
            .where(signings.belongs(SelfAssessment, organisation))
            .order_by(SelfAssessment.completed_on.desc(), SelfAssessment.id.desc())
            .limit(limit)
        )
    )


def next_from(previous: SelfAssessment | None) -> date | None:
    """The first day the next self-assessment may be completed (None: at once)."""
    return add_months(previous.completed_on, 12) if previous is not None else None


def compare(latest: SelfAssessment, before: SelfAssessment | None) -> Change | None:
    if before is None:
        return None
    return Change(latest.score - before.score, before.level, latest.level != before.level)


def level_for(definition: dict, score: int) -> str:
    """The highest level whose ``from_score`` the total reaches (the first starts at 0)."""
    reached = [lvl for lvl in definition["levels"] if score >= lvl["from_score"]]
    return reached[-1]["name"]


def best_score(definition: dict) -> int:
    return sum(max(a["score"] for a in q["answers"]) for q in definition["questions"])


def refusal_to_start(organisation: Organisation, today: date | None = None) -> str | None:
    """Why a new self-assessment cannot be completed today (None: it can)."""
    latest = next(iter(history(organisation, 1)), None)
    from_day = next_from(latest)
    if from_day is not None and (today or date.today()) < from_day:
        return (
            f"You completed the self-assessment on {format_date(latest.completed_on)}. It can "
            f"be completed once a year: you can complete it again from {format_date(from_day)}."
        )
    return None


def answer_errors(definition: dict, chosen: dict[str, str | None]) -> dict[str, str]:
    """{question code: message} for every question without one of its answers."""
    errors = {}
    for number, question in enumerate(definition["questions"], start=1):
        value = chosen.get(question["code"])
        if value not in [a["text"] for a in question["answers"]]:
            errors[question["code"]] = f"Select an answer to question {number}"
    return errors


def complete(
    organisation: Organisation,
    user: User,
    chosen: dict[str, str],
    *,
    publish: bool,
    today: date | None = None,
) -> SelfAssessment:
    """Record a completed self-assessment; not committed. ``chosen`` maps each question's code
    to the text of its answer (checked: ``answer_errors``)."""
    definition = definition_of(organisation)
    if definition is None:
        raise AssessmentRefused("This charter has no self-assessment.")
    definition = in_theme_order(organisation, definition)
    today = today or date.today()
    refusal = refusal_to_start(organisation, today)
    if refusal:
        raise AssessmentRefused(refusal)
    errors = answer_errors(definition, chosen)
    if errors:
        raise AssessmentRefused(next(iter(errors.values())), field=next(iter(errors)))
    answers = []
    for question in definition["questions"]:
        answer = next(a for a in question["answers"] if a["text"] == chosen[question["code"]])
        answers.append(
            {
                "code": question["code"],
                "theme": question["theme"],
                "question": question["text"],
                "answer": answer["text"],
                "score": answer["score"],
            }
        )
    score = sum(a["score"] for a in answers)
    signing = signings.required_signing_of(organisation)
    result = SelfAssessment(
        organisation_id=organisation.id,
        signing_id=signing.id,
        scheme_id=signing.scheme_id,
        name=definition["name"],
        answers=answers,
        score=score,
        best_score=best_score(definition),
        level=level_for(definition, score),
        completed_on=today,
        completed_by_id=user.id,
        published=publish,
    )
    db.session.add(result)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise AssessmentRefused(
            "The self-assessment was completed for today while you were working."
        ) from None
    return result


def published_result(organisation: Organisation) -> SelfAssessment | None:
    """The latest result, if the organisation agreed to publish it (for its public page)."""
    latest = next(iter(history(organisation, 1)), None)
    return latest if latest is not None and latest.published else None
