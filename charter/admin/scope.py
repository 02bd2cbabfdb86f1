"""Which administration pages are a charter's and which are the service's (issue 20).

A charter's administrators act in their own charter (``acts_in_own_charter``): its
organisations, register checks, appeals, audits, flagged figures, staff, commissioners taking
part, proxy values and reports, every list and every row opened by id being that charter's
signings' (another charter's is a 404). Some pages are about no one charter: people and their
accounts, email deliveries, the scheduled reviews' runs, the commissioners' own records (a
commissioner may take part in several charters, so renaming or deactivating it, or its buyer
identifiers in published notices, touches every one of them) and the awards in published
notices. Those are the service's: for service administrators only (``users.service_admin``),
whatever charter roles they hold, and a 404 for any other staff.

One charter's page is also the service's: published-notice imports and the poll
(``SERVICE_ADMINS_TOO``): a charter's administrators see their commissioners' awards there, a
service administrator every commissioner's, with or without a role in a charter.

Every administration endpoint is named in exactly one of the two sets below: an endpoint in
neither is refused to everyone (404), and tests/admin/test_admin_scope.py fails for it, so a
new page cannot be added without saying whose it is.
"""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_login import current_user

from charter.auth.decorators import refuse_unless_service_admin, staff_guard
from charter.models.staff import ADMINISTRATOR

CHARTER_SCOPED = frozenset(
    {
        "admin.show_dashboard",
        # its signatories
        "admin.show_organisations",
        "admin.show_organisation_admin",
        "admin.suspend_organisation",
        "admin.lift_suspension",
        "admin.revoke_mark",
        "admin.show_register_checks",
        "admin.publish_register_entry",
        "admin.hide_register_entry",
        "admin.show_register_entry_again",
        "admin.list_appeals",
        "admin.review_appeal",
        "admin.list_audits",
        "admin.decide_audit",
        "admin.list_flagged_figures",
        # imports of published notices and the poll: its commissioners' awards (a service
        # administrator may open it too, seeing every commissioner's: SERVICE_ADMINS_TOO)
        "admin.show_notice_imports",
        # its staff
        "admin.list_assessors",
        "admin.appoint_assessor",
        "admin.revoke_assessor",
        "admin.appoint_administrator",
        "admin.remove_administrator",
        # its commissioners: which take part, and the contract managers of those that do
        "admin.list_commissioners",
        "admin.add_commissioner",
        "admin.set_commissioner_taking_part",
        "admin.show_commissioner",
        "admin.invite_contract_manager",
        "admin.cancel_contract_manager_invitation",
        "admin.remove_contract_manager",
        # its scheme and reports
        "admin.list_proxy_values",
        "admin.edit_proxy_value",
        "admin.show_impact_report",
        "admin.download_impact_report_csv",
        "admin.download_impact_report_workbook",
        "admin.show_contract_report",
        "admin.download_contract_report_csv",
        "admin.download_contract_report_workbook",
    }
)

SERVICE_WIDE = frozenset(
    {
        # people and their accounts
        "admin.find_person",
        "admin.show_person",
        "admin.prepare_copy",
        "admin.close_person_account",
        # the charters the service runs, and the region each is in (the combined pages)
        "admin.list_charters",
        "admin.set_charter_region",
        # the service's machinery
        "admin.list_email_deliveries",
        "admin.retry_email",
        "admin.list_job_runs",
        # the commissioners' own records, shared by every charter they take part in
        "admin.edit_commissioner",
        "admin.deactivate_commissioner",
        "admin.reactivate_commissioner",
        "admin.add_buyer_identifier",
        "admin.remove_buyer_identifier",
        "admin.list_waiting_awards",
        "admin.poll_notices_now",
    }
)

# A charter's pages that a service administrator may open too, without a role in the charter,
# seeing every charter's part (the page's view says what each sees).
SERVICE_ADMINS_TOO = frozenset({"admin.show_notice_imports"})

_charter_guard = staff_guard(ADMINISTRATOR)


def admin_guard():
    """The administration blueprint's ``before_request``: a charter's page for the acting
    charter's administrators (``staff_guard``), a service page for service administrators."""
    if request.endpoint in CHARTER_SCOPED:
        if request.endpoint in SERVICE_ADMINS_TOO and _is_service_admin():
            return None
        return _charter_guard()
    if request.method == "OPTIONS":
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if request.endpoint in SERVICE_WIDE:
        refuse_unless_service_admin()
        return None
    abort(404)  # not yet said whose it is (the module's docstring)


def _is_service_admin() -> bool:
    return current_user.is_authenticated and bool(current_user.service_admin)


def may_use(endpoint: str) -> bool:
    """Whether the signed-in administrator may use ``endpoint`` (which links to show)."""
    if endpoint in SERVICE_WIDE:
        return current_user.is_authenticated and bool(current_user.service_admin)
    return endpoint in CHARTER_SCOPED


def home():
    """Where the header's "Administration" link goes: the acting charter's dashboard, or for a
    service administrator who administers no charter, the service's pages."""
    return url_for("admin.find_person") if _service_only() else url_for("admin.show_dashboard")


def _service_only() -> bool:
    from charter.services.domain import staff

    return bool(current_user.service_admin) and not any(
        staff.is_administrator(current_user, c) for c in staff.charters_of(current_user)
    )
