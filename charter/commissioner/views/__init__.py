"""Contract managers' pages, one module per journey."""

from charter.commissioner.views import (  # noqa: F401
    contracts,
    invitations,
    reports,
    social_value,
)
