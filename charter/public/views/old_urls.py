"""The addresses the public pages had before each charter had its own (/c/<slug>/...), kept
working: each answers a permanent redirect (301) to the same page of the default charter, with
the query string kept, so bookmarks, links in old emails, feed readers and search engines move
on. A certificate number is unique across the service, so an old certificate check or badge
goes to the charter its Mark belongs to (a badge embedded on a holder's website follows the 301
like any image). With no charter yet, there is nowhere to go: 404.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for

from charter.branding import charter_with_id
from charter.public import bp
from charter.public.charter_prefix import default_charter_facts
from charter.services.read_models import certificate_checks

# Old rule → the endpoint that now serves it under /c/<slug>/.
OLD_URLS = {
    "/register": "show_register",
    "/register/<slug>": "show_register_entry",
    "/register.csv": "download_register_csv",
    "/register.csv-metadata.json": "show_register_csv_metadata",
    "/register.json": "download_register_json",
    "/register/feed.atom": "show_register_feed",
    "/about-the-register-data": "show_register_data",
    "/impact": "show_impact",
    "/impact.csv": "download_impact_csv",
    "/impact.csv-metadata.json": "show_impact_csv_metadata",
    "/impact.json": "download_impact_json",
    "/impact/about-the-data": "show_impact_data",
    "/how-it-works": "show_lifecycle",
    "/verify": "start_verification",
    "/verify/<certificate_number>": "verify_certificate",
    "/badge/<certificate_number>.svg": "show_badge",
}


def _charter_slug(values: dict) -> str:
    """The default charter's slug, or for a certificate the slug of its Mark's charter."""
    charter = default_charter_facts()
    if charter is None:
        abort(404)
    if "certificate_number" in values:
        charter_id = certificate_checks.charter_id_by_number(values["certificate_number"])
        charter = charter_with_id(charter_id) or charter
    return charter.slug


def _moved(endpoint: str):
    def view(**values):
        target = url_for(f"public.{endpoint}", charter_slug=_charter_slug(values), **values)
        query = request.query_string.decode("latin-1")
        return redirect(f"{target}?{query}" if query else target, code=301)

    view.__name__ = f"moved_{endpoint}"
    return view


for _rule, _endpoint in OLD_URLS.items():
    bp.add_url_rule(_rule, f"moved_{_endpoint}", _moved(_endpoint), methods=["GET"])
