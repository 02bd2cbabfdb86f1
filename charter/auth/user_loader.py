"""Loading the signed-in person from the session, and ending sessions server-side.

The session is a signed cookie, so by itself signing out only asks the browser to forget it:
a copy taken earlier would still work. Each session therefore carries the user's
``session_generation`` as it was at sign-in, and the loader refuses a session whose generation
is not the user's current one. Moving the generation on (sign-out, a password change or reset,
"sign out everywhere") ends every session made before, with no session table and no query
beyond the one that loads the user.

That one query also reads the person's charter roles (``staff.user_with_roles``), so every
"may they act as an administrator here" in the request is answered without another.
"""

from flask import session
from flask_login import user_logged_in

from charter.extensions import login_manager
from charter.models import User
from charter.services.domain import staff

login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"

SESSION_GENERATION_KEY = "session_generation"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = staff.user_with_roles(int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or user.closed_at is not None:  # a closed account signs nobody in
        return None
    if session.get(SESSION_GENERATION_KEY) != user.session_generation:
        return None
    return user


@user_logged_in.connect
def start_session(_app, user: User, **_extra) -> None:
    """Every ``login_user`` (sign-in, or any journey that signs a person in) stamps the
    session with the user's current generation."""
    session[SESSION_GENERATION_KEY] = user.session_generation


def keep_this_session(user: User) -> None:
    """After ``end_all_sessions``: the session making the change carries on."""
    session[SESSION_GENERATION_KEY] = user.session_generation


def end_all_sessions(user: User) -> None:
    """Every session signed in before now stops working (commit afterwards)."""
    user.session_generation = (user.session_generation or 0) + 1
