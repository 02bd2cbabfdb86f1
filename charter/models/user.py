"""People: one account per person, email verification, reminder preferences, the record of a
closed account, and whether the person is a service administrator.

Staff roles are held in a charter (charter.models.staff: administrator or assessor of one
charter), so they are not here. The one service-wide role is the **service administrator**: the
operator who creates charters and appoints their first administrators. Everyone else is a plain
account that may belong to organisations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow

if TYPE_CHECKING:
    from charter.models.organisation import Membership


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    # The service operator: creates charters and appoints their administrators. Not a role in
    # any charter: acting in one takes a charter role (charter.services.domain.staff).
    service_admin: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    email_verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Reminders (returns due, confirmation due) can be turned off; decisions, warnings of
    # suspension or lapse and sign-in mail cannot.
    reminder_emails: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    # Sessions live in a signed cookie; each carries the generation it was signed in under.
    # Signing out, changing the password and "sign out everywhere" add one, so every earlier
    # cookie, a copied one included, stops working (charter/auth/user_loader.py).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # A closed account (by its holder, an administrator on request, or the retention schedule)
    # keeps its row, so what was done stays attributed to "Former member": the name and email
    # are replaced, the password cannot be used and every session has ended
    # (charter/services/domain/account_closing.py).
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_reason: Mapped[str | None] = mapped_column(Text)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.email}>"
