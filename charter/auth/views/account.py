"""Your account: who you are signed in as and your role."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from charter.auth import bp
from charter.auth.forms.shared import ButtonForm

ROLE_LABELS = {
    "member": "Organisation member",
    "assessor": "Assessor",
    "admin": "Scheme administrator",
}


@bp.get("/account")
@login_required
def show_account():
    return render_template(
        "auth/account.html",
        user=current_user,
        role_label=ROLE_LABELS.get(current_user.role, current_user.role),
        sign_out_everywhere_form=ButtonForm(),
    )
