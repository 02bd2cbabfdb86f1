"""The register as open data: CSV and JSON streamed in keyset batches, and the Atom feed.

The exports take the register page's search and filters, checked the same way: a bad value is
a 400 with the reason before anything is streamed (a stream cannot report an error once its
200 has gone). Rows are written in chunks of about ``CHUNK_BYTES``, not one write per row.

The whole register (no search or filter) is served from a file built after each change
(``charter.public.open_data_files``), so a slow client gets it whole or sees it cut off.

The CSV carries its licence, publisher and column types in a W3C "CSV on the Web" metadata file
(``/register.csv-metadata.json``, the name CSVW tools look for), which its ``Link`` header
points at. The JSON also carries each consenting organisation's published verified figures, so
its ETag follows monitoring returns as well as the register.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

from flask import (
    Response,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from charter.caching import (
    cached_by_register,
    register_version_for_request,
)
from charter.formatting import format_date
from charter.public import bp, charter_prefix, open_data_files
from charter.public.licence import LICENCE, LICENCE_URL, csvw_response
from charter.services.infrastructure.spreadsheets import (
    describedby_link,
    spreadsheet_safe,
)
from charter.services.read_models import open_data, register_feed
from charter.services.read_models import register as register_service
from charter.services.read_models.register_query import Filters
from charter.slug_urls import slug_url_builder

CSV_FILENAME = "social-value-register.csv"
ATOM_NS = "http://www.w3.org/2005/Atom"
CHUNK_BYTES = 32 * 1024


def _entry_url(slug: str) -> str:
    return url_for("public.show_register_entry", slug=slug, _external=True)


def _checked_filters() -> Filters | Response:
    charter_id = charter_prefix.page_charter_id()
    options = register_service.filter_options(register_version_for_request().version, charter_id)
    query = register_service.parse_query(request.args, options, charter_id)
    query.errors.pop("page", None)  # the exports are not paged
    if query.errors:
        message = " ".join(f"{name}: {text}." for name, text in query.errors.items())
        response = Response(message + "\n", status=400, mimetype="text/plain")
        response.headers["Cache-Control"] = "no-store"
        return response
    return query.filters


def rows(filters: Filters, url_for_slug, with_figures: bool = False):
    """The export's rows: the organisations on the charter's register that match."""
    return open_data.export_rows(filters, url_for_slug, with_figures=with_figures)


def _chunked(pieces):
    """Join small strings into chunks of about CHUNK_BYTES."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


@bp.get("/c/<charter_slug>/register.csv")
def download_register_csv():
    """The whole register is a built file (open_data_files); searched or filtered, streamed."""
    if not request.args:
        return open_data_files.served("register.csv")
    return _streamed_register_csv()


@open_data_files.built_as("register.csv", follows="register")
def register_csv():
    filters = _checked_filters()
    if isinstance(filters, Response):
        return filters
    url_for_slug = slug_url_builder("public.show_register_entry", _external=True)

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def flush() -> str:
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text

        writer.writerow(open_data.EXPORT_COLUMNS)
        yield flush()
        for row in rows(filters, url_for_slug):
            writer.writerow([spreadsheet_safe(row[column]) for column in open_data.EXPORT_COLUMNS])
            yield flush()

    response = Response(stream_with_context(_chunked(lines())), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    metadata_url = url_for(
        "public.show_register_csv_metadata", **filters.as_params(), _external=True
    )
    response.headers["Link"] = f'{describedby_link(metadata_url)}, <{LICENCE_URL}>; rel="license"'
    return response


_streamed_register_csv = cached_by_register(register_csv)


@bp.get("/c/<charter_slug>/register.csv-metadata.json")
@cached_by_register
def show_register_csv_metadata():
    """The CSV's CSVW metadata; the same search and filters describe the same download."""
    filters = _checked_filters()
    if isinstance(filters, Response):
        return filters
    return csvw_response(
        url_for("public.download_register_csv", **filters.as_params(), _external=True),
        open_data.EXPORT_FIELDS,
        title="Social Value Charter register",
        description="The organisations on the public register of the Social Value "
        "Charter, with their Charter Marks. One row per organisation.",
        documentation_url=url_for("public.show_register_data", _external=True),
    )


@bp.get("/c/<charter_slug>/register.json")
def download_register_json():
    """The whole register is a built file (open_data_files); searched or filtered, streamed."""
    if not request.args:
        return open_data_files.served("register.json")
    return _streamed_register_json()


# The pages version: it also moves when a return is verified, which changes the published
# figures in this export but not the register.
@open_data_files.built_as("register.json", follows="pages")
def register_json():
    filters = _checked_filters()
    if isinstance(filters, Response):
        return filters
    url_for_slug = slug_url_builder("public.show_register_entry", _external=True)
    generated_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    data_dictionary = url_for("public.show_register_data", _external=True)

    def pieces():
        head = {
            "generated_at": generated_at,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "data_dictionary": data_dictionary,
        }
        # The object is written open-ended so the list can follow row by row.
        yield json.dumps(head)[:-1] + ', "organisations": ['
        separator = ""
        for row in rows(filters, url_for_slug, with_figures=True):
            yield separator + json.dumps(row)
            separator = ","
        yield "]}"

    response = Response(stream_with_context(_chunked(pieces())), mimetype="application/json")
    response.headers["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


_streamed_register_json = cached_by_register(register_json, scope="pages")


# Not under /register/: that is where organisations' slugs are.
@bp.get("/c/<charter_slug>/about-the-register-data")
@cached_by_register
def show_register_data():
    """The register's data dictionary: what each column and field means, and the licence."""
    return render_template(
        "public/register-data.html",
        licence=LICENCE,
        licence_url=LICENCE_URL,
        columns=open_data.EXPORT_FIELDS,
    )


@bp.get("/c/<charter_slug>/register/feed.atom")
@cached_by_register
def show_register_feed():
    entries = register_feed.recent_public_changes(charter_prefix.page_charter_id())
    register_url = url_for("public.show_register", _external=True)
    host = request.host.split(":")[0]

    ET.register_namespace("", ATOM_NS)

    def child(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    child(feed, "title", "Social Value Charter register: recent changes")
    child(feed, "id", register_url)
    child(feed, "link", href=url_for("public.show_register_feed", _external=True), rel="self")
    child(feed, "link", href=register_url, rel="alternate")
    updated = entries[0].happened_at if entries else datetime.now(UTC).replace(tzinfo=None)
    child(feed, "updated", _atom_time(updated))
    author = child(feed, "author")
    child(author, "name", "Social Value Charter register")
    child(feed, "rights", LICENCE)
    for entry in entries:
        element = child(feed, "entry")
        child(element, "title", entry.title)
        child(
            element,
            "id",
            f"tag:{host},{entry.happened_at.date().isoformat()}:register-event-{entry.event_id}",
        )
        page_url = _entry_url(entry.organisation.slug)
        child(element, "link", href=page_url, rel="alternate")
        child(element, "updated", _atom_time(entry.happened_at))
        child(
            element,
            "summary",
            f"{entry.title} on {format_date(entry.happened_at)}. "
            f"{entry.organisation.type_label}, {entry.organisation.district}.",
        )
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body,
        mimetype="application/atom+xml",
    )


def _atom_time(value: datetime | date) -> str:
    """RFC 3339 in UTC; stored times are naive UTC."""
    return value.replace(microsecond=0).isoformat() + "Z"
