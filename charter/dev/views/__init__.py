"""Development pages, one module per page."""

from charter.dev.views import outbox  # noqa: F401
