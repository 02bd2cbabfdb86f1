"""Public pages, one module per journey."""

from charter.public.views import impact, information, open_data, register, verify  # noqa: F401
