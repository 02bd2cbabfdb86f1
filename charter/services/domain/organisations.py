"""Organisations and their people: registration, members and ownership. Members are invited
as anyone is (charter.services.domain.invitations).

Plain functions: they add to the session and flush when they need ids; the view commits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import ScalarSelect, or_, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import Membership, Organisation, Scheme, Signature, User
from charter.models.organisation import CONTRIBUTOR, OWNER
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain.identifiers import NO_IDENTIFIER, make_org_id
from charter.services.domain.refusals import Refused
from charter.services.domain.text import clean_text

DUPLICATE_ORG_ID_MESSAGE = (
    "An organisation with this identifier is already registered. Ask its owner to invite you."
)


class MembershipRefused(Refused):
    """A transfer or removal that may not happen; the message says why."""


# --- registration ---------------------------------------------------------------------------


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:100].rstrip("-") or "organisation"


# Slugs that would collide with the blueprint's own URLs (/organisations/new, /invitations/...).
RESERVED_SLUGS = frozenset({"new", "invitations"})


def unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(RESERVED_SLUGS) | set(
        db.session.scalars(
            select(Organisation.slug).where(
                or_(Organisation.slug == base, Organisation.slug.like(f"{base}-%"))
            )
        )
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def org_id_taken(org_id: str | None) -> bool:
    if not org_id:
        return False
    return (
        db.session.scalar(select(Organisation.id).where(Organisation.org_id == org_id).limit(1))
        is not None
    )


def register_organisation(owner: User, scheme: Scheme, details: dict) -> Organisation:
    """A new organisation in the "registered" state, with ``owner`` as its owner.

    ``details`` holds the answers from the registration form, already validated and normalised.
    """
    identifier_scheme = details["identifier_scheme"]
    identifier = details.get("identifier") if identifier_scheme != NO_IDENTIFIER else None
    name = clean_text(details["name"]) or ""
    organisation = Organisation(
        name=name,
        slug=unique_slug(name),
        organisation_type=details["organisation_type"],
        size=details["size"],
        sector=details["sector"],
        address_line_1=details["address_line_1"],
        address_line_2=details.get("address_line_2") or None,
        town=details["town"],
        postcode=details["postcode"],
        district=details["district"],
        website=details.get("website") or None,
        identifier_scheme=identifier_scheme,
        identifier=identifier,
        org_id=make_org_id(identifier_scheme, identifier),
        no_identifier_reason=(
            details.get("no_identifier_reason") if identifier_scheme == NO_IDENTIFIER else None
        ),
    )
    db.session.add(organisation)
    db.session.flush()
    signings.start(organisation, scheme)
    db.session.add(Membership(user_id=owner.id, organisation_id=organisation.id, role=OWNER))
    return organisation


# --- reading -------------------------------------------------------------------------------


def by_slug(slug: str) -> Organisation | None:
    """The organisation at ``slug`` with its signings, in one query: most pages ask for its
    scheme, route, consent or lifecycle (charter.services.domain.signings)."""
    return (
        db.session.scalars(
            select(Organisation)
            .where(Organisation.slug == slug)
            .options(joinedload(Organisation.signings))
        )
        .unique()
        .first()
    )


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships, each with its organisation and its signings loaded (the
    status shown), by organisation name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.organisation)
            .options(joinedload(Membership.organisation).selectinload(Organisation.signings))
            .where(Membership.user_id == user.id)
            .order_by(Organisation.name)
        )
    )


def members_of(organisation: Organisation) -> list[Membership]:
    """Memberships with their users loaded: the owner first, then by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .options(joinedload(Membership.user))
            .where(Membership.organisation_id == organisation.id)
            .order_by((Membership.role == OWNER).desc(), User.full_name, User.id)
        )
    )


def latest_signature(organisation: Organisation) -> Signature | None:
    """Its latest signature of the charter acting now (its signing's charter): one that signed
    two charters sees, in each, when it signed that one."""
    signing = signings.signing_of(organisation)
    found = latest_signature_of(organisation, signing.charter_id if signing else None)
    return found[0] if found else None


def latest_signature_of(
    organisation: Organisation, charter_id: int | None
) -> tuple[Signature, Scheme] | None:
    """Its latest signature of charter ``charter_id``'s schemes (None: of any charter's), with
    the scheme it signed."""
    row = db.session.execute(
        select(Signature, Scheme)
        .join(Scheme, Scheme.id == Signature.scheme_id)
        .where(Signature.id == latest_signature_id(organisation.id, charter_id))
    ).first()
    return (row[0], row[1]) if row else None


def latest_signature_id(organisation_id, charter_id) -> ScalarSelect[int]:
    """SQL: the id of ``latest_signature_of``'s signature (NULL with none; ids or bound
    parameters), for a statement reading more with it (an organisation's public page)."""
    query = (
        select(Signature.id)
        .join(Scheme, Scheme.id == Signature.scheme_id)
        .where(Signature.organisation_id == organisation_id)
    )
    if charter_id is not None:
        query = query.where(Scheme.charter_id == charter_id)
    return (
        query.order_by(Signature.signed_at.desc(), Signature.id.desc()).limit(1).scalar_subquery()
    )


# --- ownership and removal -----------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    organisation: Organisation
    new_owner: User


def transfer_ownership(
    organisation: Organisation, owner_membership: Membership, new_owner_user_id: int
) -> Transfer:
    """Swap roles: the chosen member becomes the owner, the owner a contributor."""
    new_owner_membership = db.session.scalar(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(
            Membership.organisation_id == organisation.id,
            Membership.user_id == new_owner_user_id,
        )
    )
    if new_owner_membership is None or new_owner_membership.id == owner_membership.id:
        raise MembershipRefused("Select another member of the organisation")
    owner_membership.role = CONTRIBUTOR
    new_owner_membership.role = OWNER
    notices.organisations.ownership_transferred(organisation, new_owner_membership.user)
    return Transfer(organisation, new_owner_membership.user)


def remove_member(organisation: Organisation, membership_id: int) -> User:
    """Remove a contributor. The owner cannot be removed: transfer ownership first."""
    membership = db.session.scalar(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.id == membership_id, Membership.organisation_id == organisation.id)
    )
    if membership is None:
        raise MembershipRefused("That person is not a member of this organisation")
    if membership.role == OWNER:
        raise MembershipRefused("The owner cannot be removed. Transfer ownership first")
    user = membership.user
    db.session.delete(membership)
    return user
