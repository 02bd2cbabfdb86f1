"""Notices about an action plan: sent for review, approved or returned."""

from __future__ import annotations

from charter.services.notices.links import link
from charter.services.notices.outbox import email_members


def _tell_members(organisation, subject: str, template: str, **context) -> None:
    plan_url = link("organisation.show_plan", slug=organisation.slug)
    email_members(organisation, subject, template, plan_url=plan_url, **context)


def submitted(organisation, plan, by) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: action plan sent for review",
        "plan-submitted",
        plan=plan,
        submitted_by=by,
    )


def decided(organisation, plan, approved: bool) -> None:
    _tell_members(
        organisation,
        f"{organisation.name}: your action plan has been "
        + ("approved" if approved else "returned for changes"),
        "plan-decided",
        plan=plan,
        approved=approved,
    )
