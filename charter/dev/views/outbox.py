"""A development-only page listing queued emails, so someone running the demo without a mail
server can follow the links in them. Hidden (404) unless debugging or SHOW_OUTBOX is set."""

from __future__ import annotations

import re

from flask import abort, current_app, render_template
from markupsafe import Markup, escape
from sqlalchemy import select

from charter.dev import bp
from charter.extensions import db
from charter.models import OutboxEmail

OUTBOX_PAGE_SIZE = 50
URL_RE = re.compile(r"https?://[^\s<>\"']+")


def outbox_enabled() -> bool:
    return bool(current_app.debug or current_app.config.get("SHOW_OUTBOX"))


def linkify(text: str) -> Markup:
    """Escape ``text`` and make its web addresses into links."""
    pieces: list[Markup] = []
    position = 0
    for match in URL_RE.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        url = escape(match.group(0))
        pieces.append(Markup('<a class="govuk-link" href="{0}">{0}</a>').format(url))
        position = match.end()
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


@bp.get("/emails")
def list_outbox_emails():
    if not outbox_enabled():
        abort(404)
    emails = db.session.scalars(
        select(OutboxEmail)
        .order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
        .limit(OUTBOX_PAGE_SIZE)
    ).all()
    return render_template(
        "dev/outbox.html",
        emails=[(email, linkify(email.body)) for email in emails],
        page_size=OUTBOX_PAGE_SIZE,
    )
