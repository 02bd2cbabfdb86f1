"""Assessors' pages, one module per journey."""

from charter.assessor.views import applications, audits, plans, returns, work  # noqa: F401
