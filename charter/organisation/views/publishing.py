"""Whether the organisation publishes its verified figures on the register and in the open
data. The owner decides; the choice can be changed at any time and takes effect at once.

The same question is asked when signing and at the annual confirmation; this page is where an
organisation changes its answer (the dashboard and the confirmation page link here). Opened from
the confirmation page (``?from=confirm-commitment``), it goes back there when saved.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models.base import utcnow
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.publishing import PublishFiguresForm, as_answer, as_choice
from charter.services.domain import publishing, signings
from charter.services.domain.schemes import current_scheme

# Where the page may send the person back to: only these, never a URL from the request.
RETURN_TO = {"confirm-commitment": "organisation.confirm_commitment"}


@bp.route("/<slug>/publish-figures", methods=["GET", "POST"])
@login_required
@verified_required
def decide_publishing(slug: str):
    organisation, _ = organisation_for_member(slug, owner_only=True)
    came_from = request.args.get("from")
    back_endpoint = RETURN_TO.get(came_from, "organisation.show_dashboard")
    form = PublishFiguresForm()
    signing = signings.signing_of(organisation)
    if not form.is_submitted() and signing and signing.publishes_figures_decided_at is not None:
        form.publish.data = as_choice(signing.publishes_figures)
    if form.validate_on_submit():
        choice = as_answer(form.publish.data)
        publishing.decide(
            organisation,
            choice,
            utcnow(),
            actor_id=current_user.id,
            actor_label=current_user.full_name,
        )
        db.session.commit()
        flash(
            "Your verified figures are published on the register."
            if choice
            else "Your figures are not published. The register shows how many targets you met.",
            "success",
        )
        return redirect(url_for(back_endpoint, slug=organisation.slug))
    scheme = current_scheme()
    return render_template(
        "organisation/publish-figures.html",
        organisation=organisation,
        form=form,
        back_url=url_for(back_endpoint, slug=organisation.slug),
        action_url=url_for(
            "organisation.decide_publishing",
            slug=organisation.slug,
            **({"from": came_from} if came_from in RETURN_TO else {}),
        ),
        disclosure_min=scheme.disclosure_min_organisations if scheme else 3,
    )
