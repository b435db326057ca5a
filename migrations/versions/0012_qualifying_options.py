"""qualification questions: which answers qualify a lead (`qualifying_options`, and
`qualifying_min` for number questions)

The rule-based scorer gives a question with a qualifying rule its points only for a
qualifying answer (engine/analysis.py); existing questions get neither and keep being
judged on completeness.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 12:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("qualification_questions", "order_qualifications")


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("qualifying_options", json, nullable=False, server_default="[]")
            )
            batch_op.add_column(sa.Column("qualifying_min", sa.Float(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("qualifying_min")
            batch_op.drop_column("qualifying_options")
