"""The permission matrix: who may use each route, as data.

Adding a role is one entry in ``ROLES`` and one column in each access level below; adding a
route is one line in ``ROUTES`` (the test fails for a route in the URL map without a line).

Outcomes: ``ok`` (served, or refused for its content -- a form error, a 409 -- but not for who
is asking), ``sign_in`` (sent to sign in), ``forbidden`` (403), ``not_found`` (404: the
organisation's pages do not admit that they exist to non-members, and a charter's private pages
do not admit it to another charter's staff).
"""

from __future__ import annotations

ROLES = (
    "anonymous",
    "member",  # the owner of the home organisation
    "other_member",  # the owner of another organisation
    "contributor",  # a contributor to the home organisation
    "assessor",
    "admin",
    "contract_manager",  # a commissioner's contract manager, member of no organisation
    # The charter dimension (issue 20): staff of a second charter, and a service administrator
    # who holds no role in the default charter. Every record here is the default charter's, so
    # they are told nothing of its private pages (404, not 403): they are staff, but not here.
    "other_admin",  # an administrator of the second charter
    "other_assessor",  # an assessor of the second charter
    "service_admin",  # a service administrator, no role in either charter
)


def _level(**by_role: str) -> dict[str, str]:
    assert set(by_role) == set(ROLES), set(ROLES) ^ set(by_role)
    return by_role


OK, SIGN_IN, FORBIDDEN, NOT_FOUND = "ok", "sign_in", "forbidden", "not_found"
UNAVAILABLE = "unavailable"  # a deliberate 503

