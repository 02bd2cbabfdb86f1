"""Absolute links for emails, built from ``SERVICE_URL`` with no request at all.

A notice is the same whether a person's click, the CLI or the scheduler caused it, so its links
never come from a request (nor from the request's Host header, see ``charter.security.links``):
the app's URL map is bound to the scheme, host and path of ``SERVICE_URL``. Needs only an
application context, so the scheduled reviews no longer pretend to be a request.
"""

from __future__ import annotations

import weakref
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter

# One bound map per application and SERVICE_URL: the scheduled reviews build a link for each of
# tens of thousands of organisations.
_ADAPTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _adapter() -> MapAdapter:
    app = current_app._get_current_object()
    service_url = app.config["SERVICE_URL"]
    cached = _ADAPTERS.get(app)
    if cached is None or cached[0] != service_url:
        parts = urlsplit(service_url)
        adapter = app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
        )
        _ADAPTERS[app] = cached = (service_url, adapter)
    return cached[1]


def link(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` (``url_for``'s values; ``None`` values dropped).
    The blueprints' URL defaults apply, as in ``url_for``: a public page without a charter named
    is the default charter's (charter.public.charter_prefix)."""
    values = {name: value for name, value in values.items() if value is not None}
    current_app.inject_url_defaults(endpoint, values)
    return _adapter().build(endpoint, values, force_external=True)


def dashboard(organisation) -> str:
    return link("organisation.show_dashboard", slug=organisation.slug)


def return_page(organisation, return_id: int) -> str:
    return link("organisation.show_return", slug=organisation.slug, return_id=return_id)


def path(endpoint: str, **values) -> str:
    """The address of ``endpoint`` within the service (``/…``, after any path of SERVICE_URL),
    for pages that are kept and shown later, such as an application's snapshot."""
    return _adapter().build(endpoint, values)
