"""Pages anyone can see: the service's information pages (accessibility, privacy, cookies) and a
charter's "how it works" (probes: operations)."""

from datetime import date

from flask import current_app, g, render_template

from charter.award import award_of, award_words
from charter.public import bp
from charter.services.domain import retention_schedule
from charter.services.domain.schemes import current_scheme, principles_of
from charter.services.read_models.impact import figures, themes
from workflows import lifecycle

# Who runs the service, for the privacy notice and accessibility statement. A deployment for
# another area sets these in its configuration.
DEFAULT_OPERATOR = "Shropshire Council"
DEFAULT_CONTACT_EMAIL = "socialvalue@example.gov.uk"
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 23)
PRIVACY_NOTICE_UPDATED = date(2026, 12, 6)

# A scheme whose organisations choose what they commit to (no core measure): Worcestershire's
# toolkit, Cheshire West's policy.
PLAN_WITHOUT_CORE_MEASURES = (
    "The action plan, with a target for at least one of the measures the organisation has "
    "chosen, is waiting for an assessor to approve it or return it for changes."
)
STATE_DESCRIPTIONS = {
    lifecycle.REGISTERED: "The organisation has an account and its details, but has not signed "
    "the charter yet. It is not on the public register.",
    lifecycle.SIGNATORY: "The organisation has signed the charter, committed to its principles "
    "and chosen a route. Next it writes its action plan.",
    lifecycle.PLAN_SUBMITTED: "The action plan, with a target for each core measure, is waiting "
    "for an assessor to approve it or return it for changes.",
    lifecycle.MONITORING: "The plan is approved. The organisation records the contracts it wins "
    "from public-sector commissioners and sends a monitoring return each period.",
    lifecycle.NO_MARK: "A signatory that has not applied for the Charter Mark, or whose "
    "application was refused. It can apply once it meets what the scheme asks for.",
    lifecycle.UNDER_ASSESSMENT: "The organisation has applied for the Charter Mark. An assessor "
    "is checking its evidence against each measure.",
    lifecycle.INFORMATION_REQUESTED: "The assessor has asked for more information before deciding.",
    lifecycle.ACCREDITED: "The organisation holds the Charter Mark for a fixed period and can "
    "show the badge.",
    lifecycle.RENEWAL_DUE: "The Charter Mark expires soon. The organisation can apply to renew it "
    "on returns verified for periods since the Mark was awarded. If it is not renewed, the Mark "
    "expires and the organisation goes back to monitoring: it is still a charter signatory.",
    lifecycle.RENEWAL_UNDER_ASSESSMENT: "The organisation has applied to renew its Charter Mark. "
    "It holds the Mark while an assessor checks its evidence, until the Mark's expiry date.",
    lifecycle.RENEWAL_INFORMATION_REQUESTED: "The assessor has asked for more information about "
    "the renewal. The organisation holds the Charter Mark meanwhile, until its expiry date.",
    lifecycle.MARK_EXPIRED: "The Charter Mark reached its expiry date without being renewed. The "
    "organisation is still a charter signatory and can apply again.",
    lifecycle.MARK_REVOKED: "A scheme administrator revoked the Charter Mark. The organisation is "
    "still a charter signatory.",
    lifecycle.MARK_SUSPENDED: "The organisation missed a reporting duty (a monitoring return "
    "overdue past the grace period, or the annual confirmation), so its Charter Mark is "
    "suspended. It is still a charter signatory. The suspension lifts itself once the duty is met.",
    lifecycle.LAPSED: "The organisation stopped meeting its duties as a signatory: a monitoring "
    "return overdue past the grace period, or the annual confirmation not given. It can sign the "
    "charter again.",
    lifecycle.SUSPENDED: "A scheme administrator has suspended the organisation, for example "
    "while a complaint is looked into. Lifting the suspension returns it to where it was.",
    lifecycle.WITHDRAWN: "The organisation has left the charter. It can sign again later.",
}

# The stages only a charter with an award has: the award's own lifecycle.
AWARD_STATES = set(lifecycle.MARK_STATES)
BEFORE_SUSPENSION = "the state before suspension"

