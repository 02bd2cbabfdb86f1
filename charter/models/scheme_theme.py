"""A scheme's themes and the priorities they serve, from its scheme file ([[themes]],
[[priorities]]): Worcestershire's five goals, Cheshire West's jobs, growth, social and
environment themes mapped to its seven corporate priorities. Rows rather than a JSON list,
because measures belong to a theme and the impact figures are to be broken down by theme and by
priority (issue 21); like every part of a scheme version, they are never edited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db

if TYPE_CHECKING:
    from charter.models.scheme import Scheme

# Which priorities each theme serves: many to many, as the Cheshire West policy's table has it.
theme_priorities = Table(
    "theme_priorities",
    db.metadata,
    Column("theme_id", ForeignKey("themes.id"), primary_key=True),
    Column("priority_id", ForeignKey("priorities.id"), primary_key=True),
)


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int]

    scheme: Mapped[Scheme] = relationship(back_populates="themes", lazy="raise")
    priorities: Mapped[list[Priority]] = relationship(
        secondary=theme_priorities, order_by="Priority.position", lazy="raise"
    )


class Priority(db.Model):
    """One of the running body's own priorities (a council plan's), which themes serve."""

    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int]

    scheme: Mapped[Scheme] = relationship(back_populates="priorities", lazy="raise")
