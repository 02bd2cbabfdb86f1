"""Notices to the scheme's staff about their own role."""

from __future__ import annotations

from charter.services.notices.links import link
from charter.services.notices.outbox import queue_email


def assessor_appointed(user, appointed_by) -> None:
    queue_email(
        user.email,
        "You have been appointed as a Charter Mark assessor",
        "assessor-appointed",
        user=user,
        appointed_by=appointed_by,
        sign_in_url=link("auth.sign_in"),
    )
