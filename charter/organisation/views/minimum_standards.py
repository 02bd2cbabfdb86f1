"""The minimum standards declaration page: where the charter's scheme lists minimum standards,
an owner declares that the organisation meets them, once a year (the rules are the service's:
charter.services.domain.minimum_standards). Members and the charter's staff see the standing;
a charter without minimum standards has no such page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.branding import charter_with_id
from charter.extensions import db
from charter.formatting import format_date
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.declarations import DeclarationForm
from charter.services.domain import minimum_standards, signings
from workflows.lifecycle import TransitionRefused


@bp.route("/<slug>/minimum-standards", methods=["GET", "POST"])
@login_required
@verified_required
def declare_minimum_standards(slug: str):
    posting = request.method == "POST"
    organisation, membership = organisation_for_member(slug, staff_may_view=not posting)
    standing = minimum_standards.standing(organisation)
    if standing is None:
        abort(404)  # the charter asks for none: there is no such page
    is_owner = membership is not None and membership.role == "owner"
    if posting and not is_owner:
        abort(403)
    form = DeclarationForm()
    refusal = minimum_standards.may_declare(organisation)
    if posting and refusal is None and form.validate_on_submit():
        try:
            declaration = minimum_standards.declare(organisation, current_user)
            db.session.commit()
        except TransitionRefused as exc:
            db.session.rollback()
            flash(exc.reason, "error")
            return redirect(url_for(".declare_minimum_standards", slug=slug))
        flash(
            "Thank you: the minimum standards are declared until "
            f"{format_date(declaration.lapses_on)}",
            "success",
        )
        return redirect(url_for(".show_dashboard", slug=slug))
    page = render_template(
        "organisation/minimum-standards.html",
        organisation=organisation,
        is_owner=is_owner,
        # Its running body, by the signing's charter (the page may not name it in its address).
        charter=charter_with_id(signings.signing_of(organisation).charter_id),
        standing=standing,
        refusal=refusal,
        form=form,
        warn_days=minimum_standards.WARN_DAYS,
    )
    # A declaration the organisation's state does not allow changes nothing: the page says why.
    return page, 409 if posting and refusal is not None else 200
