"""A signing: an organisation's commitment to one charter (issue 20).

Organisations and people belong to the service; signing belongs to a charter. An organisation
that commits to Shropshire's charter and to Worcestershire's has one organisation record, one set
of members and two signings, each under its own charter's scheme. What is about one charter lives
on the signing, not the organisation:

- the **scheme version** it signed under (``scheme_id``; a later version of the scheme does not
  change what it signed);
- its **route** to the Mark (already delivering, or working towards it to a timetabled plan);
- its **consent to publish** its verified figures on that charter's register and open data
  (``publishes_figures``, and when it decided);
- its **entry on that charter's register**: published, awaiting an administrator's check, or
  hidden with a reason (``register_entry``).

A signing exists from the moment an organisation registers with a charter, before the signature
itself (charter.models.signature keeps each signed declaration for good; this row is the
relationship that follows it).

The rows that follow from a signing (action plans, returns, applications, Marks, annual
confirmations, audits) name it (``OfSigning``, below), and so does its **lifecycle**
(``status``, the signatory's duties: registered, signatory, plan submitted, monitoring...; and
``mark_status``, its Charter Mark: none, under assessment, held, renewal due...; driven only
through workflows.lifecycle, with the optimistic lock of ``Versioned``). Until pages and
reviews name the charter they act in, an organisation signs one charter: the unique
(organisation, charter) pair is the lasting rule, and ``signings_held`` below (through
``charter.services.domain.signings.signing_of``) is the one place that picks an organisation's
signing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship
from sqlalchemy.orm.attributes import set_committed_value

from charter.extensions import db
from charter.models.base import Versioned, utcnow

if TYPE_CHECKING:
    from charter.models.charter import Charter
    from charter.models.organisation import Organisation
    from charter.models.scheme import Scheme

# Whether an organisation's entry is on the charter's public register
# (charter.services.domain.register_entries).
REGISTER_PUBLISHED = "published"
REGISTER_AWAITING_CHECK = "awaiting_check"
REGISTER_HIDDEN = "hidden"
ROUTES = {
    "already_delivering": "Already delivering social value",
    "working_towards": "Working towards it, to a timetabled plan",
}


REGISTERED = "registered"
NO_MARK = "no_mark"


class Signing(Versioned, db.Model):
    __tablename__ = "signings"
    __table_args__ = (
        UniqueConstraint("organisation_id", "charter_id"),
        # A register's query asks, for each organisation it walks, whether its entry on this
        # charter's register is published and in a public state: answered from this index alone.
        Index(
            "ix_signings_register_entry",
            "organisation_id",
            "charter_id",
            "register_entry",
            "status",
            "mark_status",
        ),
        # A charter's signatories by state: the administrators' counts, the reviews' selections.
        Index("ix_signings_charter_status", "charter_id", "status"),
        Index("ix_signings_charter_mark_status", "charter_id", "mark_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"), index=True)
    route: Mapped[str | None] = mapped_column(String(30))
    # Consent to publish the organisation's verified figures on this charter's register page and
    # in its open data. Without it, only the "targets met" summary is public.
    publishes_figures: Mapped[bool] = mapped_column(default=False)
    publishes_figures_decided_at: Mapped[datetime | None]
    # Whether its entry is on this charter's public register: published, awaiting an
    # administrator's check (a new signatory), or hidden with a reason.
    register_entry: Mapped[str] = mapped_column(
        String(20), default=REGISTER_PUBLISHED, server_default=REGISTER_PUBLISHED
    )
    register_entry_changed_at: Mapped[datetime | None]
    register_hidden_reason: Mapped[str | None] = mapped_column(Text)
    # Its two lifecycles under this charter, driven only through workflows.lifecycle: the
    # signatory's duties (registered ... monitoring, lapsed, suspended, withdrawn) and its Charter
    # Mark (none, under assessment, held, renewal due, renewing, suspended, expired, revoked).
    status: Mapped[str] = mapped_column(String(30), default=REGISTERED, server_default=REGISTERED)
    mark_status: Mapped[str] = mapped_column(String(30), default=NO_MARK, server_default=NO_MARK)
    status_before_suspension: Mapped[str | None] = mapped_column(String(30))
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="signings", lazy="raise")
    charter: Mapped[Charter] = relationship(lazy="raise")
    scheme: Mapped[Scheme] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Signing {self.organisation_id} of charter {self.charter_id}>"

    @property
    def stage(self) -> str:
        """Where it is now, for people (workflows.states.stage)."""
        from workflows.states import stage

        return stage(self.status, self.mark_status)

    @property
    def route_label(self) -> str | None:
        return ROUTES.get(self.route) if self.route else None


class OfSigning:
    """A row about one signing: its action plans, returns, applications, Marks, annual
    confirmations and audits belong to an organisation's commitment to one charter, under that
    charter's scheme. They keep ``organisation_id`` too: most pages and reviews find them by
    organisation, and an organisation's history across charters stays one query."""

    signing_id: Mapped[int] = mapped_column(ForeignKey("signings.id"), index=True)


# The charter an organisation's lifecycle, scheme and register entry mean at this moment: the
# charter a page acts in (charter.organisation.acting_charter sets it from the address; staff
# pages from the charter they act in), or the charter a scheduled review is running for. Unset,
# an organisation's signing is the first it made. A context variable rather than Flask's ``g``:
# the reviews and commands run without a request, and models stay free of Flask.
acting_charter: ContextVar[int | None] = ContextVar("acting_charter", default=None)


@contextmanager
def acting_in(charter_id: int | None) -> Iterator[None]:
    """Everything inside means the organisations' signings of charter ``charter_id``."""
    token = acting_charter.set(charter_id)
    try:
        yield
    finally:
        acting_charter.reset(token)


def acting_signing(organisation: Organisation) -> Signing | None:
    """The organisation's signing of the acting charter (None if it has not signed it), or,
    with none acting, the first it made (None for one registered with no charter)."""
    rows = signings_held(organisation)
    charter_id = acting_charter.get()
    if charter_id is None:
        return rows[0] if rows else None
    return next((signing for signing in rows if signing.charter_id == charter_id), None)


def signings_held(organisation: Organisation) -> list[Signing]:
    """The organisation's signings, read once (one query, or none when they were loaded with
    it) and kept on the organisation for the rest of its session."""
    if "signings" not in inspect(organisation).dict:
        session = object_session(organisation)
        if organisation.id is None or session is None:
            return []
        rows = list(
            session.scalars(
                select(Signing)
                .where(Signing.organisation_id == organisation.id)
                .order_by(Signing.id)
            )
        )
        set_committed_value(organisation, "signings", rows)
    return organisation.signings


def keep_signings(organisation: Organisation, rows: list[Signing]) -> None:
    """All of the organisation's signings (in id order), read with it by the caller: kept as
    ``signings_held`` keeps them, so nothing reads them again this session."""
    set_committed_value(organisation, "signings", rows)
