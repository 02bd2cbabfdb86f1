"""View decorators for who may see a page. Stack them under ``login_required``::

@bp.get("/...")
@login_required
@verified_required
def view(): ...

A blueprint whose every page has the same guard says so once, with ``staff_guard``::

    bp.before_request(staff_guard(ADMINISTRATOR))

Staff roles are held in a charter (charter.services.domain.staff). The charter a staff page acts
in is ``acting_charter()``. The assessment and administration pages hold nothing but a charter's
own work, so there a person acts in their own charter (``acts_in_own_charter``): the one
``?charter=<slug>`` names if they are its staff, else the default charter if they are, else the
first they are staff of (of those where they hold the blueprint's role, if any). The
administration pages that are the service's rather than a charter's (people and accounts, email
deliveries: charter/admin/scope.py) are for service administrators only
(``refuse_unless_service_admin``). Someone
who is staff somewhere (another charter's administrator or assessor, a service administrator)
but not staff of this charter gets 404, not 403: they learn nothing of what another charter
holds. Anyone else gets 403, as before, and so does this
charter's staff on a page for the other role.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, has_request_context, redirect, request, url_for
from flask_login import current_user

from charter.acting_charter import PARAM, charter_named
from charter.branding import current_branding
from charter.services.domain import charters, staff

# The blueprints whose staff act in their own charter (``acts_in_own_charter``), each with the
# role its pages are for (None: any staff role).
_OWN_CHARTER_BLUEPRINTS: dict[str, str | None] = {}


def acts_in_own_charter(blueprint_name: str, role: str | None = None) -> None:
    """Staff pages of this blueprint act in the person's own charter (the module's docstring):
    without ``?charter=``, preferably one where they hold ``role``."""
    _OWN_CHARTER_BLUEPRINTS[blueprint_name] = role


def acting_charter_id() -> int | None:
    """The id of the charter the request's staff pages act in (the module's docstring), from the
    person's roles, read with their account, and the charters the process holds (no query)."""
    default = current_branding().charter_id
    if not has_request_context() or request.blueprint not in _OWN_CHARTER_BLUEPRINTS:
        return default
    if "own_charter_id" not in g:
        g.own_charter_id = _own_charter_id(default, _OWN_CHARTER_BLUEPRINTS[request.blueprint])
    return g.own_charter_id


def _own_charter_id(default: int | None, role: str | None = None) -> int | None:
    held = staff.charters_of(current_user) if current_user.is_authenticated else []
    if not held:
        return default
    named = request.args.get(PARAM)
    if named:
        charter = charter_named(named)
        if charter is not None and charter.id in held:
            return charter.id
    if role is not None:
        held = [c for c in held if role in staff.roles_in(current_user, c)] or held
    return default if default in held else held[0]


def acting_charter():
    """The acting charter's row, for the pages that show it (read once per request)."""
    if "acting_charter" not in g:
        g.acting_charter = charters.charter_by_id(acting_charter_id())
    return g.acting_charter


def roles_here() -> frozenset[str]:
    """The signed-in person's roles in the acting charter: read with the user row, so every
    page's header may ask without a query."""
    if not current_user.is_authenticated:
        return frozenset()
    return staff.roles_in(current_user, acting_charter_id())


def acts_as(role: str) -> bool:
    """Whether the signed-in person holds ``role`` in the acting charter (views, templates)."""
    return role in roles_here()


def _refuse_unless(roles: tuple[str, ...]) -> None:
    """403 for staff of this charter without the role (an administrator may look at an
    assessment but not decide it) and for people who are staff nowhere; 404 for staff of
    other charters only."""
    here = roles_here()
    if here & set(roles):
        return
    abort(404 if not here and staff.is_staff_anywhere(current_user) else 403)


def may_administer() -> bool:
    """Whether the signed-in person may use some administration page: an administrator of any
    charter, or a service administrator (the header's link; no query)."""
    if not current_user.is_authenticated:
        return False
    return bool(current_user.service_admin) or any(
        staff.is_administrator(current_user, c) for c in staff.charters_of(current_user)
    )


def is_staff_of_a_charter() -> bool:
    """Whether the signed-in person holds a role in some charter (no query)."""
    return current_user.is_authenticated and bool(staff.charters_of(current_user))


def refuse_unless_service_admin() -> None:
    """The service's own pages (not one charter's): service administrators only. Other staff
    (any charter's administrators and assessors) get 404, as for another charter's pages:
    they learn nothing of the service's data; anyone else 403."""
    if current_user.service_admin:
        return
    abort(404 if staff.is_staff_anywhere(current_user) else 403)


def verified_required(view):
    """Send a signed-in person whose email address is not yet confirmed to the page that asks
    them to confirm it. Anyone not signed in goes to sign in, as with ``login_required``."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_verified:
            return redirect(url_for("auth.confirm_email_address"))
        return view(*args, **kwargs)

    return wrapped


def staff_required(*roles: str):
    """404 or 403 (above) unless the signed-in person has one of ``roles`` in the acting
    charter (e.g. ``staff_required(ASSESSOR)``)."""
    if not roles:
        raise ValueError("staff_required needs at least one role")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            _refuse_unless(roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_guard(*roles: str, verified: bool = False):
    """A ``before_request`` hook for a blueprint all of whose pages are for ``roles``: the same
    answers as ``login_required``, then ``verified_required`` (when ``verified``), then
    ``staff_required(*roles)`` on each view. OPTIONS is let through, as ``login_required`` does."""
    if not roles:
        raise ValueError("staff_guard needs at least one role")

    def guard():
        if request.method == "OPTIONS":
            return None
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if verified and not current_user.is_verified:
            return redirect(url_for("auth.confirm_email_address"))
        _refuse_unless(roles)
        return None

    return guard
