"""Organisation pages, one module per journey."""

from charter.organisation.views import dashboard, members, registration, signing  # noqa: F401
