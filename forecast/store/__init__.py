"""The store: the only code that reads and writes the database (observations with their vintages,
plans, runs, the refresh ledger). SQLite by default, PostgreSQL by URL; schema changes ship as
migrations (`migrations/`)."""

from forecast.store.database import Store

__all__ = ["Store"]
