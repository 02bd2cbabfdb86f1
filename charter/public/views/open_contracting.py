"""A charter's social value as open contracting data (issue 22, docs/ocds.md): an OCDS 1.1
release package of the verified, endorsed per-contract figures the service publishes, keyed by
each contract's ``ocid`` (charter.services.read_models.open_contracting), and the files of the
OCDS extension it uses, served so the package's ``extensions`` can name them.

Built on request: a charter has as many releases as contracts accepted from published notices
with endorsed figures, a few hundred, so the answer is small and never streamed. With none yet,
there is no package to give (OCDS asks at least one release): a 404 that says so.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from flask import Response, abort, request, send_file, url_for

from charter.caching import cached_by_register
from charter.public import bp, charter_prefix
from charter.public.licence import LICENCE_URL, csvw_response
from charter.services.infrastructure.ocds import SOCIAL_VALUE_EXTENSION_DIR
from charter.services.infrastructure.spreadsheets import describedby_link, spreadsheet_safe
from charter.services.read_models import open_contracting, open_contracting_table
from charter.services.read_models.open_contracting_table import (
    OPEN_CONTRACTING_COLUMNS,
    OPEN_CONTRACTING_FIELDS,
)

EXTENSION_URL = "/open-contracting/social-value-extension"
EXTENSION_FILES = ("extension.json", "release-schema.json")


def _no_query() -> Response | None:
    """The files take no query string: one is refused, not ignored, so no one reads a
    filtered-looking address as a filtered file (and no address fills the cache)."""
    if not request.query_string:
        return None
    response = Response(
        "This file takes no query string: ask for it without one (after the “?”).\n",
        status=400,
        mimetype="text/plain",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _charter_args():
    charter = charter_prefix.page_charter()
    home = url_for("public.show_charter_home", _external=True)
    return charter, (charter.id, charter.slug, charter.name, home)


def _links(*pairs: tuple[str, str]) -> str:
    """The licence, and the file's other forms, as a ``Link`` header."""
    return ", ".join(
        [f'<{LICENCE_URL}>; rel="license"', *(f"<{url}>; {rel}" for url, rel in pairs)]
    )


# On the pages version: it moves with returns, contracts, their figures and endorsements, the
# awards accepted from notices, commissioners, and everything the register publishes.
@bp.get("/c/<charter_slug>/open-contracting.json")
@cached_by_register(scope="pages")
def download_open_contracting():
    if refused := _no_query():
        return refused
    charter, args = _charter_args()
    releases = open_contracting.releases(*args)
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
    csv_url = url_for("public.download_open_contracting_csv", _external=True)
    response.headers["Link"] = _links((csv_url, 'rel="alternate"; type="text/csv"'))
    response.headers["Content-Disposition"] = (
        f'inline; filename="{charter.slug}-open-contracting.json"'
    )
    return response


@bp.get("/c/<charter_slug>/open-contracting.csv")
@cached_by_register(scope="pages")
def download_open_contracting_csv():
    """The same figures as a table, one row per contract, measure and period. With none
    published yet, the header alone (a CSV can be empty, where an OCDS package cannot)."""
    if refused := _no_query():
        return refused
    charter, args = _charter_args()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(OPEN_CONTRACTING_COLUMNS)
    for row in open_contracting_table.rows(*args):
        writer.writerow([spreadsheet_safe(row[column]) for column in OPEN_CONTRACTING_COLUMNS])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{charter.slug}-open-contracting.csv"'
    )
    metadata_url = url_for("public.show_open_contracting_csv_metadata", _external=True)
    json_url = url_for("public.download_open_contracting", _external=True)
    response.headers["Link"] = ", ".join(
        [
            describedby_link(metadata_url),
            _links((json_url, 'rel="alternate"; type="application/json"')),
        ]
    )
    return response


@bp.get("/c/<charter_slug>/open-contracting.csv-metadata.json")
@cached_by_register(scope="pages")
def show_open_contracting_csv_metadata():
    """The CSV's W3C "CSV on the Web" metadata: columns, types, licence and publisher."""
    if refused := _no_query():
        return refused
    return csvw_response(
        url_for("public.download_open_contracting_csv", _external=True),
        OPEN_CONTRACTING_FIELDS,
        title="Social value of the charter's contracts, by published notice",
        description="Verified social value delivered on contracts recorded from published "
        "notices, endorsed by their commissioners, from organisations that publish their "
        "figures. One row per contract, measure and period, keyed by the notice's ocid.",
        documentation_url=url_for(
            "public.show_impact_data", _anchor="open-contracting", _external=True
        ),
    )


@bp.get(f"{EXTENSION_URL}/release-schema.json")
@bp.get(f"{EXTENSION_URL}/extension.json")  # registered first: the address url_for builds
def show_social_value_extension():
    """The extension's two files, at fixed addresses (packages name extension.json)."""
    name = request.path.rsplit("/", 1)[-1]
    if name not in EXTENSION_FILES:
        abort(404)
    return send_file(SOCIAL_VALUE_EXTENSION_DIR / name, mimetype="application/json")
