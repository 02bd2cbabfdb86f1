"""signings: two lifecycles, the signatory's duties and its Charter Mark

A signing's ``status`` held one lifecycle for two things: its duties as a signatory and the
state of its Mark (so a holder whose renewal was under assessment read "under assessment").
Each now has its column (issue 20): ``status`` keeps the duties (registered, signatory, plan
submitted, monitoring, lapsed, suspended, withdrawn) and ``mark_status`` gains the Mark (no
Mark, under assessment, information requested, accredited, renewal due, renewal under
assessment, renewal information requested, Mark suspended, expired, revoked).

Data: a state of the Mark moves to ``mark_status`` and leaves the signing "monitoring" (only a
monitored signatory could apply or hold a Mark); an application under assessment while the
signing's Mark is in force is a renewal's; any other signing's Mark state is read from its
current Mark row (in force: accredited, the reviews open its renewal window; expired; revoked;
none). A suspended signing remembers the duties it returns to, and its Mark the same way.
Down again, the two are folded back into one.

Revision ID: e7b3c1f5a2d8
Revises: c3a8e1f5d726
Create Date: 2026-12-07 01:30:00

"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "e7b3c1f5a2d8"
down_revision = "c3a8e1f5d726"
branch_labels = None
depends_on = None

OLD_MARK_STATES = (
    "under_assessment",
    "information_requested",
    "accredited",
    "renewal_due",
    "mark_suspended",
)
NOT_HELD = ("no_mark", "mark_expired", "mark_revoked")
RENEWAL = {
    "under_assessment": "renewal_under_assessment",
    "information_requested": "renewal_information_requested",
}

_CURRENT_MARK = """
    SELECT m.status, m.expires_on FROM charter_marks m
    WHERE m.signing_id = s.id AND m.status != 'superseded'
    ORDER BY m.awarded_on DESC, m.id DESC LIMIT 1
"""


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def split(status, before, mark_row, expires_on, today):
    """(duties, duties before suspension, Mark) for an old single state."""
    expires_on = _as_date(expires_on)

    def from_rows():
        if mark_row is None:
            return "no_mark"
        if mark_row == "revoked":
            return "mark_revoked"
        if mark_row not in ("valid", "suspended") or expires_on < today:
            return "mark_expired"
        return "accredited"

    def mark_of(old):
        if old in RENEWAL:
            return RENEWAL[old] if from_rows() == "accredited" else old
        return old

    if status == "suspended":
        if before in OLD_MARK_STATES:
            return "suspended", "monitoring", mark_of(before)
        return "suspended", before, from_rows()
    if status in OLD_MARK_STATES:
        return "monitoring", before, mark_of(status)
    return status, before, from_rows()


def fold(duties, before, mark):
    """The old single state (and state before suspension) for a pair."""
    old_mark = {v: k for k, v in RENEWAL.items()}.get(mark, mark)
    if old_mark in NOT_HELD:
        old_mark = None
    if duties == "monitoring" and old_mark:
        return old_mark, before
    if duties == "suspended" and before == "monitoring" and old_mark:
        return "suspended", old_mark
    return duties, before


def upgrade():
    with op.batch_alter_table("signings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mark_status", sa.String(length=30), server_default="no_mark", nullable=False)
        )
        batch_op.drop_index("ix_signings_register_entry")
        batch_op.create_index(
            "ix_signings_register_entry",
            ["organisation_id", "charter_id", "register_entry", "status", "mark_status"],
            unique=False,
        )
        batch_op.create_index(
            "ix_signings_charter_mark_status", ["charter_id", "mark_status"], unique=False
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT s.id, s.status, s.status_before_suspension, "
            f"({_CURRENT_MARK.replace('m.status, m.expires_on', 'm.status')}) AS mark_row, "
            f"({_CURRENT_MARK.replace('m.status, m.expires_on', 'm.expires_on')}) AS expires_on "
            "FROM signings s"
        )
    ).all()
    today = date.today()
    changes = []
    for signing_id, status, before, mark_row, expires_on in rows:
        duties, duties_before, mark = split(status, before, mark_row, expires_on, today)
        if (duties, duties_before, mark) != (status, before, "no_mark"):
            changes.append(
                {"id": signing_id, "duties": duties, "before": duties_before, "mark": mark}
            )
    if changes:
        connection.execute(
            sa.text(
                "UPDATE signings SET status = :duties, status_before_suspension = :before, "
                "mark_status = :mark WHERE id = :id"
            ),
            changes,
        )


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, status, status_before_suspension, mark_status FROM signings "
            "WHERE mark_status != 'no_mark'"
        )
    ).all()
    changes = []
    for signing_id, duties, before, mark in rows:
        status, old_before = fold(duties, before, mark)
        changes.append({"id": signing_id, "status": status, "before": old_before})
    if changes:
        connection.execute(
            sa.text(
                "UPDATE signings SET status = :status, status_before_suspension = :before "
                "WHERE id = :id"
            ),
            changes,
        )
    with op.batch_alter_table("signings", schema=None) as batch_op:
        batch_op.drop_index("ix_signings_charter_mark_status")
        batch_op.drop_index("ix_signings_register_entry")
        batch_op.create_index(
            "ix_signings_register_entry",
            ["organisation_id", "charter_id", "register_entry", "status"],
            unique=False,
        )
        batch_op.drop_column("mark_status")
