from charter.organisation import bp  # noqa: F401
