"""The list of organisations, and an administrator's view of one of them."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from charter import query_strings
from charter.admin import bp
from charter.admin.forms.organisations import OrganisationFilterForm
from charter.admin.forms.sanctions import ConfirmForm, LiftSuspensionForm
from charter.auth.decorators import acting_charter_id
from charter.extensions import db
from charter.models import Organisation
from charter.services.domain import audits, marks, organisations, register_entries, signings
from charter.services.domain.lifecycle import history
from charter.services.domain.standing import states_of
from charter.services.read_models.contract_monitoring import events_of as monitoring_events_of
from workflows import lifecycle
from workflows.lifecycle import STAGE_LABELS

ORGANISATIONS_PER_PAGE = 25

UNKNOWN_STATUS_MESSAGE = "Select a status from the list"


@bp.get("/organisations")
def show_organisations():
    filter_form = OrganisationFilterForm(request.args)
    try:
        page_number = query_strings.page_number(request.args)
    except query_strings.BadQuery as error:
        return query_strings.bad_query_response(error)
    status = request.args.get("status") or None
    if status is not None and status not in STAGE_LABELS:
        # Shown in the error summary; the list below is every organisation.
        filter_form.status.errors = [UNKNOWN_STATUS_MESSAGE]
        status = None
    # The organisations that signed the charter the administrator acts in, each with its
    # signing (the status shown) from the same query.
    query = (
        signings.join_signing(select(Organisation), acting_charter_id())
        .options(contains_eager(Organisation.signings))
        .order_by(Organisation.name, Organisation.id)
    )
    if status:
        query = query.where(signings.at_stage(status))
    page = db.paginate(
        query,
        page=page_number,
        per_page=ORGANISATIONS_PER_PAGE,
        max_per_page=ORGANISATIONS_PER_PAGE,
    )
    refused = bool(filter_form.status.errors)
    return render_template(
        "admin/organisations.html",
        filter_form=filter_form,
        form=filter_form if refused else None,
        status=status,
        page=page,
        pagination=_pagination_params(page, status),
    ), (400 if refused else 200)


def _pagination_params(page, status: str | None) -> dict | None:
    """Parameters for the GOV.UK pagination component, keeping the status filter."""
    if page.pages <= 1:
        return None

    def href(number: int) -> str:
        return url_for("admin.show_organisations", status=status, page=number)

    items = [
        {"ellipsis": True}
        if number is None
        else {"number": number, "href": href(number), "current": number == page.page}
        for number in page.iter_pages(left_edge=1, left_current=1, right_current=2, right_edge=1)
    ]
    params = {"items": items}
    if page.has_prev:
        params["previous"] = {"href": href(page.prev_num)}
    if page.has_next:
        params["next"] = {"href": href(page.next_num)}
    return params


# Revoking needs a mark the organisation holds now.
REVOCABLE_STATES = (lifecycle.ACCREDITED, lifecycle.RENEWAL_DUE, lifecycle.MARK_SUSPENDED)


def organisation_by_slug(slug: str) -> Organisation:
    """The organisation, with its signings; 404 unless it signed the charter the administrator
    acts in (another charter's signatories are not theirs to see)."""
    organisation = organisations.by_slug(slug)
    if organisation is None or signings.signing_of(organisation) is None:
        abort(404)
    return organisation


def mark_context(organisation: Organisation) -> dict:
    mark = marks.current_mark(organisation)
    standing = marks.standing(mark, states=states_of(organisation)) if mark else None
    return {
        "mark": mark,
        "standing_label": marks.STANDING_LABELS[standing] if standing else None,
        "standing_tag_class": marks.STANDING_TAG_CLASSES[standing] if standing else None,
        # A mark suspended by the system for a missed duty may still be revoked.
        "can_revoke": mark is not None
        and (mark.status == "valid" or organisation.mark_status == lifecycle.MARK_SUSPENDED)
        and organisation.mark_status in REVOCABLE_STATES
        and organisation.status == lifecycle.MONITORING,
    }


@bp.get("/organisations/<slug>")
def show_organisation_admin(slug: str):
    organisation = organisation_by_slug(slug)
    return render_template(
        "admin/organisation-show.html",
        organisation=organisation,
        can_suspend=organisation.status in lifecycle.SUSPENDABLE,
        is_suspended=organisation.status == lifecycle.SUSPENDED,
        lift_form=LiftSuspensionForm(),
        confirm_form=ConfirmForm(),
        on_register=register_entries.is_on_register(organisation),
        events=_events_here(organisation),
        audit_history=audits.audits_of(organisation),
        monitoring_events=monitoring_events_of(organisation),
        **mark_context(organisation),
    )


def _events_here(organisation: Organisation) -> list:
    """The organisation's history as this charter's administrators may read it: the events of
    its signing of this charter and those of no signing (its account, members, contracts);
    another charter's lifecycle (a suspension's reason, say) is that charter's."""
    signing = signings.signing_of(organisation)
    return [e for e in history(organisation) if e.signing_id in (None, signing.id)]
