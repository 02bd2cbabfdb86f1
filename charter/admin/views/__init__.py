"""Administration pages, one module per journey."""

from charter.admin.views import (  # noqa: F401
    appeals,
    audits,
    charters,
    commissioners,
    contract_managers,
    contract_report,
    dashboard,
    emails,
    flagged_figures,
    impact,
    notice_imports,
    organisations,
    people,
    proxies,
    published_notices,
    register_entries,
    reviews,
    sanctions,
    staff,
)
