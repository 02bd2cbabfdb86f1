"""Emails to many members, each body rendered once.

The scheduled reviews at national scale spent most of their time rendering the same body for
every member. Where a template uses the person only as ``{{ recipient.full_name }}`` and the
link only as ``{{ unsubscribe_url }}`` (checked once per template from its syntax tree), the body
is rendered once with stand-ins and each person's name and unsubscribe link spliced in: the same
text as ``render_message`` per person.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from flask import current_app, render_template
from jinja2 import nodes

from charter.award import named_subject
from charter.services.notices.outbox import render_message
from charter.services.notices.recipients import Recipient
from charter.services.notices.tokens import reminder_headers, unsubscribe_urls


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
    subject = named_subject(subject)
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


# --- rendering once for many people -----------------------------------------------------------

# Stand-ins rendered in place of a person's name and link, then replaced. NUL bytes cannot come
# from a form (refused before any view), so no organisation's text contains them.
_NAME, _LINK = "\x00recipient.full_name\x00", "\x00unsubscribe_url\x00"
_SPLICE = re.compile("\x00(?:recipient\\.full_name|unsubscribe_url)\x00")
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
