"""Invitations by email, of every kind, in one table: what the person is invited to be (``kind``)
and the one row it is to (its target column), so one flow invites, cancels, opens and accepts
them all (:mod:`charter.services.domain.invitations`).

Before, members and contract managers had a table each with the same columns but one, two
services and two accept pages. A new kind (a charter's assessors and administrators) adds a
kind, its target column and a row in the service's table, not a copy of the flow.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow

if TYPE_CHECKING:
    from charter.models.contract import Commissioner
    from charter.models.organisation import Organisation
    from charter.models.user import User

MEMBER = "member"  # a contributor to an organisation
CONTRACT_MANAGER = "contract_manager"  # a commissioner's contract manager
# The column naming what each kind of invitation is to; the others stay NULL.
TARGET_COLUMNS = {MEMBER: "organisation_id", CONTRACT_MANAGER: "commissioner_id"}


def one_target_check(targets: dict[str, str]) -> str:
    """SQL saying that an invitation's kind has its own target column set and no other; the
    migration writes out the same text."""
    columns = sorted(set(targets.values()))
    return " OR ".join(
        f"(kind = '{kind}'"
        + "".join(f" AND {column} IS {'NOT ' if column == own else ''}NULL" for column in columns)
        + ")"
        for kind, own in targets.items()
    )


class Invitation(db.Model):
    """A person invited by email. The link carries a signed token naming this row."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(one_target_check(TARGET_COLUMNS), name="one_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    commissioner_id: Mapped[int | None] = mapped_column(ForeignKey("commissioners.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # A contract manager invitation's id in its old table, for the links emailed before the
    # tables were merged (they name that id). NULL for every invitation sent since; the column
    # can go once the last of those links has expired.
    legacy_id: Mapped[int | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    commissioner: Mapped[Commissioner | None] = relationship(lazy="raise")
    invited_by: Mapped[User] = relationship(lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

    @property
    def target(self) -> Organisation | Commissioner:
        """What the invitation is to (the organisation or the commissioner); loaded first."""
        return getattr(self, TARGET_COLUMNS[self.kind].removesuffix("_id"))
