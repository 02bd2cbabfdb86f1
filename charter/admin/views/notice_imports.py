"""Imports of published notices and the Find a Tender poll, for administrators (issue 22,
docs/ocds.md): where each poll has got to (when it last ran, what it fetched and kept, its
mark, why it stopped), the recent imports and refusals with what became of their awards, and
the awards waiting for a match. A charter's administrators see their own commissioners'
awards; a service administrator sees every one and may poll now (charter/admin/scope.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.admin import bp
from charter.auth.decorators import acting_charter, acting_charter_id
from charter.commissioner.forms import ButtonForm
from charter.services.domain import charter_commissioners, notices_poll
from charter.services.read_models import notice_imports


def _commissioner_ids() -> set[int] | None:
    """Whose awards the page shows: every one for a service administrator, else the acting
    charter's commissioners'."""
    if current_user.service_admin:
        return None
    return charter_commissioners.taking_part(acting_charter_id())


@bp.get("/notice-imports")
def show_notice_imports():
    scope = _commissioner_ids()
    return render_template(
        "admin/notice-imports.html",
        polls=notice_imports.polls(),
        poll_enabled=notices_poll.enabled(),
        imports=notice_imports.recent_imports(scope),
        waiting=notice_imports.waiting_awards(scope),
        waiting_count=notice_imports.count_waiting(scope),
        every_commissioner=scope is None,
        charter_name=None if scope is None else acting_charter().name,
        form=ButtonForm(),
    )


@bp.post("/notice-imports/poll")
def poll_notices_now():
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not notices_poll.enabled():
        flash(
            "The Find a Tender poll is off: set FIND_A_TENDER_POLL_URL to poll. Nothing was "
            "fetched.",
            "error",
        )
        return redirect(url_for("admin.show_notice_imports"))
    results = notices_poll.poll_now(datetime.now(UTC), current_user)
    failed = [result for result in results if result.error]
    flash(" ".join(result.line() for result in results), "error" if failed else "success")
    return redirect(url_for("admin.show_notice_imports"))
