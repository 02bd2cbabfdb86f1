"""The public register: search and filters, one organisation's page, open data and the feed."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

from flask import Response, abort, render_template, request, stream_with_context, url_for

from charter.models.organisation import ROUTES
from charter.public import bp
from charter.services.domain import marks
from charter.services.domain.contracts import contract_summary
from charter.services.read_models import public_standing
from charter.services.read_models import register as register_service
from charter.services.read_models.impact.published import published_figures
from charter.services.read_models.progress import measure_progress

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CSV_FILENAME = "social-value-register.csv"
# Cells a spreadsheet would read as a formula (ASVS 5.0 1.2.10).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ATOM_NS = "http://www.w3.org/2005/Atom"


def _filters() -> tuple[register_service.Filters, register_service.FilterOptions]:
    options = register_service.filter_options()
    return register_service.parse_filters(request.args, options), options


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def _pagination(result: register_service.RegisterPage, params: dict[str, str]) -> dict | None:
    """Parameters for the GOV.UK pagination component; every link keeps the filters."""
    if result.pages <= 1:
        return None

    def href(page: int) -> str:
        return url_for("public.show_register", **params, page=page)

    shown = sorted(
        {1, result.pages, result.page - 1, result.page, result.page + 1}
        & set(range(1, result.pages + 1))
    )
    items: list[dict] = []
    previous_number = 0
    for number in shown:
        if number - previous_number > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == result.page})
        previous_number = number
    pagination: dict = {"items": items}
    if result.page > 1:
        pagination["previous"] = {"href": href(result.page - 1)}
    if result.page < result.pages:
        pagination["next"] = {"href": href(result.page + 1)}
    return pagination


@bp.get("/register")
def show_register():
    filters, options = _filters()
    result = register_service.search(filters, _page_number())
    params = filters.as_params()
    return render_template(
        "public/register.html",
        filters=filters,
        options=options,
        result=result,
        pagination=_pagination(result, params),
        csv_url=url_for("public.download_register_csv", **params),
        json_url=url_for("public.download_register_json", **params),
        status_label=register_service.public_status_label,
        status_tag=register_service.public_status_tag,
        standing_labels=public_standing.labels_for(result.organisations),
    )


@bp.get("/register/<slug>")
def show_register_entry(slug: str):
    organisation = register_service.public_organisation(slug)
    if organisation is None:
        abort(404)
    mark = marks.current_mark(organisation)
    standing = marks.standing(mark) if mark else None
    signed = register_service.latest_signature(organisation)
    progress = measure_progress(organisation)
    contract_count, contract_value = contract_summary(organisation)
    badge_url = (
        url_for("public.show_badge", certificate_number=mark.certificate_number, _external=True)
        if mark
        else None
    )
    verify_url = (
        url_for(
            "public.verify_certificate", certificate_number=mark.certificate_number, _external=True
        )
        if mark
        else None
    )
    return render_template(
        "public/register-entry.html",
        organisation=organisation,
        status_label=public_standing.label(organisation.status, mark),
        status_tag=public_standing.tag(organisation.status, mark),
        status_description=public_standing.description(organisation.status, mark),
        mark_history=public_standing.public_history(organisation),
        signature=signed[0] if signed else None,
        signed_scheme=signed[1] if signed else None,
        route_label=ROUTES.get(signed[0].route) if signed else organisation.route_label,
        mark=mark,
        standing=standing,
        standing_label=marks.STANDING_LABELS[standing] if standing else None,
        standing_tag=marks.STANDING_TAG_CLASSES[standing] if standing else None,
        badge_url=badge_url,
        verify_url=verify_url,
        targets_total=len(progress),
        targets_met=sum(1 for p in progress if p.is_met),
        contract_count=contract_count,
        contract_value=contract_value,
        published=published_figures(organisation),
    )


# --- open data --------------------------------------------------------------------------------


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _entry_url(slug: str) -> str:
    return url_for("public.show_register_entry", slug=slug, _external=True)


@bp.get("/register.csv")
def download_register_csv():
    filters, _options = _filters()

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def flush() -> str:
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text

        writer.writerow(register_service.EXPORT_COLUMNS)
        yield flush()
        for row in register_service.export_rows(filters, _entry_url):
            writer.writerow(
                [spreadsheet_safe(row[column]) for column in register_service.EXPORT_COLUMNS]
            )
            yield flush()

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    return response


@bp.get("/register.json")
def download_register_json():
    filters, _options = _filters()
    generated_at = datetime.now(UTC).replace(microsecond=0).isoformat()

    def generate():
        head = {"generated_at": generated_at, "licence": LICENCE, "licence_url": LICENCE_URL}
        # The object is written open-ended so the list can follow row by row.
        yield json.dumps(head)[:-1] + ', "organisations": ['
        separator = ""
        for row in register_service.export_rows(filters, _entry_url):
            yield separator + json.dumps(row)
            separator = ","
        yield "]}"

    return Response(stream_with_context(generate()), mimetype="application/json")


@bp.get("/register/feed.atom")
def show_register_feed():
    entries = register_service.recent_public_changes()
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
            f"{entry.title} on {entry.happened_at:%-d %B %Y}. "
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
