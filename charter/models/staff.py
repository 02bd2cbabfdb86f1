"""Staff roles per charter: who administers or assesses which charter (issue 20).

A council's staff act for its charter only. An assessor of Worcestershire's charter has no
business reading Shropshire's action plans, so a role is a row naming the charter it is held in,
not a flag on the account. Appointing and removing keep the row: ``removed_at`` closes it, so
who was staff of a charter, appointed by whom and until when, stays answerable.

At most one *open* row per (person, charter, role): a partial unique index (both databases
support ``WHERE``), so a person may be appointed again after removal, and two administrators
appointing the same person at once cannot make a duplicate.

The service administrator (``User.service_admin``) is not a charter role: it is the service
operator, who creates charters and appoints their first administrators.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db
from charter.models.base import utcnow

ADMINISTRATOR = "administrator"
ASSESSOR = "assessor"
CHARTER_ROLES = (ADMINISTRATOR, ASSESSOR)


class StaffRole(db.Model):
    __tablename__ = "staff_roles"
    __table_args__ = (
        Index(
            "uq_staff_roles_open",
            "user_id",
            "charter_id",
            "role",
            unique=True,
            sqlite_where=text("removed_at IS NULL"),
            postgresql_where=text("removed_at IS NULL"),
        ),
        Index("ix_staff_roles_charter_id_role", "charter_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"))
    role: Mapped[str] = mapped_column(String(20))  # one of CHARTER_ROLES
    # None: appointed by a command or by the migration that introduced charter roles.
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appointed_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<StaffRole {self.user_id} {self.role} of charter {self.charter_id}>"
