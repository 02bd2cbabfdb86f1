"""Organisation pages, one module per journey."""

from charter.organisation.views import (  # noqa: F401
    applications,
    audits,
    certificate,
    charters,
    confirmation,
    contract_alternatives,
    contract_proposals,
    contracts,
    dashboard,
    evidence,
    figure_queries,
    members,
    plans,
    ppon,
    publishing,
    registration,
    return_evidence,
    returns,
    signing,
)
