"""The charters the service runs and the region each is in: a service administrator's page
(charter/admin/scope.py), since a charter's region decides which region's combined pages show
it, beside other charters' (regions.py). A scheme file's [charter] table may give the region
too; loading a file without one leaves the region set here.

A region that is not one of the ONS's is refused with a message and changes nothing. The
region's combined figures follow at the next impact rebuild (nightly); its charters and the
choices on the combined pages at once.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from charter.admin import bp
from charter.admin.forms.charters import CharterRegionForm
from charter.extensions import db
from charter.models import Charter
from charter.services.domain import regions
from charter.services.domain.charters import all_charters


def _render(errors: dict[int, str] | None = None, status: int = 200):
    return (
        render_template(
            "admin/charters.html",
            charters=all_charters(),
            regions=regions.REGIONS,
            errors=errors or {},
            # The error summary's links, by the id of each charter's region field.
            summary={
                f"region-{charter_id}": message for charter_id, message in (errors or {}).items()
            },
            form=CharterRegionForm(),
        ),
        status,
    )


@bp.get("/charters")
def list_charters():
    return _render()


@bp.post("/charters/<int:charter_id>/region")
def set_charter_region(charter_id: int):
    charter = db.get_or_404(Charter, charter_id)
    form = CharterRegionForm()
    if not form.validate_on_submit():
        return _render({charter.id: "The form has expired: try again"}, 400)
    try:
        changed = regions.set_region(charter, request.form.get("region"))
    except regions.RegionRefused as refused:
        db.session.rollback()
        return _render({charter.id: str(refused)}, 400)
    if changed:
        db.session.commit()
        where = regions.name_of(charter.region)
        said = f"is now in {where}" if where else "is in no region now"
        flash(
            f"{charter.name} {said}: the regions' combined figures follow at the next impact "
            "rebuild",
            "success",
        )
    return redirect(url_for("admin.list_charters"))
