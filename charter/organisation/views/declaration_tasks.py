"""The dashboard's tasks for what a charter's scheme may ask besides the plan and returns: the
minimum standards declaration and the self-assessment (issue 21). A charter whose scheme asks
neither adds no task; each task that is shown costs one query."""

from __future__ import annotations

from datetime import date

from flask import url_for

from charter.formatting import format_date
from charter.services.domain import minimum_standards, self_assessments

_TAGS = {
    minimum_standards.NONE: ("Not yet started", "govuk-tag--blue"),
    minimum_standards.DUE: ("Renew soon", "govuk-tag--orange"),
    minimum_standards.LAPSED: ("Lapsed", "govuk-tag--red"),
}


def _status(state: str) -> dict:
    if state in _TAGS:
        text, colour = _TAGS[state]
        return {"tag": {"text": text, "classes": colour}}
    return {"text": "Completed"}


def tasks(organisation, membership, signed: bool, today: date | None = None) -> list[dict]:
    """The task list items, after signing: none before the organisation has signed."""
    if not signed:
        return []
    items = []
    standing = minimum_standards.standing(organisation, today)
    if standing is not None:
        latest = standing.latest
        if latest is None:
            hint = "Before your action plan can be sent"
        elif standing.state == minimum_standards.LAPSED:
            hint = f"It lapsed on {format_date(latest.lapses_on)}: declare again"
        else:
            hint = f"Declared on {format_date(latest.declared_at)}, lapses on " + format_date(
                latest.lapses_on
            )
        items.append(
            {
                "title": {"text": "Declare the minimum standards"},
                "hint": {"text": hint},
                "status": _status(standing.state),
                "href": url_for("organisation.declare_minimum_standards", slug=organisation.slug)
                if membership is not None
                else None,
            }
        )
    definition = self_assessments.definition_of(organisation)
    if definition is not None:
        latest = next(iter(self_assessments.history(organisation, 1)), None)
        status = (
            {"text": "Completed"}
            if latest
            else {"tag": {"text": "Not yet started", "classes": "govuk-tag--blue"}}
        )
        hint = (
            f"Level: {latest.level}, on {format_date(latest.completed_on)}. You can repeat it "
            f"from {format_date(self_assessments.next_from(latest))}"
            if latest
            else "Once a year"
        )
        items.append(
            {
                "title": {"text": f"Complete the {definition['name']}"},
                "hint": {"text": hint},
                "status": status,
                "href": url_for("organisation.show_self_assessment", slug=organisation.slug)
                if membership is not None
                else None,
            }
        )
    return items
