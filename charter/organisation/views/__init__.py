"""Organisation pages, one module per journey."""

from charter.organisation.views import (  # noqa: F401
    contracts,
    dashboard,
    evidence,
    members,
    plans,
    registration,
    returns,
    signing,
)
