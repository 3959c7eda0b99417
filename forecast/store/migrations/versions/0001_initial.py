"""Initial schema: indicators, import batches, observations with vintages, plans, runs, assessments,
forecast fans.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicators", sa.Column("id", sa.String, primary_key=True), sa.Column("spec", sa.JSON, nullable=False)
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_file", sa.String, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("n_rows", sa.Integer, nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("series_id", sa.String, sa.ForeignKey("indicators.id"), nullable=False),
        sa.Column("period", sa.String, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("known_at", sa.Date, nullable=True),
        sa.Column("source", sa.String, nullable=True),
        sa.UniqueConstraint("series_id", "period", "batch_id"),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("plan_id", sa.String, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("as_of", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("data_hash", sa.String(64), nullable=False),
        sa.Column("mlflow_run_id", sa.String, nullable=True),
    )
    op.create_table(
        "assessments",
        sa.Column("run_id", sa.String, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("target_id", sa.String, primary_key=True),
        sa.Column("result", sa.JSON, nullable=False),
    )
    op.create_table(
        "forecasts",
        sa.Column("run_id", sa.String, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("series_id", sa.String, primary_key=True),
        sa.Column("period", sa.String, primary_key=True),
        sa.Column("quantiles", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("forecasts", "assessments", "runs", "plans", "observations", "batches", "indicators"):
        op.drop_table(table)
