"""Contract managers' pages, one module per journey."""

from charter.commissioner.views import contracts, invitations, reports  # noqa: F401
