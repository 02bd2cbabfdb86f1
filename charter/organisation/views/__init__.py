from charter.organisation import bp


@bp.get("/")
def list_organisations():
    return "TODO"
