"""View decorators for who may see a page. Stack them under ``login_required``::

@bp.get("/...")
@login_required
@verified_required
def view(): ...

A blueprint whose every page has the same guard says so once, with ``staff_guard``::

    bp.before_request(staff_guard("admin"))
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user


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
    """403 unless the signed-in person has one of ``roles`` (e.g. ``staff_required("admin")``)."""
    if not roles:
        raise ValueError("staff_required needs at least one role")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
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
        if current_user.role not in roles:
            abort(403)
        return None

    return guard
