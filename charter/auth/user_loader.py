from flask import session

from charter.extensions import db, login_manager
from charter.models import User
from charter.services.domain.accounts import password_fingerprint

login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"

# The session key holding a fingerprint of the password hash the person signed in with.
SESSION_PASSWORD_KEY = "password_fingerprint"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None:
        return None
    # A password change or reset ends every other session signed in with the old password.
    signed_in_with = session.get(SESSION_PASSWORD_KEY)
    if signed_in_with is not None and signed_in_with != password_fingerprint(user.password_hash):
        return None
    return user


def remember_password_fingerprint(user: User) -> None:
    session[SESSION_PASSWORD_KEY] = password_fingerprint(user.password_hash)
