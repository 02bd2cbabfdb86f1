from charter.admin import bp


@bp.get("/")
def show_dashboard():
    return "TODO"
