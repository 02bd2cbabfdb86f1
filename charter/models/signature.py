"""Signing the charter: who signed for the organisation, on which route (already delivering or
working towards), under which scheme version, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.scheme import Scheme
from charter.models.user import User


class Signature(db.Model):
    """The organisation's signed commitment to the charter, under one scheme version.
    Kept for good: a re-signing after a lapse adds a new row."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signatory_name: Mapped[str] = mapped_column(String(200))
    signatory_role: Mapped[str] = mapped_column(String(200))
    has_authority: Mapped[bool]
    route: Mapped[str] = mapped_column(String(30))
    # Codes of the principles accepted, as shown to the signatory.
    accepted_principles: Mapped[list[str]] = mapped_column(JSON)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    scheme: Mapped[Scheme] = relationship(lazy="raise")
    signed_by: Mapped[User | None] = relationship(lazy="raise")

    @property
    def reference(self) -> str:
        """The signature's own reference, to quote to the scheme: SIG-2026-00042. Made from the
        row's id, so it is unique and can be looked up, and the year it was signed."""
        return f"SIG-{self.signed_at:%Y}-{self.id:05d}"
