"""Absolute links come from ``SERVICE_URL``, never from the request's Host header.

``url_for(..., _external=True)`` normally takes the host from the request, so a forged
``Host: evil.example`` on the forgotten-password form mailed the victim a reset link to
evil.example (host header poisoning). Every feed link and API link built in a request with
``url_for(..., _external=True)`` goes through this wrapper of ``app.url_for`` (the documented
place to change how Flask builds URLs), including links added later. Emails build their links
without a request, from ``SERVICE_URL`` too (``charter.services.notices.links``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, has_request_context


def service_origin(service_url: str) -> str:
    """``https://charter.example.gov.uk`` from a SERVICE_URL, with any path or slash dropped."""
    parts = urlsplit(service_url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"SERVICE_URL must be an absolute URL, not {service_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def register(app: Flask) -> None:
    origin = service_origin(app.config["SERVICE_URL"])
    build = app.url_for

    def url_for(endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        external = (not has_request_context()) if _external is None else _external
        if not external:
            return build(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        if not has_request_context():
            # Outside a request Flask builds from SERVER_NAME; emails build their links with
            # charter.services.notices.links, from SERVICE_URL, instead.
            return build(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, **values)
        # The path, as this request would build it (with any script root).
        path = build(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
        if _scheme is not None:
            return f"{_scheme}://{urlsplit(origin).netloc}{path}"
        return origin + path

    app.url_for = url_for
