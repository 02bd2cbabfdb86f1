"""One-click unsubscribe from reminders (RFC 8058).

Reminders carry ``List-Unsubscribe`` with a signed token naming the person, and
``List-Unsubscribe-Post``. The token is signed with SECRET_KEY, so it works without signing in
and cannot be made up for someone else. What a person may turn off, and the rule that an
organisation keeps one member receiving reminders, are in ``domain/preferences.py``.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from charter.extensions import db
from charter.models import User
from charter.models.base import INTEGER_COLUMN_MAX
from charter.services.notices.links import link

UNSUBSCRIBE_SALT = "unsubscribe-reminders"
_TOKEN = "unsubscribe-token-stand-in"  # URL-safe, as every signed token is


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int) -> str:
    return _serializer().dumps(user_id)


def user_for_token(token: str) -> User | None:
    """The person a token names, or None if it was not signed by this service."""
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(user_id, int)
        or isinstance(user_id, bool)
        or not 0 < user_id <= INTEGER_COLUMN_MAX
    ):
        return None
    return db.session.get(User, user_id)


def unsubscribe_url(user_id: int) -> str:
    return link("auth.unsubscribe", token=unsubscribe_token(user_id))


def unsubscribe_urls(user_ids) -> dict[int, str]:
    """``unsubscribe_url`` of each person: one signer and one URL built for them all."""
    serializer = _serializer()
    base = link("auth.unsubscribe", token=_TOKEN)
    return {u: base.replace(_TOKEN, serializer.dumps(u)) for u in user_ids}


def reminder_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: the delivery worker adds these to the message."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
