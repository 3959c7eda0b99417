"""Defect 3: ids that are paths. Hostile ids are refused at import, and nothing the service writes ever lands
outside the workspace (the whole tree is compared before and after)."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.schema import Plan
from forecast.targets.plans import PlanFileError, load_plan

runner = CliRunner()
HOSTILE = [
    "../../x/evil",
    "/tmp/evil",
    "sub/dir",
    "..",
    ".hidden",
    "a\\b",
    "a b",
    "a\nb",
    "x" * 65,
    "",
    "a\x00b",
    "-rf",
    "C:\\evil",
]
INDICATORS = "indicators:\n  - {id: 'p:rate', unit: '%', direction: higher, lower: 0, upper: 100}\n"
OBS = "series_id,ds,y\n" + "".join(f"p:rate,{2010 + i},{80 + i * 0.7 + (i % 3) * 0.2:.1f}\n" for i in range(12))


def tree(root) -> dict[str, int]:
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = os.lstat(path).st_size if name in files else -1
    return out


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_ids_are_refused(tmp_path, bad):
    from forecast.schema import check_id
    from forecast.workspace import inside

    with pytest.raises(ValueError):
        check_id(bad)
    if "/" in bad or "\\" in bad or bad in ("", "..", ".hidden") or not bad.isprintable():
        with pytest.raises(ValueError):  # the last check, where a file name is built
            inside(tmp_path, bad)


@pytest.mark.parametrize(
    "good", ["plan-a", "x:pass_rate", "t001.地区生产总值.2025", "20261201T205010-abc123", "a" * 64]
)
def test_the_ids_the_service_uses_follow_the_pattern(good):
    from forecast.schema import ID_PATTERN, check_id

    assert check_id(good) == good
    assert ID_PATTERN


@pytest.mark.parametrize(
    "field, value",
    [("id", "../../x/evil"), ("id", "/abs/evil"), ("id", "sub/dir"), ("target", "../t1"), ("series", "../s")],
)
def test_plan_files_with_hostile_ids_are_refused_at_import(tmp_path, field, value):
    plan_id = value if field == "id" else "ok"
    target_id = value if field == "target" else "t1"
    series = value if field == "series" else "p:rate"
    path = tmp_path / "plan.yaml"
    path.write_text(
        f"id: '{plan_id}'\ntargets:\n  - {{id: '{target_id}', comparator: '>=', value: 90, year: 2030, "
        f"series_id: '{series}'}}\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanFileError, match="not a valid id"):
        load_plan(path)
    with pytest.raises(ValueError):
        Plan.model_validate(
            {"id": plan_id, "targets": [{"id": target_id, "comparator": ">=", "value": 1, "series_id": series}]}
        )


def test_no_file_is_written_outside_the_workspace(tmp_path, monkeypatch):
    """Import hostile indicators, plans and ids through the CLI, run a good plan, ask for a hostile history:
    every write lands in the workspace, and the rest of the tree (and the working folder) is unchanged."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    ws = tmp_path / "ws"
    (tmp_path / "ind.yaml").write_text(INDICATORS, encoding="utf-8")
    (tmp_path / "bad-ind.yaml").write_text("indicators:\n  - {id: '../../evil', direction: higher}\n", encoding="utf-8")
    (tmp_path / "obs.csv").write_text(OBS, encoding="utf-8")
    (tmp_path / "good.yaml").write_text(
        "id: good\ntargets:\n  - {id: t1, comparator: '>=', value: 90, unit: '%', year: 2028, series_id: 'p:rate'}\n",
        encoding="utf-8",
    )
    for i, bad in enumerate(["../../x/evil", str(tmp_path / "abs-evil"), "sub/dir"]):
        (tmp_path / f"bad{i}.yaml").write_text(
            f"id: '{bad}'\ntargets:\n  - {{id: t1, comparator: '>=', value: 90, year: 2028, series_id: 'p:rate'}}\n",
            encoding="utf-8",
        )
    (tmp_path / "badt.yaml").write_text(
        "id: badt\ntargets:\n  - {id: '../../../evil', comparator: '>=', value: 90, year: 2028, series_id: 'p:rate'}\n",
        encoding="utf-8",
    )
    cli = ["--workspace", str(ws)]
    assert (
        runner.invoke(
            app, cli + ["data", "import", str(tmp_path / "obs.csv"), "-i", str(tmp_path / "ind.yaml")]
        ).exit_code
        == 0
    )
    before = {k: v for k, v in tree(tmp_path).items() if not k.startswith("ws")}

    refused = runner.invoke(
        app, cli + ["data", "import", str(tmp_path / "obs.csv"), "-i", str(tmp_path / "bad-ind.yaml")]
    )
    assert refused.exit_code == 1 and "not a valid id" in refused.output
    for name in ("bad0", "bad1", "bad2", "badt"):
        result = runner.invoke(app, cli + ["plan", "import", str(tmp_path / f"{name}.yaml")])
        assert result.exit_code == 1 and "not a valid id" in result.output, result.output
    for name in ("../../x/evil", str(tmp_path / "abs-evil")):
        result = runner.invoke(app, cli + ["plan", "import", str(tmp_path / "good.yaml"), "--id", name])
        assert result.exit_code == 1 and "not a valid id" in result.output
    assert runner.invoke(app, cli + ["plan", "import", str(tmp_path / "good.yaml")]).exit_code == 0
    run = runner.invoke(
        app, cli + ["run", "good", "--models", "rw_drift", "--paths", "200", "--no-track", "--lang", "en"]
    )
    assert run.exit_code == 0, run.output
    assert runner.invoke(app, cli + ["history", "t1"]).exit_code == 0
    for bad in ("../../../x/evil", "../t1", "/tmp/evil-history"):
        result = runner.invoke(app, cli + ["history", bad])
        assert result.exit_code == 1 and "not a valid id" in result.output

    after = {k: v for k, v in tree(tmp_path).items() if not k.startswith("ws")}
    assert after == before
    assert not list(work.iterdir())
    written = tree(ws)
    assert any(k.startswith("reports/good-") for k in written) and "reports/history-good-t1.png" in written
