"""The database tables, as of the latest schema revision (every change ships as a migration)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("spec", sa.JSON, nullable=False),
)
batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_file", sa.String, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("n_rows", sa.Integer, nullable=False),
)
observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("series_id", sa.String, sa.ForeignKey("indicators.id"), nullable=False),
    sa.Column("period", sa.String, nullable=False),  # pandas Period text: 2015, 2015-03, 2015Q1
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("known_at", sa.Date, nullable=True),  # vintage; None when the source does not say
    sa.Column("source", sa.String, nullable=True),
    sa.UniqueConstraint("series_id", "period", "batch_id"),
)
plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("spec", sa.JSON, nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
)
runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("plan_id", sa.String, sa.ForeignKey("plans.id"), nullable=False),
    sa.Column("as_of", sa.Date, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("data_hash", sa.String(64), nullable=False),
    sa.Column("mlflow_run_id", sa.String, nullable=True),
)
assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("run_id", sa.String, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("target_id", sa.String, primary_key=True),
    sa.Column("result", sa.JSON, nullable=False),
)
forecasts = sa.Table(
    "forecasts",
    metadata,
    sa.Column("run_id", sa.String, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("series_id", sa.String, primary_key=True),
    sa.Column("period", sa.String, primary_key=True),
    sa.Column("quantiles", sa.JSON, nullable=False),  # {"0.025": v, "0.1": v, ...}
)
# Refreshes (revision 0002): one row per `forecast refresh`; its vintage (batches) and its runs.
# A refresh is `running` while it ingests and runs, `published` once its runs are stored (one
# transaction), `complete` once reports and summary are written; a refresh killed before publishing
# is marked `abandoned` by the next one, which adopts its (committed, valid) batches.
refreshes = sa.Table(
    "refreshes",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("input_key", sa.String(64), nullable=True),  # hash of data state, plans and settings
    sa.Column("summary", sa.JSON, nullable=True),
)
refresh_batches = sa.Table(
    "refresh_batches",
    metadata,
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
    sa.Column("refresh_id", sa.String, sa.ForeignKey("refreshes.id"), nullable=False),
)
refresh_runs = sa.Table(
    "refresh_runs",
    metadata,
    sa.Column("run_id", sa.String, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("refresh_id", sa.String, sa.ForeignKey("refreshes.id"), nullable=False),
)
