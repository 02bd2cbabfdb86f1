"""What the charter delivers: verified figures added up by period and breakdown.

- `periods`: quarters, financial years and all time, and their keys.
- `build`: rebuilds the summary rows, set-based (nightly, after demo data, or by hand).
- `figures`: reads them for the impact page, the open data and the reports, with disclosure
  control applied for the public.

Proxy values over time (the £ per unit in force on a day) are the domain's:
``charter.services.domain.proxy_values``.
"""
