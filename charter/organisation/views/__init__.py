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
    minimum_standards,
    plans,
    ppon,
    publishing,
    registration,
    return_evidence,
    returns,
    self_assessment,
    signing,
)
