"""The append-only records of what was done: AuditEvent is the organisation's lifecycle history
(every transition, who fired it and why; not to be confused with the random audits of holders
in duties.py), ContractMonitoringEvent the history of a contract's confirmation and figures.
Neither is ever updated or deleted by the service (AppendOnlyError)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.user import User


class AuditEvent(db.Model):
    """One row per lifecycle transition. Append-only: the ORM refuses updates and deletes."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The signing whose lifecycle moved (an organisation may sign several charters); NULL for an
    # event about the organisation as a whole.
    signing_id: Mapped[int | None] = mapped_column(ForeignKey("signings.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Shown when there is no user: "scheduled review", "demo data".
    actor_label: Mapped[str] = mapped_column(String(200))
    trigger: Mapped[str] = mapped_column(String(50))
    from_state: Mapped[str] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(lazy="raise")


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):  # noqa: ARG001
    raise AppendOnlyError("Audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):  # noqa: ARG001
    raise AppendOnlyError("Audit events are append-only")


# What a commissioner's contract manager did, and what a supplier did in answer. Not lifecycle
# transitions (the organisation's state does not change), so not AuditEvent rows, whose
# from/to states and trigger names the register feed and the Charter Mark history read.
MONITORING_ACTIONS = {
    "contract_confirmed": "Contract confirmed by the commissioner",
    "contract_disputed": "Contract disputed by the commissioner",
    "contract_corrected": "Disputed contract corrected and sent back for confirmation",
    "contract_changed": "Confirmed contract changed, so sent back for confirmation",
    "figures_endorsed": "Figures endorsed by the commissioner",
    "figure_queried": "Figure queried by the commissioner",
    "figure_query_answered": "Commissioner's query answered",
}


class ContractMonitoringEvent(db.Model):
    """One row per contract-monitoring action on an organisation's records. Append-only."""

    __tablename__ = "contract_monitoring_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("commissioners.id"), index=True)
    # SET NULL: a supplier may still remove a contract or a figure; ``subject`` keeps its name.
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contracts.id", ondelete="SET NULL"), index=True
    )
    # The figure queried or answered; a period's endorsement names the return instead.
    contract_figure_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract_figures.id", ondelete="SET NULL")
    )
    return_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitoring_returns.id", ondelete="SET NULL")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    # What it was about ("Meals for schools (SC-2025-014)") and any reason or comment.
    subject: Mapped[str] = mapped_column(String(400))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(lazy="raise")

    @property
    def action_label(self) -> str:
        return MONITORING_ACTIONS.get(self.action, self.action)


@event.listens_for(ContractMonitoringEvent, "before_update")
def _refuse_monitoring_update(mapper, connection, target):  # noqa: ARG001
    raise AppendOnlyError("Contract monitoring events are append-only")


@event.listens_for(ContractMonitoringEvent, "before_delete")
def _refuse_monitoring_delete(mapper, connection, target):  # noqa: ARG001
    raise AppendOnlyError("Contract monitoring events are append-only")
