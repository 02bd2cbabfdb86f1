from charter.auth import bp


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    return "TODO"


@bp.post("/sign-out")
def sign_out():
    return "TODO"


@bp.get("/account")
def show_account():
    return "TODO"


@bp.route("/forgotten-password", methods=["GET", "POST"])
def request_password_reset():
    return "TODO"
