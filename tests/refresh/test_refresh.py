"""`forecast refresh`: idempotent, locked, safe when killed, partial failures reported; SQLite and PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
import sqlalchemy as sa

from forecast.refresh.job import EXIT_BUSY, EXIT_OK, EXIT_PARTIAL, run_refresh
from forecast.refresh.lock import RefreshBusy, refresh_lock
from forecast.store import refreshes as ledger
from forecast.store.tables import plans
from tests.refresh.workspace import (
    base_rows,
    child_env,
    config_of,
    latest_summary,
    make_workspace,
    observations_csv,
    refresh_command,
    start_held,
)


def _complete(store) -> list[dict]:
    return [r for r in ledger.refreshes_list(store) if r["status"] == "complete"]


def test_refresh_runs_every_plan_then_the_same_inputs_change_nothing(store_url, tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    first = run_refresh(ws, store, config_of(config))
    assert first.status == "complete" and first.exit_code == EXIT_OK
    assert [p["plan"] for p in first.summary["plans"]] == ["plan-a", "plan-b"]
    assert all(p["previous_run_id"] is None for p in first.summary["plans"])
    for rel in first.summary["reports"]:
        assert (ws.root / rel).is_file()
    assert latest_summary(ws)["refresh_id"] == first.refresh_id
    assert (ws.root / "refresh" / first.refresh_id / "summary.md").read_text(encoding="utf-8").startswith("# Refresh")
    counts = store.counts()

    again = run_refresh(ws, store, config_of(config))  # nothing new: no vintage, no run
    assert again.status == "up_to_date" and again.exit_code == EXIT_OK
    assert store.counts() == counts

    (inbox / "base-again.csv").write_bytes((tmp_path / "base.csv").read_bytes())  # bytes imported before
    third = run_refresh(ws, store, config_of(config))
    assert third.status == "up_to_date" and store.counts() == counts
    moved = list((inbox / "processed").rglob("base-again.csv"))
    assert len(moved) == 1 and "already imported" in moved[0].with_name("base-again.csv.reason.txt").read_text()
    store.engine.dispose()


def test_new_data_is_a_vintage_and_the_summary_tells_what_changed(store_url, tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    first = run_refresh(ws, store, config_of(config))
    before = {t["target_id"]: t for t in first.summary["plans"][0]["targets"]}
    assert before["pass_2030"]["band"] in ("very_unlikely", "unlikely")  # 85.5 in 2020, +0.5 a year; 95 needed

    # A revision of 2020 and four new years far above the trend.
    (inbox / "2025.csv").write_text(
        observations_csv(
            [
                ("t:pass", 2020, 86.0),
                ("t:pass", 2021, 93.0),
                ("t:pass", 2022, 95.5),
                ("t:pass", 2023, 97.0),
                ("t:pass", 2024, 98.0),
            ]
        ),
        encoding="utf-8",
    )
    second = run_refresh(ws, store, config_of(config))
    assert second.exit_code == EXIT_OK
    assert second.summary["new_data"]["series"] == {"t:pass": {"new": 4, "revised": 1}}
    plan_a = second.summary["plans"][0]
    assert plan_a["previous_run_id"] == first.summary["plans"][0]["run_id"]
    now = {t["target_id"]: t for t in plan_a["targets"]}
    assert now["pass_2030"]["delta"] == pytest.approx(
        now["pass_2030"]["probability"] - before["pass_2030"]["probability"]
    )
    assert now["pass_2030"]["delta"] > 0.3 and now["pass_2030"]["band_changed"]
    assert (
        "pass_2030"
        in (ws.root / "refresh" / "latest.md").read_text(encoding="utf-8").split("## Likelihood band changes")[1]
    )
    # In the planners' words, never the internal codes; the binding target leaves the early-warning (预警) list.
    md = (ws.root / "refresh" / "latest.md").read_text(encoding="utf-8")
    for code in ("very_unlikely", "about_even", "very_likely", "already_met"):
        assert code not in md
    assert before["pass_2030"]["warned"] and not now["pass_2030"]["warned"] and now["pass_2030"]["warning_changed"]
    moved = md.split("## Early warning (预警) changes")[1].split("##")[0]
    assert "| plan-a | pass_2030 | left 预警 |" in moved
    assert store.observations("t:pass")[-1] == ("2024", 98.0)
    with store.engine.connect() as conn:  # values without a stated vintage are stamped with the refresh date
        known = conn.execute(sa.text("select known_at from observations where period = '2024'")).scalar_one()
    assert known is not None
    store.engine.dispose()


def test_rejected_files_are_moved_with_their_reasons_and_the_rest_is_imported(store_url, tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    (inbox / "good.csv").write_text(observations_csv([("t:pm25", 2021, 51.0)]), encoding="utf-8")
    (inbox / "bad.csv").write_text("series_id,ds,y\nt:pass,2021,105\nt:nope,2021,3\nt:pm25,2021x,4\n", encoding="utf-8")
    (inbox / "notes.json").write_text("{}", encoding="utf-8")
    counts = store.counts()

    dry = run_refresh(ws, store, config_of(config), dry_run=True)  # says, writes and moves nothing
    assert dry.exit_code == EXIT_PARTIAL and store.counts() == counts
    assert sorted(p.name for p in inbox.iterdir()) == ["bad.csv", "good.csv", "notes.json"]

    outcome = run_refresh(ws, store, config_of(config))
    assert outcome.status == "complete" and outcome.exit_code == EXIT_PARTIAL
    rid = outcome.refresh_id
    assert (inbox / "processed" / rid / "good.csv").is_file()
    reason = (inbox / "rejected" / rid / "bad.csv.reason.txt").read_text(encoding="utf-8")
    assert "bad.csv, row 2, column 'y': 105 is above the upper bound 100" in reason
    assert "bad.csv, row 3, column 'series_id': unknown indicator 't:nope'" in reason
    assert "bad.csv, row 4, column 'ds'" in reason
    assert (inbox / "rejected" / rid / "bad.csv").is_file()
    assert "unsupported file type '.json'" in (inbox / "rejected" / rid / "notes.json.reason.txt").read_text()
    assert [p.name for p in inbox.iterdir() if p.is_file()] == []
    assert store.observations("t:pm25")[-1] == ("2021", 51.0)
    assert {r["file"] for r in outcome.summary["rejected"]} == {"bad.csv", "notes.json"}
    assert "rejected file bad.csv" in (ws.root / "refresh" / "latest.md").read_text(encoding="utf-8")
    store.engine.dispose()


def test_sql_source_brings_only_new_or_revised_values_and_a_broken_one_is_reported(store_url, tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    source = sa.create_engine(f"sqlite:///{tmp_path / 'bureau.db'}")
    with source.begin() as conn:
        conn.execute(sa.text("create table published (code text, period integer, value real, released date)"))
        conn.execute(
            sa.text(
                "insert into published values ('t:pass', 2019, 85.0, '2020-02-01'), "
                "('t:pass', 2021, 87.0, '2022-02-01')"
            )
        )
    config.write_text(
        config.read_text(encoding="utf-8")
        + (
            "sql:\n  - name: bureau\n    url: sqlite:///${BUREAU_DB}\n"
            "    query: select code as series_id, period as ds, value as y, released as known_at from published\n"
            "  - name: down\n    url: postgresql+psycopg://nobody@127.0.0.1:1/none\n    query: select 1\n"
        ),
        encoding="utf-8",
    )
    import os

    os.environ["BUREAU_DB"] = str(tmp_path / "bureau.db")
    try:
        first = run_refresh(ws, store, config_of(config))
        # 2019 = 85.0 repeats nothing stored (84.6 is stored), so both rows are new or revised
        assert first.summary["new_data"]["series"] == {"t:pass": {"new": 1, "revised": 1}}
        assert first.exit_code == EXIT_PARTIAL
        assert first.summary["failed_sources"][0]["source"] == "sql:down"
        assert [p["plan"] for p in first.summary["plans"]] == ["plan-a", "plan-b"]  # the rest completed
        counts = store.counts()
        again = run_refresh(ws, store, config_of(config))  # the same rows: nothing new
        assert again.status == "up_to_date" and store.counts() == counts
        with source.begin() as conn:
            conn.execute(sa.text("insert into published values ('t:pass', 2022, 88.0, '2023-02-01')"))
        third = run_refresh(ws, store, config_of(config))
        assert third.summary["new_data"]["series"] == {"t:pass": {"new": 1, "revised": 0}}
    finally:
        del os.environ["BUREAU_DB"]
        source.dispose()
        store.engine.dispose()


def test_one_failing_plan_and_one_failing_series_are_reported_and_the_rest_complete(store_url, tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, store_url, models="[ets_damped]")
    with store.transaction() as conn:  # a plan stored by an older version that no longer validates
        conn.execute(
            sa.insert(plans).values(
                id="plan-old",
                spec={"id": "plan-old", "targets": "many"},
                imported_at=__import__("datetime").datetime.now(),
            )
        )
        spec = store.plan("plan-b").model_dump(mode="json")
        spec["targets"].append(
            dict(
                spec["targets"][0], id="stuck_2030", series_id="t:stuck", year=2030, value=60, unit="%", comparator=">="
            )
        )
        conn.execute(sa.update(plans).where(plans.c.id == "plan-b").values(spec=spec))
    # ETS cannot fit a perfectly flat series: the one model of this refresh fails on it.
    (inbox / "stuck.csv").write_text(observations_csv([("t:stuck", 2010 + i, 50) for i in range(10)]), encoding="utf-8")
    outcome = run_refresh(ws, store, config_of(config))
    assert outcome.status == "complete" and outcome.exit_code == EXIT_PARTIAL
    assert [p["plan"] for p in outcome.summary["failed_plans"]] == ["plan-old"]
    assert [p["plan"] for p in outcome.summary["plans"]] == ["plan-a", "plan-b"]
    assert [(s["series_id"], s["target_id"]) for s in outcome.summary["failed_series"]] == [("t:stuck", "stuck_2030")]
    probs = {t["target_id"]: t["probability"] for p in outcome.summary["plans"] for t in p["targets"]}
    assert probs["pm25_2028"] is not None and probs["stuck_2030"] is None
    text = (ws.root / "refresh" / "latest.md").read_text(encoding="utf-8")
    assert "plan plan-old failed" in text and "series t:stuck" in text
    store.engine.dispose()


def test_lock_refuses_a_second_holder_and_frees_on_release(store_url, tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    with refresh_lock(ws.root, store):
        with pytest.raises(RefreshBusy, match="another refresh is running"):
            with refresh_lock(ws.root, store):
                pass
        with pytest.raises(RefreshBusy):
            run_refresh(ws, store, config_of(config))
    with refresh_lock(ws.root, store):
        pass
    store.engine.dispose()


def test_two_refreshes_at_once_the_second_exits_at_once_with_its_own_code(store_url, tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    (inbox / "new.csv").write_text(observations_csv([("t:pm25", 2021, 50.0)]), encoding="utf-8")
    go = tmp_path / "go"
    first = start_held(ws, config, store_url, "ingested", go)
    try:
        started = time.monotonic()
        second = subprocess.run(
            refresh_command(ws, config), env=child_env(store_url), capture_output=True, text=True, timeout=120
        )
        assert second.returncode == EXIT_BUSY, second.stderr
        assert "another refresh is running" in second.stderr
        assert time.monotonic() - started < 60  # at once: no waiting for the lock
        if store_url.startswith("postgresql"):  # another machine (workspace) on the same database
            from forecast.workspace import Workspace

            other = Workspace(tmp_path / "other-ws").ensure()
            third = subprocess.run(
                refresh_command(other, config), env=child_env(store_url), capture_output=True, text=True, timeout=120
            )
            assert third.returncode == EXIT_BUSY and "advisory lock" in third.stderr
    finally:
        go.touch()
    out, err = first.communicate(timeout=300)
    assert first.returncode == EXIT_OK, err
    assert len(_complete(store)) == 1
    store.engine.dispose()


CHECKPOINTS = ["ingested", "files_moved", "ran:plan-a", "published", "reported"]


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_refresh_killed_at_any_point_keeps_the_previous_state_and_the_next_one_completes(tmp_path, checkpoint):
    _killed_then_rerun(f"sqlite:///{tmp_path / 'forecast.db'}", tmp_path, checkpoint)


def test_refresh_killed_on_postgresql_then_rerun(pg_database, tmp_path):
    _killed_then_rerun(pg_database, tmp_path, "ran:plan-a")


def _killed_then_rerun(store_url: str, tmp_path, checkpoint: str) -> None:
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    previous = run_refresh(ws, store, config_of(config))
    runs_before = {r["id"] for r in store.runs()}
    latest_before = (ws.root / "refresh" / "latest.json").read_bytes()
    (inbox / "new.csv").write_text(
        observations_csv([("t:pm25", 2021, 49.0), ("t:pass", 2021, 86.5), ("t:pass", 2020, 85.9)]), encoding="utf-8"
    )

    proc = start_held(ws, config, store_url, checkpoint, tmp_path / "never")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    published = checkpoint in ("published", "reported")
    assert [r["id"] for r in _complete(store)] == [previous.refresh_id]  # the previous refresh stays the latest
    if not published:  # no run of the killed refresh is visible; the summary is the previous one
        assert {r["id"] for r in store.runs()} == runs_before
    assert (ws.root / "refresh" / "latest.json").read_bytes() == latest_before

    rerun = subprocess.run(
        refresh_command(ws, config), env=child_env(store_url), capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == EXIT_OK, rerun.stdout + rerun.stderr
    statuses = [r["status"] for r in ledger.refreshes_list(store)]
    assert "running" not in statuses and "published" not in statuses
    complete = _complete(store)
    assert len(complete) == 2  # the killed one (finished) or its successor: one new complete refresh
    new_runs = {r["id"] for r in store.runs()} - runs_before
    assert len(new_runs) == 2  # one per plan, no duplicate
    summary = latest_summary(ws)
    assert summary["refresh_id"] == complete[-1]["id"]
    assert summary["new_data"]["series"] == {"t:pass": {"new": 1, "revised": 1}, "t:pm25": {"new": 1, "revised": 0}}
    for rel in summary["reports"]:
        assert (ws.root / rel).is_file()
    assert (inbox / "new.csv").exists() is False and list((inbox / "processed").rglob("new.csv"))
    assert not list(ws.reports_dir.glob(".staging-*"))
    assert store.observations("t:pm25")[-1] == ("2021", 49.0)
    with store.engine.connect() as conn:  # the vintage was stored once
        assert conn.execute(sa.text("select count(*) from observations where period = '2021'")).scalar_one() == 2
    store.engine.dispose()


def test_configuration_errors_stop_before_anything_is_written(tmp_path):
    ws, store, config, inbox = make_workspace(tmp_path, f"sqlite:///{tmp_path / 'ws' / 'forecast.db'}")
    counts = store.counts()
    for text, expected in (
        ("drop_folder: missing\n", "drop folder"),
        ("langs: [fr]\n", "langs.0"),
        ("plans: [plan-z]\n", "plans not in the store: plan-z"),
    ):
        config.write_text(text, encoding="utf-8")
        result = subprocess.run(
            refresh_command(ws, config),
            env=child_env(f"sqlite:///{ws.root / 'forecast.db'}"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert store.counts() == counts and not (ws.root / "refresh").exists()
    store.engine.dispose()


def test_two_refreshes_started_together_never_run_twice(tmp_path):
    """No hook: two processes race for the lock. Whatever the timing, one vintage and one run per plan."""
    url = f"sqlite:///{tmp_path / 'forecast.db'}"
    ws, store, config, inbox = make_workspace(tmp_path, url)
    (inbox / "new.csv").write_text(observations_csv([("t:pm25", 2021, 50.0)]), encoding="utf-8")
    procs = [
        subprocess.Popen(
            refresh_command(ws, config), env=child_env(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    codes = sorted(p.wait(timeout=300) for p in procs)
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert codes in ([EXIT_OK, EXIT_OK], [EXIT_OK, EXIT_BUSY])
    assert len(_complete(store)) == 1 and len(store.runs()) == 2
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from observations where period = '2021'")).scalar_one() == 1
    store.engine.dispose()


def test_a_drop_file_repeating_stored_values_stores_only_what_is_new(store_url, tmp_path):
    """A monthly export that repeats the whole history: only its new values become the vintage."""
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    run_refresh(ws, store, config_of(config))
    history = base_rows()

    (inbox / "export-1.csv").write_text(observations_csv(history + [("t:pm25", 2021, 53.0)]), encoding="utf-8")
    first = run_refresh(ws, store, config_of(config))
    assert first.status == "complete"
    assert first.summary["new_data"]["series"] == {"t:pm25": {"new": 1, "revised": 0}}
    with store.engine.connect() as conn:
        assert (
            conn.execute(
                sa.text(
                    "select count(*) from observations o join batches b on b.id = o.batch_id "
                    "where b.source_file = 'export-1.csv'"
                )
            ).scalar_one()
            == 1
        )
    counts = store.counts()

    # The same values again in other bytes: rows reversed and a column the importer ignores.
    rows = list(reversed(history + [("t:pm25", 2021, 53.0)]))
    (inbox / "export-2.csv").write_text(
        "series_id,ds,y,comment\n" + "".join(f"{s},{y},{v},as published\n" for s, y, v in rows), encoding="utf-8"
    )
    second = run_refresh(ws, store, config_of(config))
    assert second.status == "up_to_date" and second.exit_code == EXIT_OK
    assert store.counts() == counts  # no batch, no vintage, no refresh row, no run
    moved = list((inbox / "processed").rglob("export-2.csv"))
    assert len(moved) == 1 and "nothing new" in moved[0].with_name("export-2.csv.reason.txt").read_text()
    store.engine.dispose()


def test_editing_the_model_catalogue_makes_the_next_refresh_run(store_url, tmp_path):
    catalogue = tmp_path / "ws" / "models" / "catalogue.yaml"  # a workspace's own catalogue
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(
        "candidates:\n  rw_drift: {}\n  trend: {model: linear_trend}\ndefault: [rw_drift]\n", encoding="utf-8"
    )
    ws, store, config, inbox = make_workspace(tmp_path, store_url, models="null")  # the catalogue's default
    assert run_refresh(ws, store, config_of(config)).status == "complete"
    assert run_refresh(ws, store, config_of(config)).status == "up_to_date"

    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("[rw_drift]", "[trend]"), encoding="utf-8")
    changed_default = run_refresh(ws, store, config_of(config))
    assert changed_default.status == "complete" and len(changed_default.summary["plans"]) == 2

    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("{model: linear_trend}", "{model: linear_trend, window: 5}"),
        encoding="utf-8",
    )
    changed_parameter = run_refresh(ws, store, config_of(config))
    assert changed_parameter.status == "complete" and len(changed_parameter.summary["plans"]) == 2
    assert run_refresh(ws, store, config_of(config)).status == "up_to_date"
    store.engine.dispose()
