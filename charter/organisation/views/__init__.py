"""Organisation pages, one module per journey."""

from charter.organisation.views import dashboard, members, plans, registration, signing  # noqa: F401
