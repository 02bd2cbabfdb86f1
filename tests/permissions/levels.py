"""The permission matrix's roles and access levels: who gets what, as data (the routes that use
each level: matrix_helpers.ROUTES)."""

from __future__ import annotations

ROLES = (
    "anonymous",
    "member",  # the owner of the home organisation
    "other_member",  # the owner of another organisation
    "contributor",  # a contributor to the home organisation
    "assessor",
    "admin",  # an administrator of the default charter and a service administrator (the demo's)
    "charter_admin",  # an administrator of the default charter only, not of the service
    "contract_manager",  # a commissioner's contract manager, member of no organisation
    # The charter dimension (issue 20): staff of a second charter, and a service administrator
    # who holds no role in either charter. The default charter's private rows are told to none of
    # them (404, not 403): they are staff, but not there.
    "other_admin",  # an administrator of the second charter
    "other_assessor",  # an assessor of the second charter
    "service_admin",  # a service administrator, no role in either charter
)


def _level(**by_role: str) -> dict[str, str]:
    # The default charter's administrator who is not a service administrator is refused only
    # the service's pages (SERVICE): everywhere else it is as the demo's administrator.
    by_role.setdefault("charter_admin", by_role["admin"])
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
# A charter's administration pages act in the administrator's own charter (charter/admin/scope.py
# CHARTER_SCOPED). A page of lists: each administrator sees their own charter's. Another
# charter's assessor is its staff without the role (403, before any row is read); the service
# administrator is staff of no charter (404).
ADMIN = _level(
    anonymous=SIGN_IN, member=FORBIDDEN, other_member=FORBIDDEN, contributor=FORBIDDEN,
    assessor=FORBIDDEN, admin=OK, contract_manager=FORBIDDEN,
    other_admin=OK, other_assessor=FORBIDDEN, service_admin=NOT_FOUND,
)  # fmt: skip
# A page for one of the default charter's rows (an organisation, an audit, an appeal, a
# commissioner taking part in it): another charter's administrator is told nothing of it.
ADMIN_ROW = {**ADMIN, "other_admin": NOT_FOUND}
# A charter's page a service administrator may open too (scope.SERVICE_ADMINS_TOO).
ADMIN_OR_SERVICE = {**ADMIN, "service_admin": OK}
# The service's pages (SERVICE_WIDE): service administrators only; other staff, the default
# charter's administrators included, are told nothing (404); anyone else is refused (403).
SERVICE = _level(
    anonymous=SIGN_IN, member=FORBIDDEN, other_member=FORBIDDEN, contributor=FORBIDDEN,
    assessor=NOT_FOUND, admin=OK, charter_admin=NOT_FOUND, contract_manager=FORBIDDEN,
    other_admin=NOT_FOUND, other_assessor=NOT_FOUND, service_admin=OK,
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
