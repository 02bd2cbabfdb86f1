"""The public register: search and filters, and one organisation's public page."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import abort, render_template, request, url_for

from charter.award import award_of
from charter.caching import cached_by_register, register_version_for_request, versioned_part
from charter.models.signing import ROUTES
from charter.public import bp, charter_prefix
from charter.services.domain import counted_figures, marks
from charter.services.domain.progress import progress_against
from charter.services.domain.standing import states_of
from charter.services.read_models import organisation_page, public_standing, register_query
from charter.services.read_models import register as register_service
from charter.services.read_models.impact.published import published_figures
from charter.slug_urls import slug_url_builder

# Where each error in the search form takes the reader (the error summary's links).
ERROR_TARGETS = {
    "q": "q",
    "district": "district",
    "type": "type",
    "sector": "sector",
    "standing": "standing",
    "region": "region",
    "page": "results",
}


def pagination(
    result: register_service.RegisterPage,
    params: dict[str, str],
    endpoint: str = "public.show_register",
) -> dict | None:
    """Parameters for the GOV.UK pagination component; every link keeps the filters. The
    neighbouring pages are keyset links (cheap at any depth, and they carry on from the rows the
    reader saw even if the register changes); the first and last pages are asked for by number,
    and served from their own end of the results."""
    if result.pages <= 1:
        return None
    # One URL built for the filters, each link's page and cursor added to it as url_for would
    # add them (a number, and URL-safe base64), rather than a url_for a link: they were a
    # twelfth of a register page's time (issue 23).
    base = url_for(endpoint, **params)
    base += "&" if "?" in base else "?"

    def href(number: int) -> str:
        if number == result.page + 1 and result.last_key:
            return f"{base}page={number}&after={register_query.encode_cursor(result.last_key)}"
        if number == result.page - 1 > 1 and result.first_key:
            return f"{base}page={number}&before={register_query.encode_cursor(result.first_key)}"
        return f"{base}page={number}"

    neighbours = {1, result.pages, result.page - 1, result.page, result.page + 1}
    shown = sorted(number for number in neighbours if 1 <= number <= result.pages)
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


@dataclass
class Searched:
    """A register search as asked and checked: the query (with its errors), the page of
    results (None when the query cannot be used), and the parameters its links keep."""

    options: register_service.FilterOptions
    query: register_service.RegisterQuery
    result: register_service.RegisterPage | None
    params: dict[str, str]


def searched(charter_id: int, award: str | None, region=None) -> Searched:
    """The register search the request asks for, on ``charter_id``'s register (0: any
    charter's, /charters/register; with ``region``, a ``regions.RegionCharters``, any of the
    region's charters')."""
    version = register_version_for_request().version
    options = register_service.filter_options(version, charter_id, award)
    query = register_service.parse_query(request.args, options, charter_id)
    if region is not None:
        query.filters = replace(
            query.filters, region=region.slug, region_charters=tuple(region.charter_ids)
        )
    result = None
    if not query.errors:
        try:
            result = register_service.search(query, version)
        except register_service.PageNotAvailable as error:
            query.errors["page"] = error.message
    return Searched(options, query, result, query.filters.as_params())


def _choices(context: dict) -> tuple:
    """What the combined register's region choices are (a region's charters may change
    without the register changing): part of the cached form's key."""
    shown = context.get("shown")
    if shown is None:
        return ()
    return tuple((r.slug, r.charter_ids and tuple(r.charter_ids)) for r in shown.choices)


def register_page(search: Searched, endpoint: str, **context):
    """The register template for ``search``, with its error summary and pagination; 400 when
    the query could not be used."""
    query, result = search.query, search.result
    page = render_template(
        "public/register.html",
        filters=query.filters,
        options=search.options,
        errors=query.errors,
        error_list=[
            {"text": message, "href": f"#{ERROR_TARGETS[name]}"}
            for name, message in query.errors.items()
        ],
        # The form is kept without the search text, which goes in on each use.
        form_cache_key=None
        if query.errors
        else (endpoint, replace(query.filters, q=""), bool(query.filters.q), _choices(context)),
        result=result,
        pagination=pagination(result, search.params, endpoint) if result else None,
        **context,
    )
    return page, 400 if query.errors else 200


@bp.get("/c/<charter_slug>/register")
@cached_by_register
def show_register():
    award = award_of()
    search = searched(charter_prefix.page_charter_id(), award)
    result, params = search.result, search.params
    return register_page(
        search,
        "public.show_register",
        csv_url=url_for("public.download_register_csv", **params),
        json_url=url_for("public.download_register_json", **params),
        standing_labels=public_standing.labels_for(result.organisations, award=award)
        if result
        else {},
        entry_url=slug_url_builder("public.show_register_entry"),
    )


@bp.get("/c/<charter_slug>/register/<slug>")
@cached_by_register(scope="pages")
def show_register_entry(slug: str):
    page = organisation_page.read(slug, charter_prefix.page_charter_id())
    if page is None:
        abort(404)
    organisation, mark, signing = page.organisation, page.mark, page.signing
    mark_facts = public_standing.facts(mark)
    states = states_of(organisation)
    standing = marks.standing(mark, states=states) if mark else None
    progress = (
        progress_against(
            organisation,
            page.plan,
            page.plan_start,
            measures=versioned_part(
                ("counted-measures", signing.charter_id),
                lambda: counted_figures.charter_measures(signing.charter_id),
            ),
        )
        if page.plan
        else []
    )
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
        status_label=public_standing.label(states, mark_facts, award=award_of()),
        status_tag=public_standing.tag(states, mark_facts),
        status_description=public_standing.description(states, mark_facts, award=award_of()),
        mark_history=public_standing.public_history(organisation, held_a_mark=mark is not None),
        signature=page.signature,
        signed_scheme=page.signed_scheme,
        route_label=ROUTES.get(page.signature.route) if page.signature else signing.route_label,
        mark=mark,
        standing=standing,
        standing_label=marks.STANDING_LABELS[standing] if standing else None,
        standing_tag=marks.STANDING_TAG_CLASSES[standing] if standing else None,
        badge_url=badge_url,
        verify_url=verify_url,
        targets_total=len(progress),
        targets_met=sum(1 for p in progress if p.is_met),
        contract_count=page.contract_count,
        contract_value=page.contract_value,
        published=published_figures(organisation.id, signing.publishes_figures),
    )
