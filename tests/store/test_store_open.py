"""Opening a store upgrades an old schema once; a current one is opened as it is."""

from __future__ import annotations

import sqlalchemy as sa

from forecast.store import Store
from forecast.store.database import is_current, migrate


def test_a_new_store_is_created_at_the_latest_revision(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    assert is_current(store.engine)


def test_an_old_store_is_upgraded_on_open_and_a_current_one_is_left_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'f.db'}"
    engine = sa.create_engine(url)
    migrate(engine, "0001")
    assert not is_current(engine)
    Store(url)
    assert is_current(engine)
    path = tmp_path / "f.db"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    Store(url).indicators()  # a read-only command: nothing written
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
