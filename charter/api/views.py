"""The public JSON API: the register, certificates and the current scheme. GET only, no login.

Everything here is already public on the register's pages: the same filters, the same public
statuses, and never an organisation outside the public states.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from flask import jsonify, request, url_for
from werkzeug.exceptions import MethodNotAllowed

from charter.api import bp
from charter.api.charters import charter_json, requested_charter
from charter.api.errors import InvalidParameter
from charter.api.openapi import OPENAPI
from charter.branding import CharterFacts, charter_with_id, held_charters
from charter.caching import cached_by_register
from charter.models.organisation import ORGANISATION_TYPES
from charter.public.charter_prefix import default_charter_facts
from charter.services.domain import marks, register_entries, schemes
from charter.services.domain.standing import states_of
from charter.services.read_models import (
    certificate_checks,
    open_data,
    public_standing,
    register_query,
)
from charter.services.read_models.impact import published
from charter.services.read_models.register_query import InvalidCursor, encode_cursor
from charter.slug_urls import slug_url_builder

API_PREFIX = "/api/v1"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
CACHE_MAX_AGE = 300
CACHE_CONTROL = f"public, max-age={CACHE_MAX_AGE}"


def _public_headers(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    # setdefault: an error response has already said it must not be cached.
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    return response


@bp.after_request
def add_public_headers(response):
    return _public_headers(response)


def error_response(status: int, code: str, message: str, parameter: str | None = None):
    error = {"code": code, "message": message}
    if parameter is not None:
        error["parameter"] = parameter
    response = jsonify({"error": error})
    response.status_code = status
    # Errors must not be cached as long as answers: the data may soon exist.
    response.headers["Cache-Control"] = "no-store"
    return _public_headers(response)


@bp.errorhandler(InvalidParameter)
def invalid_parameter(error: InvalidParameter):
    return error_response(400, "invalid_parameter", error.message, error.parameter)


@bp.errorhandler(404)
def not_found(error):  # noqa: ARG001
    return error_response(404, "not_found", "Not found")


@bp.app_errorhandler(MethodNotAllowed)
def method_not_allowed(error: MethodNotAllowed):
    # Routing fails before a blueprint is chosen, so this is app-wide: answer JSON under the
    # API and leave every other path to Flask's default.
    if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
        response = error_response(405, "method_not_allowed", "Only GET is allowed")
        response.headers["Allow"] = ", ".join(error.valid_methods or ["GET"])
        return response
    return error


# --- serialisers -------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _organisation(entry: open_data.PublicEntry, urls) -> dict:
    """``urls``: (API address, page address) builders, made once for a page of entries."""
    organisation, mark = entry.organisation, entry.mark
    api_url, html_url = urls
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "org_id": organisation.org_id,
        "type": organisation.organisation_type,
        "size": organisation.size,
        "sector": organisation.sector,
        "town": organisation.town,
        "district": organisation.district,
        "status": public_standing.status(states_of(organisation), mark),
        "status_label": public_standing.label(states_of(organisation), mark),
        "signed_on": _iso(entry.signed_at),
        "charter_mark": {
            "certificate_number": mark.certificate_number,
            "awarded_on": _iso(mark.awarded_on),
            "expires_on": _iso(mark.expires_on),
            "standing": entry.standing,
        }
        if mark
        else None,
        "links": {
            "self": api_url(organisation.slug),
            "html": html_url(organisation.slug),
        },
    }


def _entry_urls(entries, charter: CharterFacts | None):
    """The API address and the register page of each entry: on the asked charter's register,
    or (any charter's) on the first charter's whose register it is on (one query a page)."""
    api_url = slug_url_builder("api.show_organisation", _external=True)

    def page_of(slug: str) -> Callable[[str], str]:
        return slug_url_builder("public.show_register_entry", charter_slug=slug, _external=True)

    if charter is not None:
        return api_url, page_of(charter.slug)
    charters = {c.id: c.slug for c in held_charters()}
    if not charters:
        return api_url, lambda _slug: ""
    if len(charters) == 1:  # the only charter's register: no query
        return api_url, page_of(next(iter(charters.values())))
    registers = register_entries.registers_of([e.organisation.id for e in entries])
    builders = {slug: page_of(slug) for slug in charters.values()}
    home = {
        e.organisation.slug: charters.get(next(iter(registers[e.organisation.id]), None))
        for e in entries
    }
    default = next(iter(builders.values()))
    return api_url, lambda slug: builders.get(home.get(slug), default)(slug)


# --- parameters --------------------------------------------------------------------------------


def _limit() -> int:
    text = request.args.get("limit")
    if text is None:
        return DEFAULT_LIMIT
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidParameter("limit", f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def decode_cursor(text: str) -> tuple[str, int]:
    try:
        return register_query.decode_cursor(text)
    except InvalidCursor:
        raise InvalidParameter(
            "cursor", "cursor is not valid: use the next link as given"
        ) from None


def _filters() -> register_query.Filters:
    """The register page's filters. Unknown type or standing is an error here (a client
    should hear of a typo); an unknown district or sector simply matches nothing."""

    def arg(name: str) -> str:
        return (request.args.get(name) or "").strip()

    organisation_type, standing = arg("type"), arg("standing")
    if organisation_type and organisation_type not in ORGANISATION_TYPES:
        raise InvalidParameter("type", "type must be one of " + ", ".join(ORGANISATION_TYPES))
    if standing and standing not in register_query.STANDING_FILTERS:
        raise InvalidParameter(
            "standing", "standing must be one of " + ", ".join(register_query.STANDING_FILTERS)
        )
    q = arg("q")
    if any(ord(c) < 32 or ord(c) == 127 for c in q):
        raise InvalidParameter("q", "q must not contain control characters")
    if len(q) > register_query.MAX_QUERY_LENGTH:
        raise InvalidParameter(
            "q", f"q must be {register_query.MAX_QUERY_LENGTH} characters or fewer"
        )
    charter = requested_charter()
    return register_query.Filters(
        charter_id=charter.id if charter is not None else 0,
        q=q,
        district=arg("district"),
        organisation_type=organisation_type,
        sector=arg("sector"),
        standing=standing,
    )


# --- routes ------------------------------------------------------------------------------------


@bp.get("/organisations")
@cached_by_register(max_age=CACHE_MAX_AGE)
def list_organisations():
    filters = _filters()
    limit = _limit()
    charter = requested_charter()
    cursor = request.args.get("cursor")
    after = decode_cursor(cursor) if cursor is not None else None
    page = open_data.keyset_page(filters, after, limit)
    urls = _entry_urls(page.entries, charter)
    params = filters.as_params()
    if charter is not None:
        params["charter"] = charter.slug
    if "limit" in request.args:
        params["limit"] = str(limit)
    self_params = dict(params, cursor=cursor) if cursor is not None else params
    next_url = (
        url_for(
            "api.list_organisations",
            **params,
            cursor=encode_cursor(page.next_key),
            _external=True,
        )
        if page.next_key
        else None
    )
    return jsonify(
        {
            "data": [_organisation(entry, urls) for entry in page.entries],
            "links": {
                "self": url_for("api.list_organisations", **self_params, _external=True),
                "next": next_url,
            },
        }
    )


# The pages version: the published figures come from monitoring returns, which move it (and
# not the register's version).
@bp.get("/organisations/<slug>")
@cached_by_register(max_age=CACHE_MAX_AGE, scope="pages")
def show_organisation(slug: str):
    entry = open_data.public_entry(slug, 0)
    if entry is None:
        return error_response(404, "not_found", "No organisation on the register has that slug")
    data = _organisation(entry, _entry_urls([entry], None))
    # Only with the organisation's consent; [] otherwise (the "targets met" page summary stays).
    data["published_figures"] = published.as_json(
        published.published_figures(entry.organisation.id, entry.organisation.publishes_figures)
    )
    return jsonify({"data": data})


@bp.get("/certificates/<number>")
@cached_by_register(max_age=CACHE_MAX_AGE)
def show_certificate(number: str):
    asked = requested_charter()
    found = certificate_checks.certificate_check(number)
    home = (charter_with_id(found.scheme.charter_id) or default_charter_facts()) if found else None
    if found is None or home is None or (asked is not None and asked != home):
        return error_response(404, "not_found", "No Charter Mark has that certificate number")
    mark, scheme, organisation = found
    standing = marks.standing(mark, scheme=scheme, states=states_of(organisation))
    holder = None
    if register_query.is_public(organisation):
        holder = {
            "name": organisation.name,
            "slug": organisation.slug,
            "links": {
                "self": url_for("api.show_organisation", slug=organisation.slug, _external=True),
                "html": url_for(
                    "public.show_register_entry", slug=organisation.slug, _external=True
                ),
            },
        }
    return jsonify(
        {
            "data": {
                "certificate_number": mark.certificate_number,
                "holder": holder,
                "awarded_on": _iso(mark.awarded_on),
                "expires_on": _iso(mark.expires_on),
                "charter": charter_json(home),
                "scheme": {"name": scheme.name, "version": scheme.version},
                "standing": standing,
                "standing_label": marks.STANDING_LABELS[standing],
                "links": {
                    "self": url_for(
                        "api.show_certificate", number=mark.certificate_number, _external=True
                    ),
                    "html": url_for(
                        "public.verify_certificate",
                        certificate_number=mark.certificate_number,
                        charter_slug=home.slug,
                        _external=True,
                    ),
                },
            }
        }
    )


@bp.get("/scheme")
@cached_by_register(max_age=CACHE_MAX_AGE)
def show_scheme():
    scheme = schemes.current_scheme()
    if scheme is None:
        return error_response(404, "not_found", "No scheme has been loaded")
    return jsonify(
        {
            "data": {
                "name": scheme.name,
                "version": scheme.version,
                "area": scheme.area,
                "principles": [
                    {"code": p.code, "title": p.title, "description": p.description}
                    for p in schemes.principles_of(scheme)
                ],
                "measures": [
                    {
                        "code": m.code,
                        "toms_ref": m.toms_ref,
                        "title": m.title,
                        "unit": m.unit,
                        "is_core": m.is_core,
                        "proxy_value": _number(m.proxy_value),
                    }
                    for m in schemes.measures_of(scheme)
                ],
                "award_rule": {
                    "min_verified_returns": scheme.min_verified_returns,
                    "all_core_measures_met": scheme.award_all_core_met,
                    "min_share_of_targets_met": _number(scheme.award_min_share_met),
                },
                "validity_months": scheme.validity_months,
                "renewal_runs_from_expiry": scheme.renewal_runs_from_expiry,
                "issuer": {"name": scheme.issuer, "members": scheme.issuer_members},
            }
        }
    )


@bp.get("/openapi.json")
def show_openapi():
    return jsonify(OPENAPI)


@bp.get("/<path:anything>")
def unknown_path(anything: str):  # noqa: ARG001
    return error_response(404, "not_found", "There is no such path in the API")