PUBLIC = _level(
    anonymous=OK, member=OK, other_member=OK, contributor=OK, assessor=OK, admin=OK,
    contract_manager=OK,
    other_admin=OK, other_assessor=OK, service_admin=OK,
)  # fmt: skip
NOWHERE = _level(
    anonymous=NOT_FOUND, member=NOT_FOUND, other_member=NOT_FOUND, contributor=NOT_FOUND,
    assessor=NOT_FOUND, admin=NOT_FOUND, contract_manager=NOT_FOUND,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
# Readiness answers 503 to everyone until the database is at the migrations' head; the tests
# build their schema without migrations, so here it is never ready.
READINESS = _level(
    anonymous=UNAVAILABLE, member=UNAVAILABLE, other_member=UNAVAILABLE, contributor=UNAVAILABLE,
    assessor=UNAVAILABLE, admin=UNAVAILABLE, contract_manager=UNAVAILABLE,
    other_admin=UNAVAILABLE, other_assessor=UNAVAILABLE, service_admin=UNAVAILABLE,
)  # fmt: skip
SIGNED_IN = _level(
    anonymous=SIGN_IN, member=OK, other_member=OK, contributor=OK, assessor=OK, admin=OK,
    contract_manager=OK,
    other_admin=OK, other_assessor=OK, service_admin=OK,
)  # fmt: skip
# A signed-in link with a token that is not valid: nobody gets anything.
SIGNED_IN_BAD_TOKEN = _level(
    anonymous=SIGN_IN, member=NOT_FOUND, other_member=NOT_FOUND, contributor=NOT_FOUND,
    assessor=NOT_FOUND, admin=NOT_FOUND, contract_manager=NOT_FOUND,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
ADMIN = _level(
    anonymous=SIGN_IN, member=FORBIDDEN, other_member=FORBIDDEN, contributor=FORBIDDEN,
    assessor=FORBIDDEN, admin=OK, contract_manager=FORBIDDEN,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
STAFF = _level(
    anonymous=SIGN_IN, member=FORBIDDEN, other_member=FORBIDDEN, contributor=FORBIDDEN,
    assessor=OK, admin=OK, contract_manager=FORBIDDEN,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
ASSESSOR = _level(
    anonymous=SIGN_IN, member=FORBIDDEN, other_member=FORBIDDEN, contributor=FORBIDDEN,
    assessor=OK, admin=FORBIDDEN, contract_manager=FORBIDDEN,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
# The assessment pages act in the person's own charter (issue 20): another charter's staff see
# their own charter's queue, which holds none of the default charter's work; a page for one of
# its plans, returns or applications is not found for them. Deciding needs the assessor role in
# the person's own charter, so another charter's administrator is refused it (403) before any
# row is looked up: the refusal says nothing of the row.
OWN_WORK = {**STAFF, "other_admin": OK, "other_assessor": OK}
OWN_AUDITS = {**ASSESSOR, "other_admin": FORBIDDEN, "other_assessor": OK}
DECIDE = {**ASSESSOR, "other_admin": FORBIDDEN}
# The organisation's members see and change its records; staff see them too.
ORG_VIEW = _level(
    anonymous=SIGN_IN, member=OK, other_member=NOT_FOUND, contributor=OK, assessor=OK, admin=OK,
    contract_manager=NOT_FOUND,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
# Only the organisation's members.
ORG_EDIT = _level(
    anonymous=SIGN_IN, member=OK, other_member=NOT_FOUND, contributor=OK, assessor=NOT_FOUND,
    admin=NOT_FOUND, contract_manager=NOT_FOUND,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
# Pledges on a contract (issue 21): who may reach them is ORG_EDIT's, but the world's charter has
# no toolkit of pledges, so its members too are told there is no such page (the pages themselves:
# tests/organisation/test_pledges.py).
ORG_EDIT_NO_TOOLKIT = {**ORG_EDIT, "member": NOT_FOUND, "contributor": NOT_FOUND}
# Only the organisation's owner.
ORG_OWNER = _level(
    anonymous=SIGN_IN, member=OK, other_member=NOT_FOUND, contributor=FORBIDDEN,
    assessor=NOT_FOUND, admin=NOT_FOUND, contract_manager=NOT_FOUND,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
# An organisation's pages for a scheme feature the default charter's scheme (Shropshire's) does
# not have (minimum standards, a self-assessment): nobody finds them here. Who may use them
# where the scheme has them: tests/organisation/test_declaration_access.py.
ORG_FEATURE_NOT_IN_SCHEME = _level(
    anonymous=SIGN_IN, member=NOT_FOUND, other_member=NOT_FOUND, contributor=NOT_FOUND,
    assessor=NOT_FOUND, admin=NOT_FOUND, contract_manager=NOT_FOUND,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip

# A commissioner's pages for a contract: only that commissioner's current contract managers
# (everyone else, staff included, is told nothing: 404).
COMMISSIONER = _level(
    anonymous=SIGN_IN, member=NOT_FOUND, other_member=NOT_FOUND, contributor=NOT_FOUND,
    assessor=NOT_FOUND, admin=NOT_FOUND, contract_manager=OK,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=NOT_FOUND,
)  # fmt: skip
ROUTES: dict[str, dict[str, str]] = {
    # public pages, open data and the API
    "static": PUBLIC,
    "public.show_home": PUBLIC,
    "public.show_charter_home": PUBLIC,
    "public.show_accessibility": PUBLIC,
    "public.show_cookies": PUBLIC,
    "public.show_privacy": PUBLIC,
    "public.show_lifecycle": PUBLIC,
    "health.healthz": PUBLIC,
    "health.readyz": READINESS,
    "public.show_register": PUBLIC,
    "public.show_register_entry": PUBLIC,
    "public.show_register_feed": PUBLIC,
    "public.download_register_csv": PUBLIC,
    "public.download_register_json": PUBLIC,
    "public.show_register_csv_metadata": PUBLIC,
    "public.show_register_data": PUBLIC,
    "public.start_verification": PUBLIC,
    "public.verify_certificate": PUBLIC,
    "public.show_badge": PUBLIC,
    "public.show_impact": PUBLIC,
    "public.show_combined_impact": PUBLIC,
    "public.show_combined_register": PUBLIC,
    "public.show_impact_data": PUBLIC,
    # A 404 for everyone until some contract's figures are published (OCDS asks a package for
    # at least one release; docs/ocds.md): the world here has none.
    "public.download_open_contracting": NOWHERE,
    "public.show_social_value_extension": PUBLIC,
    "public.download_open_contracting_csv": PUBLIC,
    "public.show_open_contracting_csv_metadata": PUBLIC,
    "public.download_impact_csv": PUBLIC,
    "public.download_impact_json": PUBLIC,
    "public.show_impact_csv_metadata": PUBLIC,
    # The addresses before /c/<charter>/: a 301 to the default charter's, for everyone.
    "public.moved_show_register": PUBLIC,
    "public.moved_show_register_entry": PUBLIC,
    "public.moved_download_register_csv": PUBLIC,
    "public.moved_show_register_csv_metadata": PUBLIC,
    "public.moved_download_register_json": PUBLIC,
    "public.moved_show_register_feed": PUBLIC,
    "public.moved_show_register_data": PUBLIC,
    "public.moved_show_impact": PUBLIC,
    "public.moved_download_impact_csv": PUBLIC,
    "public.moved_show_impact_csv_metadata": PUBLIC,
    "public.moved_download_impact_json": PUBLIC,
    "public.moved_show_impact_data": PUBLIC,
    "public.moved_show_lifecycle": PUBLIC,
    "public.moved_start_verification": PUBLIC,
    "public.moved_verify_certificate": PUBLIC,
    "public.moved_show_badge": PUBLIC,
    "api.list_charters": PUBLIC,
    "api.list_organisations": PUBLIC,
    "api.show_organisation": PUBLIC,
    "api.show_certificate": PUBLIC,
    "api.show_scheme": PUBLIC,
    "api.show_openapi": PUBLIC,
    "api.unknown_path": NOWHERE,
    # accounts
    "auth.sign_in": PUBLIC,
    "auth.sign_out": PUBLIC,
    "auth.create_account": PUBLIC,
    "auth.show_check_email": PUBLIC,
    "auth.verify_email": PUBLIC,
    "auth.resend_verification": PUBLIC,
    "auth.request_password_reset": PUBLIC,
    "auth.show_password_reset_sent": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.confirm_email_address": SIGNED_IN,
    "auth.show_account": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.sign_out_everywhere": SIGNED_IN,
    "dev.list_outbox_emails": NOWHERE,  # development only (SHOW_OUTBOX)
    "auth.change_email_preferences": SIGNED_IN,
    "auth.close_account": SIGNED_IN,
    "auth.request_data_export": SIGNED_IN,
    "auth.download_data_export": SIGNED_IN_BAD_TOKEN,
    "auth.unsubscribe": NOWHERE,  # a token that is not valid
    # commissioners' contract managers
    "commissioner.list_work": SIGNED_IN,  # says so when the person manages no contracts
    "commissioner.accept_invitation": NOWHERE,  # a token that is not valid
    "commissioner.show_contract": COMMISSIONER,
    "commissioner.confirm_contract": COMMISSIONER,
    "commissioner.dispute_contract": COMMISSIONER,
    "commissioner.endorse_period": COMMISSIONER,
    "commissioner.query_figure": COMMISSIONER,
    "commissioner.show_report": COMMISSIONER,  # a 404 for anyone who manages no contracts
    "commissioner.download_report_csv": COMMISSIONER,
    "commissioner.download_report_workbook": COMMISSIONER,
    "commissioner.accept_alternative": COMMISSIONER,
    "commissioner.refuse_alternative": COMMISSIONER,
    # Shropshire's scheme has no service credits: not found even for the contract's manager
    # (who may record them where a scheme has them: tests/commissioner).
    "commissioner.record_service_credit": {**NOWHERE, "anonymous": SIGN_IN},
    # administration
    "admin.show_dashboard": ADMIN,
    "admin.show_organisations": ADMIN,
    "admin.show_organisation_admin": ADMIN,
    "admin.suspend_organisation": ADMIN,
    "admin.lift_suspension": ADMIN,
    "admin.revoke_mark": ADMIN,
    "admin.show_register_checks": ADMIN,
    "admin.publish_register_entry": ADMIN,
    "admin.hide_register_entry": ADMIN,
    "admin.show_register_entry_again": ADMIN,
    "admin.list_assessors": ADMIN,
    "admin.find_person": ADMIN,
    "admin.show_person": ADMIN,
    "admin.prepare_copy": ADMIN,
    "admin.close_person_account": ADMIN,
    "admin.appoint_assessor": ADMIN,
    "admin.revoke_assessor": ADMIN,
    "admin.appoint_administrator": ADMIN,
    "admin.remove_administrator": ADMIN,
    "admin.list_commissioners": ADMIN,
    "admin.add_commissioner": ADMIN,
    "admin.edit_commissioner": ADMIN,
    "admin.deactivate_commissioner": ADMIN,
    "admin.reactivate_commissioner": ADMIN,
    "admin.set_commissioner_taking_part": ADMIN,
    "admin.list_proxy_values": ADMIN,
    "admin.edit_proxy_value": ADMIN,
    "admin.list_appeals": ADMIN,
    "admin.review_appeal": ADMIN,
    "admin.list_job_runs": ADMIN,
    "admin.list_email_deliveries": ADMIN,
    "admin.retry_email": ADMIN,
    "admin.show_impact_report": ADMIN,
    "admin.show_contract_report": ADMIN,
    "admin.download_contract_report_csv": ADMIN,
    "admin.download_contract_report_workbook": ADMIN,
    "admin.show_commissioner": ADMIN,
    "admin.list_waiting_awards": ADMIN,
    "admin.add_buyer_identifier": ADMIN,
    "admin.remove_buyer_identifier": ADMIN,
    "admin.invite_contract_manager": ADMIN,
    "admin.cancel_contract_manager_invitation": ADMIN,
    "admin.remove_contract_manager": ADMIN,
    "admin.list_audits": ADMIN,
    "admin.list_flagged_figures": ADMIN,
    "admin.decide_audit": ADMIN,
    "admin.download_impact_report_csv": ADMIN,
    "admin.download_impact_report_workbook": ADMIN,
    # assessment: admins see the work, only assessors decide
    "assessor.list_work": OWN_WORK,
    "assessor.review_plan": STAFF,
    "assessor.review_return": STAFF,
    "assessor.review_application": STAFF,
    "assessor.decide_plan": DECIDE,
    "assessor.decide_return": DECIDE,
    "assessor.check_flagged_figure": DECIDE,
    "assessor.judge_measure": DECIDE,
    "assessor.request_information": DECIDE,
    "assessor.award_application": DECIDE,
    "assessor.refuse_application": DECIDE,
    "assessor.moderate_application": DECIDE,
    "assessor.list_audits": OWN_AUDITS,
    "assessor.show_audit": STAFF,
    "assessor.request_audit_documents": DECIDE,
    "assessor.record_audit_outcome": DECIDE,
    # an organisation's own pages
    "organisation.list_organisations": SIGNED_IN,
    "organisation.register_organisation": SIGNED_IN,
    "organisation.check_registration": SIGNED_IN,
    "organisation.accept_invitation": SIGNED_IN_BAD_TOKEN,
    "organisation.show_dashboard": ORG_VIEW,
    "organisation.show_plan": ORG_VIEW,
    "organisation.start_plan": ORG_EDIT,
    "organisation.edit_plan_target": ORG_EDIT,
    "organisation.remove_plan_target": ORG_EDIT,
    "organisation.add_plan_milestone": ORG_EDIT,
    "organisation.remove_plan_milestone": ORG_EDIT,
    "organisation.check_plan": ORG_EDIT,
    "organisation.revise_plan": ORG_EDIT,
    "organisation.list_contracts": ORG_VIEW,
    "organisation.show_contract": ORG_VIEW,
    "organisation.add_contract": ORG_EDIT,
    "organisation.check_contract": ORG_EDIT,
    "organisation.edit_contract": ORG_EDIT,
    "organisation.remove_contract": ORG_EDIT,
    "organisation.add_commitment": ORG_EDIT,
    "organisation.remove_commitment": ORG_EDIT,
    "organisation.propose_alternative": ORG_EDIT,
    "organisation.choose_pledges": ORG_EDIT_NO_TOOLKIT,
    "organisation.make_pledge": ORG_EDIT_NO_TOOLKIT,
    "organisation.accept_proposed_contract": ORG_EDIT,
    "organisation.decline_proposed_contract": ORG_EDIT,
    "organisation.accept_contract_change": ORG_EDIT,
    "organisation.decline_contract_change": ORG_EDIT,
    "organisation.accept_contract_termination": ORG_EDIT,
    "organisation.decline_contract_termination": ORG_EDIT,
    "organisation.edit_ppon": ORG_EDIT,
    "organisation.remove_ppon": ORG_EDIT,
    "organisation.list_returns": ORG_VIEW,
    "organisation.show_return": ORG_VIEW,
    "organisation.start_retrospective_return": ORG_EDIT,
    "organisation.edit_return_line": ORG_EDIT,
    "organisation.upload_return_evidence": ORG_EDIT,
    "organisation.remove_return_evidence": ORG_EDIT,
    "organisation.add_return_link": ORG_EDIT,
    "organisation.remove_return_link": ORG_EDIT,
    "organisation.check_return": ORG_EDIT,
    "organisation.download_evidence": ORG_VIEW,
    "organisation.show_audit": ORG_VIEW,
    "organisation.upload_audit_document": ORG_EDIT,
    "organisation.remove_audit_document": ORG_EDIT,
    "organisation.send_audit_documents": ORG_EDIT,
    "organisation.start_signing": ORG_EDIT,
    "organisation.join_charter": ORG_EDIT,
    "organisation.sign_principles": ORG_EDIT,
    "organisation.sign_route": ORG_EDIT,
    "organisation.sign_signatory": ORG_EDIT,
    "organisation.sign_publishing": ORG_EDIT,
    "organisation.check_signing_answers": ORG_EDIT,
    "organisation.signing_confirmation": ORG_EDIT,
    "organisation.start_application": ORG_VIEW,
    "organisation.submit_application": ORG_EDIT,
    "organisation.show_application": ORG_VIEW,
    "organisation.answer_information_request": ORG_EDIT,
    "organisation.application_submitted": ORG_VIEW,
    "organisation.lodge_appeal": ORG_EDIT,
    "organisation.show_certificate": ORG_VIEW,
    "organisation.download_certificate_pdf": ORG_VIEW,
    "organisation.list_members": ORG_VIEW,
    "organisation.invite_member": ORG_OWNER,
    "organisation.cancel_invitation": ORG_OWNER,
    "organisation.transfer_ownership": ORG_OWNER,
    "organisation.remove_member": ORG_OWNER,
    "organisation.decide_publishing": ORG_OWNER,
    "organisation.confirm_commitment": ORG_OWNER,
    "organisation.declare_minimum_standards": ORG_FEATURE_NOT_IN_SCHEME,
    "organisation.show_self_assessment": ORG_FEATURE_NOT_IN_SCHEME,
    "organisation.complete_self_assessment": ORG_FEATURE_NOT_IN_SCHEME,
    "organisation.list_figure_queries": ORG_VIEW,
    "organisation.answer_figure_query": ORG_EDIT,
}
