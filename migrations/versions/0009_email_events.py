"""email events: relay passwords of sender profiles encrypted at rest

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 05:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from config.settings import get_settings
from engine.credentials import seal, unseal

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

senders = sa.table(
    "sender_profiles", sa.column("id", sa.Integer), sa.column("smtp_password", sa.String)
)


def _is_sealed(secret_key: str, value: str) -> bool:
    try:
        unseal(secret_key, value)
    except ValueError:
        return False
    return True


def upgrade() -> None:
    with op.batch_alter_table("sender_profiles", schema=None) as batch_op:
        batch_op.alter_column(
            "smtp_password",
            existing_type=sa.String(length=500),
            type_=sa.String(length=1000),
            existing_nullable=True,
        )
    # Passwords stored before this revision were plaintext: seal them under today's key.
    secret_key = get_settings().secret_key
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(senders.c.id, senders.c.smtp_password).where(
            senders.c.smtp_password.is_not(None)
        )
    ).all()
    for row_id, password in rows:
        if password and not _is_sealed(secret_key, password):
            connection.execute(
                senders.update()
                .where(senders.c.id == row_id)
                .values(smtp_password=seal(secret_key, password))
            )


def downgrade() -> None:
    secret_key = get_settings().secret_key
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(senders.c.id, senders.c.smtp_password).where(
            senders.c.smtp_password.is_not(None)
        )
    ).all()
    for row_id, password in rows:
        if password and _is_sealed(secret_key, password):
            connection.execute(
                senders.update()
                .where(senders.c.id == row_id)
                .values(smtp_password=unseal(secret_key, password))
            )
    with op.batch_alter_table("sender_profiles", schema=None) as batch_op:
        batch_op.alter_column(
            "smtp_password",
            existing_type=sa.String(length=1000),
            type_=sa.String(length=500),
            existing_nullable=True,
        )
