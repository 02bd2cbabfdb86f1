"""Organisation pages, one module per journey."""

from charter.organisation.views import (  # noqa: F401
    applications,
    audits,
    certificate,
    charters,
    confirmation,
    contract_proposals,
    contracts,
    dashboard,
    evidence,
    figure_queries,
    members,
    plans,
    pledges,
    ppon,
    publishing,
    registration,
    return_evidence,
    returns,
    signing,
)
