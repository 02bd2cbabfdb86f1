"""charters: a charter is data; every scheme version belongs to one

The service hosts several charters side by side (issue 20, docs/charters.md). ``charters`` holds
each one's words (slug, name, header service name, running body and its members, area,
description, contact email, website); ``schemes.charter_id`` says whose scheme a version is.

Data migration: the scheme versions that exist were all the one charter the service hosted,
Shropshire's. When there are any, that charter is created with the words the scheme file
(schemes/supporting-the-local-economy.toml, [charter]) gives it, quoted from the Shropshire
proposal, and every scheme version points at it. Its running body is what the current scheme
version records as the issuer of its Marks (what certificates print), so a service that named
another issuer keeps it. No contact email: the proposal gives none, and the service's
SERVICE_CONTACT_EMAIL stands in until the running body sets one. Then the column becomes NOT NULL.

Downgrade drops the column and the table: the charter's words live on in the scheme file.

Revision ID: 4038404a58b1
Revises: b3f1c9e2d417
Create Date: 2026-12-06 09:00:00
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = "4038404a58b1"
down_revision = "b3f1c9e2d417"
branch_labels = None
depends_on = None

# The [charter] table of schemes/supporting-the-local-economy.toml when charters became data.
SHROPSHIRE = {
    "slug": "shropshire",
    "name": "Social Value Charter for Shropshire",
    "service_name": "Social Value Charter Mark",
    "running_body": "Social Value Group",
    "running_body_members": (
        "representatives from the Local Authority, Health, Police & Crime Commissioner's "
        "Office, Housing and the Voluntary & Community Sector"
    ),
    "area": "Shropshire",
    "description": (
        "A set of guiding principles and simple commitments that organisations operating in "
        "Shropshire are invited to adopt, whether they are public sector commissioners, service "
        "providers, voluntary, community & social enterprise organisations or businesses."
    ),
}

charters = sa.table(
    "charters",
    sa.column("id", sa.Integer),
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("service_name", sa.String),
    sa.column("running_body", sa.String),
    sa.column("running_body_members", sa.Text),
    sa.column("area", sa.String),
    sa.column("description", sa.Text),
    sa.column("created_at", sa.DateTime),
)
schemes = sa.table(
    "schemes",
    sa.column("id", sa.Integer),
    sa.column("charter_id", sa.Integer),
    sa.column("is_current", sa.Boolean),
    sa.column("loaded_at", sa.DateTime),
    sa.column("issuer_name", sa.String),
    sa.column("issuer_members", sa.Text),
)


def _shropshire(connection) -> dict | None:
    """Shropshire's charter as the current scheme version knows it; None without schemes."""
    current = connection.execute(
        sa.select(schemes.c.issuer_name, schemes.c.issuer_members)
        .order_by(schemes.c.is_current.desc(), schemes.c.loaded_at.desc(), schemes.c.id.desc())
        .limit(1)
    ).first()
    if current is None:
        return None
    row = dict(SHROPSHIRE, created_at=datetime.now(UTC).replace(tzinfo=None))
    if current.issuer_name:
        row["running_body"] = current.issuer_name
        row["running_body_members"] = current.issuer_members
    return row


def upgrade():
    op.create_table(
        "charters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("service_name", sa.String(length=100), nullable=False),
        sa.Column("running_body", sa.String(length=200), nullable=False),
        sa.Column("running_body_members", sa.Text(), nullable=True),
        sa.Column("area", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charters")),
        sa.UniqueConstraint("slug", name=op.f("uq_charters_slug")),
    )
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("charter_id", sa.Integer(), nullable=True))

    connection = op.get_bind()
    shropshire = _shropshire(connection)
    if shropshire is not None:
        connection.execute(charters.insert(), [shropshire])
        charter_id = connection.execute(
            sa.select(charters.c.id).where(charters.c.slug == shropshire["slug"])
        ).scalar_one()
        connection.execute(schemes.update().values(charter_id=charter_id))

    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.alter_column("charter_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_schemes_charter_id"), ["charter_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_schemes_charter_id_charters"), "charters", ["charter_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("schemes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_schemes_charter_id_charters"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_schemes_charter_id"))
        batch_op.drop_column("charter_id")
    op.drop_table("charters")
