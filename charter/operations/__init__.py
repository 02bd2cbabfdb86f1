"""What running the service for real needs, kept out of the factory: JSON logs with a request
id, ProxyFix behind a known number of proxies, and the /healthz and /readyz probes."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from charter.operations.health import bp as health_bp
from charter.operations.logs import init_logging

# A year, as the hardening settings use; only sent where cookies are Secure (production).
DEFAULT_HSTS_SECONDS = 60 * 60 * 24 * 365


def init_operations(app: Flask) -> None:
    init_logging(app)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        # Trust exactly the proxies in front of us: the client address they report becomes
        # request.remote_addr, which the sign-in throttle counts by.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.register_blueprint(health_bp)

    @app.after_request
    def strict_transport_security(response):
        # A fallback: the security headers module sets its own when HSTS_SECONDS is configured.
        seconds = app.config.get("HSTS_SECONDS")
        if seconds is None and app.config.get("SESSION_COOKIE_SECURE"):
            seconds = DEFAULT_HSTS_SECONDS
        if seconds:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={int(seconds)}; includeSubDomains"
            )
        return response
