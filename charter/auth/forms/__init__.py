"""Account forms, one module per journey; every field carries a GOV.UK-style message."""
