"""names and titles cleaned: NFC, no invisible characters, at least two letters or digits

A data migration (issue 18). Names and titles typed before the check could be zero-width spaces,
carry bidirectional overrides, or differ from another only by invisible characters. Each stored
name and title is cleaned as the forms now clean them. One left with fewer than two letters or
digits becomes a visible placeholder ("Unnamed organisation 12"), not a blank and not a deleted
row: rows carry history (signatures, contracts, audit trails), and a placeholder with the id
shows administrators what to fix. A commissioner name that would clash with another (the names
are unique, compared case-insensitively) gets its id added. Not reversible: the invisible
characters are gone, which is the point.

The cleaning rules are a frozen copy of charter.services.domain.text.clean_text as it was when
this migration was written, so that later changes to the app cannot change what this did.

Revision ID: f27cd3836fe7
Revises: 73c8e9bcf287
Create Date: 2026-12-06 05:40:00

"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "f27cd3836fe7"
down_revision = "73c8e9bcf287"
branch_labels = None
depends_on = None

_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")

# table, column, what a placeholder calls the row (None: an empty text is left to the column)
COLUMNS = (
    ("organisations", "name", "organisation"),
    ("users", "full_name", "person"),
    ("commissioners", "name", "commissioner"),
    ("contracts", "title", "contract"),
    ("plan_milestones", "title", "milestone"),
    ("signatures", "signatory_name", "signatory"),
    ("signatures", "signatory_role", "role"),
)


def _clean(value):
    kept = []
    for char in unicodedata.normalize("NFC", value):
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs") or char in _INVISIBLE_LETTERS:
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def _visible(value) -> bool:
    letters = (c for c in value if unicodedata.category(c)[0] in "LN")
    return sum(1 for c in letters if c not in _INVISIBLE_LETTERS) >= 2


def cleaned(value, kind, row_id):
    value = _clean(value or "")
    return value if _visible(value) else f"Unnamed {kind} {row_id}"


def upgrade():
    connection = op.get_bind()
    for table, column, kind in COLUMNS:
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} ORDER BY id")).all()
        taken = {(value or "").lower() for _id, value in rows} if table == "commissioners" else None
        for row_id, value in rows:
            new = cleaned(value, kind, row_id)
            if new == value:
                continue
            if taken is not None:
                if new.lower() in taken:
                    new = f"{new} ({row_id})"
                taken.add(new.lower())
            connection.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                {"value": new, "id": row_id},
            )


def downgrade():
    pass  # the invisible characters are not kept anywhere to put back
