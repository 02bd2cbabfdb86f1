"""A copy of your information: ask for it on your account page, download it by its link."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from charter.auth import bp
from charter.auth.forms.shared import ButtonForm
from charter.extensions import db
from charter.models.privacy import EXPORT_READY
from charter.services.domain import data_exports


def download_url(export) -> str:
    return url_for("auth.download_data_export", token=data_exports.token_for(export))


@bp.route("/account/your-information", methods=["GET", "POST"])
@login_required
def request_data_export():
    form = ButtonForm()
    if form.validate_on_submit():
        export = data_exports.request_export(current_user, current_user)
        db.session.commit()
        if export.status == EXPORT_READY:
            flash("Your copy is ready to download", "success")
        else:
            flash(
                "We are preparing your copy. We will email you a link when it is ready.", "success"
            )
        return redirect(url_for(".request_data_export"))
    return render_template(
        "auth/data-export.html",
        form=form,
        exports=data_exports.exports_requested_by(current_user, current_user),
        download_url=download_url,
        valid_days=data_exports.valid_days(),
    )


def _link_problem(status: int, **kind):
    flags = {"expired": False, "other_account": False, "preparing": False, **kind}
    return render_template("auth/data-export-link-invalid.html", **flags), status


@bp.get("/account/your-information/<token>")
@login_required
def download_data_export(token: str):
    try:
        export = data_exports.export_from_token(token)
    except data_exports.ExportLinkError as exc:
        return _link_problem(410 if exc.expired else 404, expired=exc.expired)
    if export.requested_by_id != current_user.id:
        return _link_problem(403, other_account=True)
    if export.status != EXPORT_READY:
        return _link_problem(409, preparing=True)
    response = send_file(
        io.BytesIO(data_exports.zip_bytes(export)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"your-information-{export.ready_at:%Y-%m-%d}.zip",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
