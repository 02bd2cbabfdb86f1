"""Public pages, one module per journey."""

from charter.public import charter_prefix  # noqa: F401
from charter.public.views import (  # noqa: F401
    home,
    impact,
    information,
    old_urls,
    open_contracting,
    open_data,
    register,
    together,
    verify,
)
