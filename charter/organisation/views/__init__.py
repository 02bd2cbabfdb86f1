"""Organisation pages, one module per journey."""

from charter.organisation.views import (  # noqa: F401
    applications,
    certificate,
    confirmation,
    contracts,
    dashboard,
    evidence,
    members,
    plans,
    publishing,
    registration,
    return_evidence,
    returns,
    signing,
)
