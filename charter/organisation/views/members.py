"""An organisation's people: the member list, invitations, ownership transfer and removal.
Accepting an invitation is the one page every kind has (charter/auth/invitations.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from charter.auth import invitations as invitation_page
from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models.invitation import MEMBER
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.members import InviteMemberForm, TransferOwnershipForm
from charter.refusals_on_forms import shown_on
from charter.services.domain import invitation_tokens, invitations, organisations
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
        invitations=invitations.open_invitations_to(MEMBER, organisation) if is_owner else [],
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
            invitations.invite(MEMBER, organisation, form.email.data, current_user)
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
    invitation = invitations.cancel(MEMBER, organisation, invitation_id)
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
    """The link in an invitation to join (signed in first, as every organisation page)."""
    return invitation_page.accept_page(token, MEMBER)
