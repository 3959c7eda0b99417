"""The one atomic writer: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import pytest

from forecast.io import atomic_path, write_atomic


def test_write_atomic_writes_text_and_bytes(tmp_path):
    assert write_atomic(tmp_path / "a" / "x.txt", "合格率 95%").read_text(encoding="utf-8") == "合格率 95%"
    assert write_atomic(tmp_path / "y.png", b"\x89PNG").read_bytes() == b"\x89PNG"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = write_atomic(tmp_path / "report.csv", "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
