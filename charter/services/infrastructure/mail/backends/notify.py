"""GOV.UK Notify, through its official client, with one generic email template.

Notify sends only from templates, so the service uses one template whose subject is
``((subject))`` and whose body is ``((body))``; each email fills both
(docs/operations.md, "GOV.UK Notify").
Notify builds the message itself, so of the extra headers only List-Unsubscribe can be carried,
as Notify's ``one_click_unsubscribe_url``; the others are not sent through Notify.

Errors: 5xx, 429 (rate limit) and time-outs or refused connections are transient; other 4xx are
permanent, except 401/403 (the API key refused), which is our configuration, not the email.
"""

from __future__ import annotations

import logging
import re

from notifications_python_client.errors import APIError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient

from charter.models import OutboxEmail
from charter.services.infrastructure.mail.backends import DeliveryFailure

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
# "<key name>-<service id>-<secret>": the client reads the last 73 characters.
API_KEY_LENGTH = 73
HTTPS_IN_ANGLES_RE = re.compile(r"<(https://[^>\s]+)>")


def one_click_unsubscribe_url(headers: dict[str, str] | None) -> str | None:
    """The https address in a List-Unsubscribe header, the one part Notify can carry."""
    for name, value in (headers or {}).items():
        if name.lower() == "list-unsubscribe":
            match = HTTPS_IN_ANGLES_RE.search(str(value))
            return match.group(1) if match else None
    return None


def _error_text(exc: APIError) -> str:
    message = exc.message
    if isinstance(message, list):
        message = "; ".join(
            str(item.get("message", item)) if isinstance(item, dict) else str(item)
            for item in message
        )
    return str(message)


def classify(exc: APIError) -> DeliveryFailure:
    if exc.response is None:
        return DeliveryFailure(
            "Could not reach GOV.UK Notify (time-out or refused connection)", permanent=False
        )
    status = exc.status_code
    text = f"GOV.UK Notify answered {status}: {_error_text(exc)}"
    if status in (401, 403):
        return DeliveryFailure(text + " (check NOTIFY_API_KEY)", permanent=False)
    return DeliveryFailure(text, permanent=not (status == 429 or status >= 500))


class NotifyBackend:
    name = "notify"

    def __init__(self, config) -> None:
        self.client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"],
            base_url=config.get("NOTIFY_BASE_URL") or DEFAULT_BASE_URL,
            timeout=float(config.get("MAIL_TIMEOUT_SECONDS") or 30),
        )
        self.template_id = config["NOTIFY_TEMPLATE_ID"]
        self.reply_to_id = config.get("NOTIFY_REPLY_TO_ID") or None

    def send(self, email: OutboxEmail) -> str | None:
        try:
            response = self.client.send_email_notification(
                email_address=email.to_address,
                template_id=self.template_id,
                personalisation={"subject": email.subject, "body": email.body},
                # Our id, not personal data: finds the email in Notify's records.
                reference=f"charter-outbox-{email.id}",
                email_reply_to_id=self.reply_to_id,
                one_click_unsubscribe_url=one_click_unsubscribe_url(email.headers),
            )
        except InvalidResponse:
            # A 2xx answer that is not JSON: Notify accepted the email, so it is not sent again.
            log.warning("GOV.UK Notify took outbox email %s; its answer was unreadable", email.id)
            return None
        except APIError as exc:
            raise classify(exc) from exc
        return str(response.get("id")) if isinstance(response, dict) else None

    def close(self) -> None:
        self.client.request_session.close()
