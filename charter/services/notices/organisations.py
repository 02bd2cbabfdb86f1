"""Notices about an organisation's people: an invitation to join, a new owner."""

from __future__ import annotations

from charter.services.notices.links import dashboard, link
from charter.services.notices.outbox import queue_email


def invited(organisation, email: str, invited_by, token: str, *, valid_days: int) -> None:
    queue_email(
        email,
        f"You have been invited to join {organisation.name}",
        "invitation",
        organisation=organisation,
        invited_by=invited_by,
        link=link("organisation.accept_invitation", token=token),
        valid_days=valid_days,
    )


def ownership_transferred(organisation, new_owner) -> None:
    queue_email(
        new_owner.email,
        f"You are now the owner of {organisation.name}",
        "ownership-transferred",
        organisation=organisation,
        new_owner=new_owner,
        link=dashboard(organisation),
    )
