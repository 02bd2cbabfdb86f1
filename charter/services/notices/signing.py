"""The notice that an organisation has signed the charter."""

from __future__ import annotations

from charter.models.signing import ROUTES
from charter.services.notices.links import dashboard
from charter.services.notices.outbox import email_members


def signed(organisation, signature, scheme, by) -> None:
    email_members(
        organisation,
        f"{organisation.name} has signed the Social Value Charter",
        "charter-signed",
        signature=signature,
        scheme=scheme,
        signed_by=by,
        route_label=ROUTES[signature.route],
        dashboard_url=dashboard(organisation),
    )
