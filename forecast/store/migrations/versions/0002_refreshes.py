"""Refreshes: one row per `forecast refresh`, the batches of its vintage and the runs it published.

New tables only, so the revision stays independent of other schema work.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refreshes",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("input_key", sa.String(64), nullable=True),
        sa.Column("summary", sa.JSON, nullable=True),
    )
    op.create_table(
        "refresh_batches",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("refresh_id", sa.String, sa.ForeignKey("refreshes.id"), nullable=False),
    )
    op.create_table(
        "refresh_runs",
        sa.Column("run_id", sa.String, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("refresh_id", sa.String, sa.ForeignKey("refreshes.id"), nullable=False),
    )


def downgrade() -> None:
    for table in ("refresh_runs", "refresh_batches", "refreshes"):
        op.drop_table(table)
