"""Notices to a charter's staff about their own role: each names the charter it is held in,
since one person may be staff of several."""

from __future__ import annotations

from charter.models.staff import ADMINISTRATOR
from charter.services.notices.links import link
from charter.services.notices.outbox import queue_email

SUBJECTS = {
    ADMINISTRATOR: "You have been appointed as an administrator of the {name}",
}
DEFAULT_SUBJECT = "You have been appointed as a Charter Mark assessor for the {name}"


def appointed(user, role: str, charter, appointed_by) -> None:
    queue_email(
        user.email,
        SUBJECTS.get(role, DEFAULT_SUBJECT).format(name=charter.name),
        f"{role}-appointed",
        user=user,
        charter=charter,
        appointed_by=appointed_by,
        sign_in_url=link("auth.sign_in"),
        # Signed by the charter the role is in, not the default charter's branding.
        service_name=charter.service_name,
        running_body=charter.running_body,
    )
