"""What the charter delivers: verified figures added up by period and breakdown.

- `periods`: quarters, financial years and all time, and their keys.
- `build`: rebuilds the summary rows, set-based (nightly, after demo data, or by hand).
- `disclosure` and `protection`: which figures the public may not see (primary and secondary
  suppression, checked by linear programming), flagged once per rebuild; `across`: the same
  rule over the sums between scopes (a charter's, a region's, every charter's).
- `like_for_like`: year-on-year changes among the organisations that reported in both periods.
- `figures`: reads them for the impact page, the open data and the reports, with disclosure
  control applied for the public.

Proxy values over time (the £ per unit in force on a day) are the domain's:
``charter.services.domain.proxy_values``.
"""
