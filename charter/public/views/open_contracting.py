"""A charter's social value as open contracting data (issue 22, docs/ocds.md): an OCDS 1.1
release package of the verified, endorsed per-contract figures the service publishes, keyed by
each contract's ``ocid`` (charter.services.read_models.open_contracting), and the files of the
OCDS extension it uses, served so the package's ``extensions`` can name them.

Built on request: a charter has as many releases as contracts accepted from published notices
with endorsed figures, a few hundred, so the answer is small and never streamed. With none yet,
there is no package to give (OCDS asks at least one release): a 404 that says so.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Response, abort, request, send_file, url_for

from charter.public import bp, charter_prefix
from charter.public.licence import LICENCE_URL
from charter.services.infrastructure.ocds import SOCIAL_VALUE_EXTENSION_DIR
from charter.services.read_models import open_contracting

EXTENSION_URL = "/open-contracting/social-value-extension"
EXTENSION_FILES = ("extension.json", "release-schema.json")


@bp.get("/c/<charter_slug>/open-contracting.json")
def download_open_contracting():
    charter = charter_prefix.page_charter()
    home = url_for("public.show_charter_home", _external=True)
    releases = open_contracting.releases(charter.id, charter.slug, charter.name, home)
    if not releases:
        response = Response(
            f"No social value of {charter.name}’s contracts is published as open contracting "
            "data yet: it needs a contract recorded from a published notice, confirmed by its "
            "commissioner, with figures verified and endorsed, from an organisation that "
            "publishes its figures.\n",
            status=404,
            mimetype="text/plain",
        )
        return response
    package = {
        "uri": url_for("public.download_open_contracting", _external=True),
        "version": "1.1",
        "extensions": [url_for("public.show_social_value_extension", _external=True)],
        "publishedDate": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "publisher": {"name": charter.running_body},
        "license": LICENCE_URL,
        "releases": releases,
    }
    response = Response(json.dumps(package, ensure_ascii=False), mimetype="application/json")
    response.headers["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response.headers["Content-Disposition"] = (
        f'inline; filename="{charter.slug}-open-contracting.json"'
    )
    return response


@bp.get(f"{EXTENSION_URL}/release-schema.json")
@bp.get(f"{EXTENSION_URL}/extension.json")  # registered first: the address url_for builds
def show_social_value_extension():
    """The extension's two files, at fixed addresses (packages name extension.json)."""
    name = request.path.rsplit("/", 1)[-1]
    if name not in EXTENSION_FILES:
        abort(404)
    return send_file(SOCIAL_VALUE_EXTENSION_DIR / name, mimetype="application/json")
