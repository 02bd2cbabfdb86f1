"""Notices about an application for the Charter Mark and its appeal, to the organisation."""

from __future__ import annotations

from charter.services.notices.links import link
from charter.services.notices.outbox import email_members


def _tell_members(organisation, subject: str, template: str, **context) -> None:
    application_url = link("organisation.show_application", slug=organisation.slug)
    email_members(organisation, subject, template, application_url=application_url, **context)


def submitted(organisation, application, by) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: application for the Charter Mark received",
        "application-submitted",
        application=application,
        submitted_by=by,
    )


def information_sent(organisation, application, by) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: your answer has been sent to the assessor",
        "application-information-sent",
        application=application,
        answered_by=by,
    )


def appeal_lodged(organisation, appeal, by) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: appeal received",
        "appeal-lodged",
        appeal=appeal,
        lodged_by=by,
    )


def appeal_decided(organisation, appeal, upheld: bool) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: your appeal has been " + ("upheld" if upheld else "dismissed"),
        "appeal-decided",
        appeal=appeal,
        upheld=upheld,
    )
