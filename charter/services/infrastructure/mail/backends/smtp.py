"""SMTP delivery through the council's relay: one connection per batch, reopened after an error.

Replies in the 4xx range, dropped connections and time-outs are transient (tried again later);
5xx refusals are permanent, except authentication and TLS demands, which are about our
configuration rather than the email, so they are retried while someone fixes the settings.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime

from charter.models import OutboxEmail
from charter.models.base import utcnow
from charter.services.infrastructure.mail.backends import DeliveryFailure

# Headers the service sets itself: an extra header of the same name is ignored, so a stored
# header can never redirect an email or disguise its sender.
# RFC 4954: authentication (or STARTTLS) required, too weak, invalid, needs encryption. About
# our settings, not the email: retried while someone fixes them.
SETTINGS_CODES = frozenset({530, 534, 535, 538})
OWN_HEADERS = frozenset({"from", "to", "cc", "bcc", "subject", "date", "message-id", "sender"})


def message_id(email: OutboxEmail, mail_from: str) -> str:
    """The same Message-ID on every attempt, so a mail store that sees a duplicate (see the
    docs/operations.md, "exactly once in the normal case") can tell it is one."""
    domain = mail_from.rpartition("@")[2] or "localhost"
    stamp = email.created_at.strftime("%Y%m%d%H%M%S%f") if email.created_at else "0"
    return f"<charter-outbox-{email.id}-{stamp}@{domain}>"


def build_message(email: OutboxEmail, mail_from: str) -> EmailMessage:
    """The email as sent: plain text, our headers, then the stored extra headers."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = format_datetime((email.created_at or utcnow()).replace(tzinfo=UTC), True)
    message["Message-ID"] = message_id(email, mail_from)
    # RFC 3834: out-of-office replies should not answer a service's emails.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (email.headers or {}).items():
        if name.lower() in OWN_HEADERS:
            continue
        try:
            message[name] = value
        except (ValueError, TypeError) as exc:
            raise DeliveryFailure(
                f"The extra header {name!r} cannot be sent ({exc})", permanent=True
            ) from exc
    message.set_content(email.body)
    return message


def _response_failure(code: int, text: bytes | str, what: str) -> DeliveryFailure:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if code in SETTINGS_CODES:
        return DeliveryFailure(
            f"{what}: {code} {text} (check MAIL_USE_STARTTLS, MAIL_USE_SSL, MAIL_USERNAME)",
            permanent=False,
        )
    return DeliveryFailure(f"{what}: {code} {text}", permanent=500 <= code < 600)


def classify(exc: Exception) -> DeliveryFailure:
    """An SMTP or network error as a :class:`DeliveryFailure`."""
    if isinstance(exc, DeliveryFailure):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryFailure(
            f"The SMTP server refused the username or password ({exc.smtp_code}); "
            "check MAIL_USERNAME and MAIL_PASSWORD",
            permanent=False,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return DeliveryFailure(
            f"The SMTP server does not offer what the settings ask for ({exc}); "
            "check MAIL_USE_STARTTLS and MAIL_USERNAME",
            permanent=False,
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (451, b"refused"))
        return _response_failure(code, text, "The SMTP server refused the recipient")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return _response_failure(exc.smtp_code, exc.smtp_error, "The SMTP server refused MAIL_FROM")
    if isinstance(exc, smtplib.SMTPResponseException):
        return _response_failure(exc.smtp_code, exc.smtp_error, "The SMTP server refused the email")
    if isinstance(exc, ssl.SSLError):
        return DeliveryFailure(f"TLS with the SMTP server failed ({exc.reason})", permanent=False)
    if isinstance(exc, (smtplib.SMTPServerDisconnected, socket.timeout, TimeoutError)):
        return DeliveryFailure(
            "The SMTP server closed the connection or timed out", permanent=False
        )
    if isinstance(exc, OSError):
        return DeliveryFailure(
            f"Could not connect to the SMTP server ({exc.strerror or type(exc).__name__})",
            permanent=False,
        )
    return DeliveryFailure(f"SMTP error ({type(exc).__name__})", permanent=False)


class SmtpBackend:
    name = "smtp"

    def __init__(self, config) -> None:
        self.host = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))
        self.use_starttls = bool(config.get("MAIL_USE_STARTTLS"))
        self.username = config.get("MAIL_USERNAME") or None
        self.password = config.get("MAIL_PASSWORD") or None
        self.timeout = float(config.get("MAIL_TIMEOUT_SECONDS") or 30)
        self.mail_from = config["MAIL_FROM"]
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.use_starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: OutboxEmail) -> str | None:
        message = build_message(email, self.mail_from)
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message)
        except Exception as exc:
            # Whatever state the session is in now, the next email starts a fresh one.
            self.close()
            raise classify(exc) from exc
        return message["Message-ID"]

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
