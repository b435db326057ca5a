"""client organisations: `is_active` (deactivation) and `contact_email`, and names unique
whatever their case

Existing clients stay active. Two existing names equal but for case would make the unique
index fail; the demo data and every deployment so far have none.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("contact_email", sa.String(length=320), nullable=True))
    op.create_index(
        "uq_clients_name_lower", "clients", [sa.text("lower(name)")], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_clients_name_lower", table_name="clients")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("contact_email")
        batch_op.drop_column("is_active")
