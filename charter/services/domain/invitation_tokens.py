"""Invitation links: signed, expiring tokens naming a row, and the rules every invitation keeps
(when it expires, why it can no longer be accepted, who may accept it).

The invitation flow (``invitations``) signs its links here; a copy of someone's information
(``data_exports``) is a signed link too, with its own ``salt`` and lifetime, so one kind of link
never opens another's row with the same id.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from charter.models.base import utcnow

NO_LONGER_ACCEPTABLE = "This invitation can no longer be accepted"
DIFFERENT_ADDRESS = "This invitation is for a different email address"


class InvitationLinkError(Exception):
    """The link is broken (``expired`` False) or too old (``expired`` True)."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def max_age() -> int:
    """How long, in seconds, an invitation may be accepted after it was sent."""
    return current_app.config["INVITATION_MAX_AGE"]


def valid_days() -> int:
    """The same, in whole days, for the invitation email."""
    return max_age() // (60 * 60 * 24)


def cutoff() -> datetime:
    """Invitations created before this can no longer be accepted."""
    return utcnow() - timedelta(seconds=max_age())


def is_expired(invitation) -> bool:
    """Whether an invitation (of any kind: it needs ``created_at``) is too old to accept."""
    return invitation.created_at + timedelta(seconds=max_age()) < utcnow()


def unavailable_reason(invitation) -> str | None:
    """Why the invitation cannot be accepted ("accepted", "cancelled" or "expired"), or None
    while it can."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.cancelled_at is not None:
        return "cancelled"
    if is_expired(invitation):
        return "expired"
    return None


def refusal(invitation, user) -> str | None:
    """Why ``user`` may not accept the invitation now, in words for them; None if they may."""
    if not invitation.is_open or is_expired(invitation):
        return NO_LONGER_ACCEPTABLE
    if invitation.email.lower() != user.email.lower():
        return DIFFERENT_ADDRESS
    return None


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def token_for(invitation, salt: str) -> str:
    """A signed link token naming ``invitation``'s id."""
    return _serializer(salt).dumps(invitation.id)


def id_from_token(token: str, salt: str, seconds: int | None = None) -> int:
    """The id a token names, or InvitationLinkError; the row is still to be found. Other
    signed links (a copy of someone's information) pass their own lifetime in ``seconds``."""
    try:
        invitation_id = _serializer(salt).loads(token, max_age=seconds or max_age())
    except SignatureExpired as exc:
        raise InvitationLinkError(expired=True) from exc
    except BadSignature as exc:
        raise InvitationLinkError(expired=False) from exc
    if not isinstance(invitation_id, int):
        raise InvitationLinkError(expired=False)
    return invitation_id
