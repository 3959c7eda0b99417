"""Alembic migrations of the store: env.py and versions/ (one file per schema revision)."""
