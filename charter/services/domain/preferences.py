"""Email preferences: a person may turn off reminders (a return falls due, the annual
confirmation is due), never decisions, warnings of suspension or lapse, or sign-in mail.

Reminders carry a one-click unsubscribe link (RFC 8058): ``List-Unsubscribe`` with a signed
token naming the person, and ``List-Unsubscribe-Post``. The token is signed with SECRET_KEY,
so it works without signing in and cannot be made up for someone else. An organisation always
keeps at least one member receiving reminders, so turning them off is refused to its last one.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app, render_template, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import nodes
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Membership, Organisation, OutboxEmail, User
from charter.models.organisation import OWNER
from charter.services.infrastructure.bulk_insert import among, insert_many

UNSUBSCRIBE_SALT = "unsubscribe-reminders"


class PreferenceRefused(Exception):
    """Turning reminders off would leave an organisation with nobody receiving them."""

    def __init__(self, organisations: list[str]):
        self.organisations = organisations
        names = ", ".join(organisations)
        super().__init__(
            f"You are the only person at {names} who receives reminders. Ask a colleague to turn "
            "reminders on, or invite one, before you turn yours off."
        )


# --- tokens and headers -----------------------------------------------------------------------


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
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**31:
        return None
    return db.session.get(User, user_id)


def unsubscribe_url(user_id: int) -> str:
    return url_for("auth.unsubscribe", token=unsubscribe_token(user_id), _external=True)


def reminder_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: the delivery worker adds these to the message."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- who receives what ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    full_name: str
    is_owner: bool
    reminders: bool


def recipients_of(organisation_ids) -> dict[int, list[Recipient]]:
    """Every member of each organisation, in one query."""
    rows = db.session.execute(
        select(
            Membership.organisation_id,
            User.id,
            User.email,
            User.full_name,
            Membership.role,
            User.reminder_emails,
        )
        .join(User, User.id == Membership.user_id)
        .where(among(Membership.organisation_id, organisation_ids))
        .order_by(Membership.organisation_id, User.id)
    ).all()
    out: dict[int, list[Recipient]] = defaultdict(list)
    for org_id, user_id, email, name, role, reminders in rows:
        out[org_id].append(Recipient(user_id, email, name, role == OWNER, bool(reminders)))
    return out


def queue_bulk(messages: list[dict]) -> int:
    """Add many outbox emails in one statement (``to_address``, ``subject``, ``body``,
    ``headers``). Not committed."""
    return insert_many(OutboxEmail, messages)


def render_message(
    recipient: Recipient,
    subject: str,
    template: str,
    *,
    reminder: bool,
    **context,
) -> dict | None:
    """One outbox row for ``recipient``; None for a reminder the person has turned off."""
    if reminder and not recipient.reminders:
        return None
    url = unsubscribe_url(recipient.user_id) if reminder else None
    body = render_template(
        f"emails/{template}.txt", recipient=recipient, unsubscribe_url=url, **context
    )
    return {
        "to_address": recipient.email,
        "subject": subject,
        "body": body,
        "headers": reminder_headers(url) if reminder else None,
    }


def email_members_bulk(
    recipients: list[Recipient], subject: str, template: str, *, reminder: bool, **context
) -> list[dict]:
    """The outbox rows for one organisation's members (reminders skip those who opted out).

    The body is rendered once and each person's name and unsubscribe link spliced in, where
    the template uses them only as ``{{ recipient.full_name }}`` and ``{{ unsubscribe_url }}``
    (``_spliceable``): the same text as ``render_message`` per person, which the scheduled
    reviews at national scale spent most of their time in. Otherwise rendered per person."""
    wanted = [r for r in recipients if r.reminders or not reminder]
    name = f"emails/{template}.txt"
    if not wanted or not _spliceable(name):
        rows = [render_message(r, subject, template, reminder=reminder, **context) for r in wanted]
        return [row for row in rows if row is not None]
    shared = render_template(
        name, recipient=_StandIn(), unsubscribe_url=_LINK if reminder else None, **context
    )
    links = unsubscribe_urls([r.user_id for r in wanted]) if reminder else {}
    rows = []
    for r in wanted:
        url = links.get(r.user_id)
        values = {_NAME: str(r.full_name), _LINK: url}
        rows.append(
            {
                "to_address": r.email,
                "subject": subject,
                "body": _SPLICE.sub(lambda m, v=values: v[m.group(0)], shared),
                "headers": reminder_headers(url) if reminder else None,
            }
        )
    return rows


def unsubscribe_urls(user_ids) -> dict[int, str]:
    """``unsubscribe_url`` of each person: one signer and one URL built for them all."""
    serializer = _serializer()
    base = url_for("auth.unsubscribe", token=_TOKEN, _external=True)
    return {u: base.replace(_TOKEN, serializer.dumps(u)) for u in user_ids}


# --- rendering once for many people -----------------------------------------------------------

# Stand-ins rendered in place of a person's name and link, then replaced. NUL bytes cannot come
# from a form (refused before any view), so no organisation's text contains them.
_NAME, _LINK = "\x00recipient.full_name\x00", "\x00unsubscribe_url\x00"
_SPLICE = re.compile("\x00(?:recipient\\.full_name|unsubscribe_url)\x00")
_TOKEN = "unsubscribe-token-stand-in"  # URL-safe, as every signed token is
_CHECKED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class _StandIn:
    full_name: str = _NAME


def _spliceable(name: str) -> bool:
    """Whether the template (and what it includes) uses the person only as
    ``{{ recipient.full_name }}`` and the link only as ``{{ unsubscribe_url }}`` or
    ``{% if unsubscribe_url %}``, without escaping: then a body rendered once with stand-ins,
    the stand-ins replaced, is the body rendered for each person. Checked once per template."""
    env = current_app.jinja_env
    checked = _CHECKED.setdefault(env, {})
    if name not in checked:
        checked[name] = _uses_person_plainly(env, name, set())
    return checked[name]


def _uses_person_plainly(env, name: str, seen: set[str]) -> bool:
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    if autoescape or name in seen:
        return False
    seen.add(name)
    tree = env.parse(env.loader.get_source(env, name)[0])
    return _plain(env, tree, None, None, seen)


def _plain(env, node, parent, field, seen) -> bool:
    if isinstance(node, nodes.Name) and node.name == "recipient":
        return False  # every allowed use is matched at its Getattr or Output below
    if isinstance(node, nodes.Name) and node.name == "unsubscribe_url":
        allowed = isinstance(parent, nodes.Output) or (isinstance(parent, nodes.If) and field)
        return allowed and node.ctx == "load"
    if (
        isinstance(node, nodes.Getattr)
        and isinstance(node.node, nodes.Name)
        and node.node.name == "recipient"
    ):
        return node.attr == "full_name" and isinstance(parent, nodes.Output)
    if isinstance(node, (nodes.Extends, nodes.Import, nodes.FromImport, nodes.EvalContextModifier)):
        return False
    if isinstance(node, nodes.Include):
        if not isinstance(node.template, nodes.Const):
            return False
        if not _uses_person_plainly(env, node.template.value, seen):
            return False
    for child_field, value in node.iter_fields():
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, nodes.Node) and not _plain(
                env, child, node, child_field == "test", seen
            ):
                return False
    return True


# --- the account page -------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRecipients:
    organisation: Organisation
    receiving_reminders: list[str]  # names
    everyone: list[str]


def organisations_of(user: User) -> list[OrganisationRecipients]:
    """For the account page: each of the person's organisations and who receives its mail."""
    organisations = db.session.scalars(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    members = recipients_of([o.id for o in organisations])
    return [
        OrganisationRecipients(
            organisation,
            [m.full_name for m in members[organisation.id] if m.reminders],
            [m.full_name for m in members[organisation.id]],
        )
        for organisation in organisations
    ]


def _last_reminder_recipient_at(user: User) -> list[str]:
    """Names of the person's organisations where nobody else receives reminders."""
    others = (
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id == Organisation.id,
            User.id != user.id,
            User.reminder_emails.is_(True),
        )
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Organisation.name)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user.id, others == 0)
            .order_by(Organisation.name)
        )
    )


def set_reminders(user: User, receive: bool) -> None:
    """Turn reminders on or off (not committed); refuses to leave an organisation without."""
    if not receive and user.reminder_emails:
        alone = _last_reminder_recipient_at(user)
        if alone:
            raise PreferenceRefused(alone)
    user.reminder_emails = receive
