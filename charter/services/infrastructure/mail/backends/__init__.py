"""Delivery backends: where the worker hands an email over. Chosen by ``MAIL_BACKEND``.

- ``log``: write it to the application log (development and the demo; the outbox page shows it).
- ``smtp``: the council's own relay (smtp.py).
- ``notify``: GOV.UK Notify, through its official client (notify.py).

A backend's ``send`` returns a reference to trace the email at the provider, or raises
:class:`DeliveryFailure`, saying whether trying again later could help. Its reason is stored and
shown to administrators, so it never carries an email address (see :func:`redact`).
"""

from __future__ import annotations

import logging
import re
from typing import Protocol

from charter.models import OutboxEmail

log = logging.getLogger(__name__)

BACKENDS = ("log", "smtp", "notify")
REASON_MAX_LENGTH = 300
EMAIL_ADDRESS_RE = re.compile(r"<?[^\s<>@\"']+@[^\s<>@\"']+>?")


def redact(text: str) -> str:
    """``text`` with anything like an email address replaced, whitespace collapsed, cut short:
    servers' refusals often quote the recipient ("550 <ann@example.com>: no such user")."""
    text = EMAIL_ADDRESS_RE.sub("[email address]", text)
    text = " ".join(text.split())
    if len(text) > REASON_MAX_LENGTH:
        text = text[: REASON_MAX_LENGTH - 1] + "…"
    return text


class DeliveryFailure(Exception):
    """The backend could not send the email. ``permanent`` means trying again cannot help."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = redact(reason)
        self.permanent = permanent


class Backend(Protocol):
    name: str

    def send(self, email: OutboxEmail) -> str | None: ...

    def close(self) -> None: ...


class LogBackend:
    """Development: the email goes to the log (and is read on /dev/emails)."""

    name = "log"

    def send(self, email: OutboxEmail) -> str | None:
        log.info("Email to %s: %s\n%s", email.to_address, email.subject, email.body)
        return None

    def close(self) -> None:
        pass


def backend_name(config) -> str:
    """``MAIL_BACKEND``, or as before it existed: SMTP when ``MAIL_SERVER`` is set, else the log."""
    chosen = (config.get("MAIL_BACKEND") or "").strip().lower()
    if chosen:
        return chosen
    return "smtp" if config.get("MAIL_SERVER") else "log"


def configuration_problems(config) -> list[str]:
    """What stops the chosen backend working, in words for ``flask charter check-config``."""
    name = backend_name(config)
    if name not in BACKENDS:
        return [f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}"]
    problems = []
    if name == "smtp":
        if not config.get("MAIL_SERVER"):
            problems.append("MAIL_BACKEND is smtp but MAIL_SERVER is not set")
        if config.get("MAIL_USE_SSL") and config.get("MAIL_USE_STARTTLS"):
            problems.append("Set MAIL_USE_SSL or MAIL_USE_STARTTLS, not both")
        if bool(config.get("MAIL_USERNAME")) != bool(config.get("MAIL_PASSWORD")):
            problems.append("Set both MAIL_USERNAME and MAIL_PASSWORD, or neither")
    if name == "notify":
        from charter.services.infrastructure.mail.backends.notify import API_KEY_LENGTH

        key = config.get("NOTIFY_API_KEY") or ""
        if len(key) < API_KEY_LENGTH:
            problems.append("MAIL_BACKEND is notify but NOTIFY_API_KEY is missing or too short")
        if not config.get("NOTIFY_TEMPLATE_ID"):
            problems.append("MAIL_BACKEND is notify but NOTIFY_TEMPLATE_ID is not set")
    return problems


def open_backend(config) -> Backend:
    """The backend ``config`` chooses. Raises ValueError if it is not configured."""
    problems = configuration_problems(config)
    if problems:
        raise ValueError("; ".join(problems))
    name = backend_name(config)
    if name == "smtp":
        from charter.services.infrastructure.mail.backends.smtp import SmtpBackend

        return SmtpBackend(config)
    if name == "notify":
        from charter.services.infrastructure.mail.backends.notify import NotifyBackend

        return NotifyBackend(config)
    return LogBackend()
