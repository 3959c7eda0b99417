"""The migrations build exactly the schema the code describes, and re-running them changes nothing."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from forecast.store import Store, metadata


def test_migrated_database_matches_the_metadata(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar_one()
    assert diff == []
    assert version == "0001"


def test_opening_again_keeps_the_data(tmp_path, indicators_yaml):
    url = f"sqlite:///{tmp_path / 'f.db'}"
    from forecast.importer import import_file

    path = tmp_path / "obs.csv"
    path.write_text("series_id,ds,y\nx:pass_rate,2015,96.8\n", encoding="utf-8")
    import_file(Store(url), path, indicators_yaml)
    assert Store(url).observations("x:pass_rate") == [("2015", 96.8)]
