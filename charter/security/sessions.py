"""Flask's signed-cookie sessions, without building the cookie's signer for a visitor who
sent no session cookie.

Flask builds an itsdangerous serializer (its keys, salt and signer) at the start of every
request, and only then looks for the cookie. Most requests are anonymous readers with no
cookie: their session is new and empty either way. Building it anyway was about a twentieth of
the time of a page served from the answer cache (issue 23). A request with the cookie is read
exactly as Flask reads it, and saving is unchanged.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def register(app: Flask) -> None:
    app.session_interface = CookieSessions()
