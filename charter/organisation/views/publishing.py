"""Whether the organisation publishes its verified figures on the register and in the open
data. The owner decides; the choice can be changed at any time and takes effect at once."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models.base import utcnow
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.publishing import PublishFiguresForm
from charter.services.read_models.impact import published


@bp.route("/<slug>/publish-figures", methods=["GET", "POST"])
@login_required
@verified_required
def decide_publishing(slug: str):
    organisation, _ = organisation_for_member(slug, owner_only=True)
    form = PublishFiguresForm()
    if not form.is_submitted() and organisation.publishes_figures_decided_at is not None:
        form.publish.data = "yes" if organisation.publishes_figures else "no"
    if form.validate_on_submit():
        choice = form.publish.data == "yes"
        published.decide(organisation, choice, utcnow())
        db.session.commit()
        flash(
            "Your verified figures are published on the register."
            if choice
            else "Your figures are not published. The register shows how many targets you met.",
            "success",
        )
        return redirect(url_for("organisation.show_dashboard", slug=organisation.slug))
    return render_template(
        "organisation/publish-figures.html", organisation=organisation, form=form
    )
