"""Account pages, one module per journey."""

from charter.auth.views import (  # noqa: F401
    account,
    closing,
    create_account,
    data_exports,
    passwords,
    preferences,
    sign_in,
)