DYNAMIC_DESTINATIONS = {
    "reinstate_mark": "Charter Mark holder, or renewal due inside the renewal window",
}

ACTOR_DESCRIPTIONS = {
    lifecycle.MEMBER: "The organisation",
    lifecycle.ASSESSOR: "An assessor",
    lifecycle.ADMIN: "A scheme administrator",
    lifecycle.SYSTEM: "The service, on a scheduled review",
}


def _operator() -> dict:
    cfg = current_app.config
    return {
        "operator": cfg.get("SERVICE_OPERATOR", DEFAULT_OPERATOR),
        "contact_email": cfg.get("SERVICE_CONTACT_EMAIL", DEFAULT_CONTACT_EMAIL),
    }


@bp.get("/accessibility")
def show_accessibility():
    return render_template(
        "public/accessibility.html", prepared_on=ACCESSIBILITY_STATEMENT_PREPARED, **_operator()
    )


@bp.get("/privacy")
def show_privacy():
    return render_template(
        "public/privacy.html",
        updated_on=PRIVACY_NOTICE_UPDATED,
        retention_rules=retention_schedule.schedule(),
        **_operator(),
    )


@bp.get("/cookies")
def show_cookies():
    from charter.operations import replica

    return render_template(
        "public/cookies.html",
        session_cookie_name=current_app.config["SESSION_COOKIE_NAME"],
        # Set only where the service reads from a database replica (docs/deployment.md).
        read_primary_cookie=replica.READ_PRIMARY_COOKIE if replica.configured() else None,
        read_primary_seconds=int(replica.read_your_writes_seconds(current_app)) + 1,
    )


@bp.get("/c/<charter_slug>/how-it-works")
def show_lifecycle():
    """The lifecycle, generated from the machine itself so it cannot drift from the code. A
    charter without an award shows only the stages and steps that do not concern one."""
    award = award_of()
    kept = [s for s in lifecycle.STATE_LABELS if award or s not in AWARD_STATES]
    triggers = [
        trig for trig in lifecycle.TRIGGERS.values() if award or trig.machine == lifecycle.DUTIES
    ]
    rows = [
        {
            "trigger": trig,
            "who": [ACTOR_DESCRIPTIONS[kind] for kind in trig.actor_kinds],
            "sources": [_label(s, award) for s in trig.sources if s in kept],
            "dest": _label(trig.dest, award)
            if trig.dest
            else " or ".join(dict.fromkeys(_label(dest, award) for _, dest in trig.pairs))
            if trig.pairs
            else award_words(DYNAMIC_DESTINATIONS.get(trig.name, BEFORE_SUSPENSION), award),
        }
        for trig in triggers
    ]
    scheme = current_scheme(charter=g.get("charter"))
    measures = figures.measures_of(scheme) if scheme else []
    descriptions = {s: award_words(STATE_DESCRIPTIONS[s], award) for s in kept}
    if measures and not any(m.is_core for m in measures):
        descriptions[lifecycle.PLAN_SUBMITTED] = PLAN_WITHOUT_CORE_MEASURES
    return render_template(
        "public/how-it-works.html",
        scheme=scheme,
        principles=principles_of(scheme) if scheme else [],
        measures=measures,
        themes=themes.themes_of(scheme) if scheme else (),
        rows=rows,
        states={s: _label(s, award) for s in kept},
        # The signatory's stages, then (with an award) the award's own, a lifecycle beside them.
        stage_groups=[
            ("The stages" if not award else "The signatory’s stages", lifecycle.DUTY_STATES),
            *([(f"The stages of the {award}", lifecycle.MARK_STATES)] if award else []),
        ],
        state_descriptions=descriptions,
        mermaid=lifecycle.mermaid(lifecycle.DUTIES),
        mark_mermaid=lifecycle.mermaid(lifecycle.MARK) if award else None,
    )


def _label(state: str, award: str | None) -> str:
    return award_words(lifecycle.STATE_LABELS[state], award)
