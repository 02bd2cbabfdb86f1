from charter.organisation import bp  # noqa: F401


@bp.get("/")
def list_organisations():
    return "TODO"
