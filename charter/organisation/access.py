"""Who may see an organisation's private pages.

Anyone who is not a member (nor staff of its charter) gets a 404, not a 403: another organisation's
existence behind a private URL is not disclosed.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from charter.acting_charter import named_charter
from charter.extensions import db
from charter.models import Membership, Organisation
from charter.services.domain import organisations, staff


def membership_for(organisation: Organisation) -> Membership | None:
    if not current_user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == current_user.id
        )
    )


def organisation_for_member(slug: str, *, owner_only: bool = False, staff_may_view: bool = True):
    """The organisation at ``slug`` and the current user's membership (None for staff).

    404 if it does not exist or the user is not a member (scheme staff may view when allowed);
    403 if ``owner_only`` and the member is not the owner.
    """
    organisation = organisations.by_slug(slug)
    if organisation is None:
        abort(404)
    charter = named_charter()
    if charter is not None and all(s.charter_id != charter.id for s in organisation.signings):
        # Its pages act on a signing of the charter named (charter.acting_charter): it has none.
        abort(404)
    membership = membership_for(organisation)
    if membership is None:
        # Staff of the organisation's charter; another charter's staff are told nothing.
        if (
            staff_may_view
            and not owner_only
            and staff.is_staff_anywhere(current_user)
            and staff.is_staff(current_user, staff.charter_of(organisation))
        ):
            return organisation, None
        abort(404)
    if owner_only and membership.role != "owner":
        abort(403)
    return organisation, membership
