"""An organisation's people: the member list, invitations, ownership transfer and removal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.members import InviteMemberForm, TransferOwnershipForm
from charter.refusals_on_forms import shown_on
from charter.services.domain import invitation_tokens, organisations
from charter.services.domain.invitation_tokens import InvitationLinkError
from charter.services.domain.lifecycle import is_member
from charter.services.domain.organisations import MembershipRefused


@bp.get("/<slug>/members")
@login_required
@verified_required
def list_members(slug: str):
    organisation, membership = organisation_for_member(slug)
    is_owner = membership is not None and membership.role == "owner"
    return render_template(
        "organisation/members.html",
        organisation=organisation,
        members=organisations.members_of(organisation),
        invitations=organisations.open_invitations_of(organisation) if is_owner else [],
        is_owner=is_owner,
        is_expired=invitation_tokens.is_expired,
    )


@bp.route("/<slug>/members/invite", methods=["GET", "POST"])
@login_required
@verified_required
def invite_member(slug: str):
    organisation, _ = organisation_for_member(slug, owner_only=True)
    form = InviteMemberForm()
    if form.validate_on_submit():
        with shown_on(form, "email") as refused:
            organisations.invite_member(organisation, form.email.data, current_user)
        if not refused:
            db.session.commit()
            flash(f"Invitation sent to {form.email.data}", "success")
            return redirect(url_for("organisation.list_members", slug=organisation.slug))
    return render_template("organisation/invite-member.html", organisation=organisation, form=form)


@bp.post("/<slug>/members/invitations/<int:invitation_id>/cancel")
@login_required
@verified_required
def cancel_invitation(slug: str, invitation_id: int):
    organisation, _ = organisation_for_member(slug, owner_only=True)
    invitation = organisations.cancel_invitation(organisation, invitation_id)
    if invitation is None:
        abort(404)
    db.session.commit()
    flash(f"Invitation to {invitation.email} cancelled", "success")
    return redirect(url_for("organisation.list_members", slug=organisation.slug))


@bp.route("/<slug>/members/transfer", methods=["GET", "POST"])
@login_required
@verified_required
def transfer_ownership(slug: str):
    organisation, membership = organisation_for_member(slug, owner_only=True)
    candidates = {
        str(m.user_id): f"{m.user.full_name} ({m.user.email})"
        for m in organisations.members_of(organisation)
        if m.id != membership.id
    }
    form = TransferOwnershipForm(candidates=candidates)
    if candidates and form.validate_on_submit():
        with shown_on(form, "new_owner") as refused:
            transfer = organisations.transfer_ownership(
                organisation, membership, int(form.new_owner.data)
            )
        if not refused:
            db.session.commit()
            flash(
                f"{transfer.new_owner.full_name} is now the owner of {organisation.name}. "
                "You are a contributor.",
                "success",
            )
            return redirect(url_for("organisation.list_members", slug=organisation.slug))
    return render_template(
        "organisation/transfer-ownership.html",
        organisation=organisation,
        form=form,
        has_candidates=bool(candidates),
    )


@bp.post("/<slug>/members/<int:membership_id>/remove")
@login_required
@verified_required
def remove_member(slug: str, membership_id: int):
    organisation, _ = organisation_for_member(slug, owner_only=True)
    try:
        removed = organisations.remove_member(organisation, membership_id)
    except MembershipRefused as refusal:
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(f"{removed.full_name} is no longer a member of {organisation.name}", "success")
    return redirect(url_for("organisation.list_members", slug=organisation.slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
@verified_required
def accept_invitation(token: str):
    try:
        invitation = organisations.invitation_from_token(token)
    except InvitationLinkError as error:
        reason = "expired" if error.expired else "invalid"
        return render_template(
            "organisation/invitation-unavailable.html", reason=reason, organisation=None
        ), (410 if error.expired else 404)
    organisation = invitation.organisation
    if invitation.email.lower() != current_user.email.lower():
        return render_template(
            "organisation/invitation-wrong-account.html", organisation=organisation
        ), 403
    reason = invitation_tokens.unavailable_reason(invitation)
    if reason is not None:
        return render_template(
            "organisation/invitation-unavailable.html", reason=reason, organisation=organisation
        ), 410
    # CSRFProtect has already checked the POST's token.
    if request.method == "POST":
        organisations.accept_invitation(invitation, current_user)
        try:
            db.session.commit()
        except IntegrityError:
            # Accepted twice at once: the other request made the membership.
            db.session.rollback()
            if not is_member(current_user, organisation):
                raise
        flash(f"You are now a member of {organisation.name}", "success")
        return redirect(url_for("organisation.show_dashboard", slug=organisation.slug))
    return render_template(
        "organisation/accept-invitation.html", invitation=invitation, organisation=organisation
    )
