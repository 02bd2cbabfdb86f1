"""The charters in the API: ``/api/v1/charters`` lists them, and ``charter=<slug>`` narrows the
organisations and certificates to one.

Organisations do not sign per charter yet (issue 20's next slice): every organisation, and so
every Mark, is the default charter's. ``charter=<the default's slug>`` therefore answers
everything and another charter's slug nothing; an unknown slug is a 400 naming the parameter,
like any other bad value. The charters are the process's held copy (charter.branding): no query.
"""

from __future__ import annotations

from flask import jsonify, request, url_for

from charter.api import bp
from charter.api.errors import InvalidParameter
from charter.branding import CharterFacts, held_charters
from charter.caching import cached_by_register
from charter.public.charter_prefix import charter_for_slug
from charter.services.domain import regions

CHARTER_PARAMETER = "charter"


def requested_charter() -> CharterFacts | None:
    """The charter ``charter=`` names, None if not asked; an unknown slug is refused."""
    slug = request.args.get(CHARTER_PARAMETER)
    if slug is None:
        return None
    charter = charter_for_slug(slug.strip())
    if charter is None:
        known = ", ".join(c.slug for c in held_charters()) or "none yet"
        raise InvalidParameter(
            CHARTER_PARAMETER, f"charter must be the slug of a charter on this service ({known})"
        )
    return charter


def charter_json(charter: CharterFacts) -> dict:
    return {"slug": charter.slug, "name": charter.name}


def region_json(slug: str | None) -> dict | None:
    """The charter's ONS region (regions.py), with what its charters deliver together."""
    if slug is None:
        return None
    return {
        "slug": slug,
        "name": regions.name_of(slug),
        "impact": url_for("public.show_combined_impact", region=slug, _external=True),
    }


@bp.get("/charters")
@cached_by_register(max_age=300)
def list_charters():
    return jsonify(
        {
            "data": [
                {
                    "slug": charter.slug,
                    "name": charter.name,
                    "running_body": charter.running_body,
                    "area": charter.area,
                    "region": region_json(charter.region),
                    "description": charter.description,
                    "links": {
                        "html": url_for(
                            "public.show_charter_home", charter_slug=charter.slug, _external=True
                        ),
                        "register": url_for(
                            "public.show_register", charter_slug=charter.slug, _external=True
                        ),
                        "organisations": url_for(
                            "api.list_organisations", charter=charter.slug, _external=True
                        ),
                    },
                }
                for charter in held_charters()
            ]
        }
    )
