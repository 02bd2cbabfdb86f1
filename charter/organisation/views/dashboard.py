"""The signed-in person's organisations, and one organisation's dashboard."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.award import award_of, award_words
from charter.branding import charter_with_id, held_charters
from charter.models.assessment import APPLICATION_REFUSED
from charter.models.invitation import MEMBER
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.views import declaration_tasks
from charter.services.domain import (
    applications,
    invitations,
    marks,
    organisations,
    progress,
    returns,
    signings,
)
from charter.services.domain.contracts import contract_summary
from charter.services.domain.identifiers import IDENTIFIER_SCHEMES
from charter.services.domain.lifecycle import history
from charter.services.domain.schemes import scheme_of
from charter.services.read_models import commitments, duty_warnings
from charter.services.read_models.contract_monitoring import events_of as monitoring_events_of
from workflows import lifecycle

# What the organisation does next, in each state: the first thing on its dashboard.
NEXT_STEPS = {
    lifecycle.REGISTERED: (
        "Your organisation is registered. Next, sign the charter: read its principles, "
        "choose your route to the Charter Mark and make the declaration."
    ),
    lifecycle.SIGNATORY: (
        "You have signed the charter. Next, write your action plan: set a baseline, a target "
        "and a date for each core measure, then submit it for review."
    ),
    lifecycle.PLAN_SUBMITTED: (
        "Your action plan has been sent. An assessor will review it and either approve it "
        "or return it to you with comments."
    ),
    lifecycle.MONITORING: (
        "Your action plan is approved. Record the contracts you win from public-sector "
        "commissioners and send a monitoring return with evidence each period. When you have "
        "enough verified returns you can apply for the Charter Mark."
    ),
    lifecycle.UNDER_ASSESSMENT: (
        "An assessor is reviewing your application for the Charter Mark. We will tell you "
        "if they need anything more from you."
    ),
    lifecycle.INFORMATION_REQUESTED: (
        "The assessor has asked for more information. Send it so they can finish "
        "assessing your application."
    ),
    lifecycle.ACCREDITED: (
        "Your organisation holds the Charter Mark. Keep sending your monitoring returns; "
        "we will tell you when it is time to renew."
    ),
    lifecycle.RENEWAL_DUE: (
        "Your Charter Mark is due for renewal. Apply to renew it before it expires."
    ),
    lifecycle.RENEWAL_UNDER_ASSESSMENT: (
        "You hold the Charter Mark and an assessor is reviewing your application to renew it. "
        "Keep sending your monitoring returns; we will tell you if they need anything more."
    ),
    lifecycle.RENEWAL_INFORMATION_REQUESTED: (
        "You hold the Charter Mark. The assessor has asked for more information about your "
        "renewal: send it so they can finish assessing it."
    ),
    lifecycle.MARK_SUSPENDED: (
        "Your Charter Mark is suspended because a reporting duty was missed. Meet it (the "
        "warning above says how) and the suspension is lifted. You are still a charter signatory."
    ),
    lifecycle.LAPSED: (
        "Your organisation's commitment has lapsed, usually because a review or a monitoring "
        "return was missed. Sign the charter again to rejoin."
    ),
    lifecycle.SUSPENDED: (
        "Your organisation has been suspended by the scheme administrators. The reason is in "
        "the history below. Contact the scheme team if you have questions."
    ),
    lifecycle.WITHDRAWN: (
        "Your organisation has withdrawn from the charter. You can sign it again at any time."
    ),
}

# A charter without an award (issue 21): the next steps that would speak of one, without it.
NO_AWARD_NEXT_STEPS = {
    **NEXT_STEPS,
    lifecycle.REGISTERED: (
        "Your organisation is registered. Next, sign the charter: read its principles, "
        "choose your route and make the declaration."
    ),
    lifecycle.MONITORING: (
        "Your action plan is approved. Record the contracts you win from public-sector "
        "commissioners and send a monitoring return with evidence each period."
    ),
}


def _next_step(status: str, award: str | None) -> str:
    if award is None:
        return NO_AWARD_NEXT_STEPS.get(status, "")
    return award_words(NEXT_STEPS.get(status, ""), award)


# States in which the organisation has no current signature and may sign the charter.
UNSIGNED_STATES = (lifecycle.REGISTERED, lifecycle.LAPSED, lifecycle.WITHDRAWN)


@bp.get("/")
@login_required
@verified_required
def list_organisations():
    waiting = invitations.open_invitations_for(current_user.email, MEMBER)
    return render_template(
        "organisation/list.html",
        memberships=organisations.memberships_of(current_user),
        invitations=[(inv, invitations.token_for(inv)) for inv in waiting],
    )


# How far along the road to the Charter Mark each state is; suspension keeps the stage it
# interrupted, lapsing or withdrawing starts again from signing.
STAGE = {
    lifecycle.SIGNATORY: 1,
    lifecycle.PLAN_SUBMITTED: 2,
    lifecycle.MONITORING: 3,
    lifecycle.UNDER_ASSESSMENT: 4,
    lifecycle.INFORMATION_REQUESTED: 4,
    lifecycle.ACCREDITED: 5,
    lifecycle.RENEWAL_DUE: 5,
    lifecycle.RENEWAL_UNDER_ASSESSMENT: 5,
    lifecycle.RENEWAL_INFORMATION_REQUESTED: 5,
    lifecycle.MARK_SUSPENDED: 5,
}


def _stage(organisation) -> int:
    duties = organisation.status
    if duties == lifecycle.SUSPENDED:
        duties = organisation.status_before_suspension
    return STAGE.get(lifecycle.stage(duties, organisation.mark_status), 0)


def _status(text: str) -> dict:
    return {"text": text}


def _tag(text: str, colour: str) -> dict:
    return {"tag": {"text": text, "classes": colour}}


def _cannot_start(hint: str) -> tuple[dict, str]:
    return {
        "text": "Cannot start yet",
        "classes": "govuk-task-list__status--cannot-start-yet",
    }, hint


def _returns_task(organisation, stage: int) -> tuple[tuple[dict, str], bool]:
    """Status of the returns task, and whether the returns page is open: once the plan is
    approved, or straight after signing for an organisation already delivering."""
    signing = signings.signing_of(organisation)
    delivering = signing is not None and signing.route == returns.ALREADY_DELIVERING
    if stage < 3 and not (stage >= 1 and delivering):
        return _cannot_start("Once your action plan is approved"), False
    counts = returns.summary(organisation)
    hint = "Each monitoring period"
    parts = [
        f"{counts[key]} {label}"
        for key, label in (
            ("due", "due"),
            ("waiting", "waiting for verification"),
            ("verified", "verified"),
        )
        if counts[key]
    ]
    if counts["due"]:
        return (_tag(", ".join(parts), "govuk-tag--orange"), hint), True
    if parts:
        return (_status(", ".join(parts)), hint), True
    if stage < 3:
        first = "A first return, before your plan is approved"
        return (_tag("Not yet started", "govuk-tag--blue"), first), True
    return (_tag("Ongoing", "govuk-tag--turquoise"), hint), True


def _apply_task(organisation, stage: int, award: str) -> tuple[tuple[dict, str], str | None]:
    """Status of the Charter Mark task, and the page it links members to (from monitoring on,
    unless suspended: the application page says exactly what is still missing)."""
    status = organisation.stage
    start = url_for("organisation.start_application", slug=organisation.slug)
    show = url_for("organisation.show_application", slug=organisation.slug)
    if status == lifecycle.SUSPENDED:
        start = show = None
    if status == lifecycle.RENEWAL_DUE:
        return (_tag("Renewal due", "govuk-tag--orange"), "Apply to renew before it expires"), start
    if stage == 5:
        return (_status("Completed"), f"The {award} was awarded"), show
    if status == lifecycle.RENEWAL_INFORMATION_REQUESTED:
        return (
            _tag("Information requested", "govuk-tag--orange"),
            "Answer the assessor's questions about your renewal",
        ), show
    if status == lifecycle.RENEWAL_UNDER_ASSESSMENT:
        return (
            _tag("Renewal being assessed", "govuk-tag--purple"),
            f"You hold the {award} while an assessor reviews your renewal",
        ), show
    if status == lifecycle.INFORMATION_REQUESTED:
        return (
            _tag("Information requested", "govuk-tag--orange"),
            "Answer the assessor's questions",
        ), show
    if stage == 4:
        return (_tag("Being assessed", "govuk-tag--purple"), "An assessor is reviewing it"), show
    if stage < 3:
        return _cannot_start("Once you have enough verified monitoring returns"), None
    if status == lifecycle.MONITORING and not applications.eligibility(organisation):
        return (_tag("Not yet started", "govuk-tag--blue"), "You can apply now"), start
    latest = applications.latest_application(organisation)
    if latest is not None and latest.status == APPLICATION_REFUSED:
        return (_tag("Refused", "govuk-tag--red"), "See the decision and what you can do"), show
    return _cannot_start("Once you have enough verified monitoring returns"), start


def _tasks(organisation, membership, award: str | None) -> list[dict]:
    """The GOV.UK task list items for the organisation's progress: applying for the charter's
    award last, when it has one."""
    stage = _stage(organisation)
    sign_task = {"title": {"text": "Sign the charter"}}
    if stage >= 1:
        sign_task["status"] = _status("Completed")
    else:
        sign_task["status"] = _tag("Not yet started", "govuk-tag--blue")
        if membership is not None:  # only members sign; staff only look
            sign_task["href"] = url_for("organisation.start_signing", slug=organisation.slug)

    if stage >= 3:
        plan = (_status("Completed"), "Approved by an assessor")
    elif stage == 2:
        plan = (_tag("Waiting for review", "govuk-tag--light-blue"), "An assessor will review it")
    elif stage == 1:
        plan = (_tag("Not yet started", "govuk-tag--blue"), "A target for each core measure")
    else:
        plan = _cannot_start("Once you have signed the charter")
    returns_task, returns_open = _returns_task(organisation, stage)
    if stage >= 1:
        recorded, _total = contract_summary(organisation)
        contracts_won = (
            _tag(f"{recorded} recorded", "govuk-tag--turquoise")
            if recorded
            else _tag("Not yet started", "govuk-tag--blue"),
            "From public-sector commissioners",
        )
    else:
        contracts_won = _cannot_start("Once you have signed the charter")
    later = [
        ("Submit your action plan", plan),
        ("Record contracts won", contracts_won),
        ("Send monitoring returns", returns_task),
    ]
    apply_href = None
    if award is not None:
        apply, apply_href = _apply_task(organisation, stage, award)
        later.append((f"Apply for the {award}", apply))
    items = [
        {"title": {"text": title}, "hint": {"text": hint}, "status": status}
        for title, (status, hint) in later
    ]
    if stage >= 1 and membership is not None:
        items[0]["href"] = url_for("organisation.show_plan", slug=organisation.slug)
        items[1]["href"] = url_for("organisation.list_contracts", slug=organisation.slug)
    if returns_open and membership is not None:
        items[2]["href"] = url_for("organisation.list_returns", slug=organisation.slug)
    if apply_href and membership is not None:
        items[3]["href"] = apply_href
    return [
        {"title": {"text": "Register your organisation"}, "status": _status("Completed")},
        sign_task,
        *declaration_tasks.tasks(organisation, membership, signed=stage >= 1),
        *items,
    ]


@bp.get("/<slug>")
@login_required
@verified_required
def show_dashboard(slug: str):
    organisation, membership = organisation_for_member(slug)
    identifier_scheme = IDENTIFIER_SCHEMES.get(organisation.identifier_scheme)
    measure_progress = progress.measure_progress(organisation)
    signing = signings.signing_of(organisation)
    award = award_of(signing.charter_id) if signing else award_of()
    # The checklist matters from monitoring on: before then the plan is the next step. A
    # charter without an award has none.
    checklist = (
        progress.charter_mark_checklist(organisation, scheme_of(organisation), measure_progress)
        if award is not None and _stage(organisation) >= 3
        else []
    )
    return render_template(
        "organisation/dashboard.html",
        organisation=organisation,
        membership=membership,
        # The charter it registered with, from the charters the process holds (no query).
        signed_charter=charter_with_id(signing.charter_id) if signing else None,
        # Every charter it signed (the one shown first is the page's), and those it could.
        your_charters=(
            signed := [
                (charter_with_id(s.charter_id), s) for s in signings.signings_of(organisation)
            ]
        ),
        # Asked only when some charter the process holds is not signed yet: no query otherwise.
        charters_to_sign=signings.charters_to_sign(organisation)
        if membership and len(held_charters()) > len(signed)
        else [],
        next_step=_next_step(organisation.stage, award),
        warnings=duty_warnings.for_organisation(organisation),
        tasks=_tasks(organisation, membership, award),
        award=award,
        identifier_label=identifier_scheme.label if identifier_scheme else None,
        signature=organisations.latest_signature(organisation),
        events=history(organisation),
        monitoring_events=monitoring_events_of(organisation),
        progress=measure_progress,
        social_value_total=progress.social_value_total(measure_progress),
        checklist=checklist,
        commitments_report=commitments.for_organisation(organisation)
        if _stage(organisation) >= 1
        else None,
        charter_mark=(charter_mark := marks.current_mark(organisation)),
        # Without a current mark there was never one (only a renewal supersedes a mark).
        mark_history=marks.mark_history(organisation) if charter_mark else [],
    )
