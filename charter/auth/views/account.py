"""Your account: who you are signed in as and your roles (in which charters)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from charter.auth import bp
from charter.auth.forms.shared import ButtonForm
from charter.services.domain import staff


@bp.get("/account")
@login_required
def show_account():
    return render_template(
        "auth/account.html",
        user=current_user,
        role_label="; ".join(staff.role_labels(current_user)),
        is_staff=staff.is_staff_anywhere(current_user),
        sign_out_everywhere_form=ButtonForm(),
    )
