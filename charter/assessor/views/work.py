"""The assessors' work list: plans, returns and applications waiting, searched and paged.

Administrators may look too."""

from __future__ import annotations

from flask import render_template, request, url_for

from charter import query_strings
from charter.assessor import bp
from charter.services.domain import assessment, return_review
from charter.services.read_models import waiting_plans


def _page_number() -> int:
    return query_strings.page_number(request.args)


def _pagination(page: waiting_plans.WaitingPage, search: str, district: str) -> dict | None:
    """Parameters for the GOV.UK pagination component, keeping the filters in each link."""
    if page.pages <= 1:
        return None

    def link(number: int) -> str:
        return url_for(".list_work", q=search or None, district=district or None, page=number)

    params: dict = {
        "items": [
            {"number": n, "href": link(n), "current": n == page.page}
            for n in range(1, page.pages + 1)
        ]
    }
    if page.page > 1:
        params["previous"] = {"href": link(page.page - 1)}
    if page.page < page.pages:
        params["next"] = {"href": link(page.page + 1)}
    return params


@bp.get("/")
def list_work():
    search = request.args.get("q", "").strip()[:200]
    district = request.args.get("district", "").strip()[:100]
    try:
        page_number = _page_number()
    except query_strings.BadQuery as error:
        return query_strings.bad_query_response(error)
    page = waiting_plans.waiting_plans(search, district, page_number)
    return render_template(
        "assessor/list-work.html",
        page=page,
        returns_waiting=return_review.waiting_returns(search, district),
        applications_waiting=assessment.waiting_applications(search, district),
        search=search,
        district=district,
        districts=sorted(
            set(waiting_plans.districts_waiting())
            | set(return_review.districts_waiting())
            | set(assessment.districts_waiting())
        ),
        pagination=_pagination(page, search, district),
    )
