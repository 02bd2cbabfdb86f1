"""Notices of an assessor's decisions: to the organisation, and to an assessor whose award the
moderator sent back."""

from __future__ import annotations

from datetime import date

from charter.services.notices.links import dashboard, link
from charter.services.notices.outbox import email_members, queue_email


def _tell_members(organisation, subject: str, template: str, **context) -> None:
    email_members(organisation, subject, template, dashboard_url=dashboard(organisation), **context)


def information_requested(organisation, questions: str) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: the assessor has asked for more information",
        "assessment-information-requested",
        questions=questions,
    )


def refused(organisation, reasons: str, *, reapply_on: date, appeal_by: date) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: your application for the Charter Mark has been refused",
        "assessment-refused",
        reasons=reasons,
        reapply_on=reapply_on,
        appeal_by=appeal_by,
    )


def awarded(organisation, mark, rationale: str, *, runs_from, validity_months: int) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: you have been awarded the Charter Mark",
        "assessment-awarded",
        mark=mark,
        rationale=rationale,
        runs_from=runs_from,
        validity_months=validity_months,
    )


def sent_back(first_assessor, organisation, application, moderator, reasons: str) -> None:
    queue_email(
        first_assessor.email,
        f"{organisation.name}: your award was sent back by the moderator",
        "assessment-sent-back",
        recipient=first_assessor,
        organisation=organisation,
        moderator=moderator,
        reasons=reasons,
        review_url=link("assessor.review_application", application_id=application.id),
    )
