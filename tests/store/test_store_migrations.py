"""The migrations build exactly the schema the code describes, and re-running them changes nothing."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from forecast.store import Store
from forecast.store.tables import metadata


def test_migrated_database_matches_the_metadata(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar_one()
    assert diff == []
    assert version == "0002"


def test_opening_again_keeps_the_data(tmp_path, indicators_yaml):
    url = f"sqlite:///{tmp_path / 'f.db'}"
    from forecast.ingest.importer import import_file

    path = tmp_path / "obs.csv"
    path.write_text("series_id,ds,y\nx:pass_rate,2015,96.8\n", encoding="utf-8")
    import_file(Store(url), path, indicators_yaml)
    assert Store(url).observations("x:pass_rate") == [("2015", 96.8)]


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def test_refresh_tables_from_empty_and_from_revision_0001(store_url, indicators_yaml, tmp_path):
    """Revision 0002 (refreshes) upgrades a 0001 database with data in it, on SQLite and PostgreSQL."""
    from forecast.ingest.importer import import_file
    from forecast.store.database import migrate

    engine = sa.create_engine(store_url)
    migrate(engine, "0001")
    tables = set(sa.inspect(engine).get_table_names())
    assert "observations" in tables and "refreshes" not in tables
    path = tmp_path / "obs.csv"
    path.write_text("series_id,ds,y\nx:pass_rate,2015,96.8\n", encoding="utf-8")
    old = Store.__new__(Store)  # a 0001-era store: same tables for the import
    old.engine = engine
    import_file(old, path, indicators_yaml)
    engine.dispose()

    store = Store(store_url)  # opening upgrades to head
    assert _schema_diff(store.engine) == []
    assert store.observations("x:pass_rate") == [("2015", 96.8)]
    assert {"refreshes", "refresh_batches", "refresh_runs"} <= set(sa.inspect(store.engine).get_table_names())
    store.engine.dispose()


def test_empty_database_migrates_to_head(store_url):
    store = Store(store_url)
    assert _schema_diff(store.engine) == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar_one() == "0002"
    store.engine.dispose()
