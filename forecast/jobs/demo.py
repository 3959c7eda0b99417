"""The demo: a workspace built from the real data in `data/`, and every demo plan run on it.

Replays are the point: each real target is assessed as of a year before its deadline, and the
report sets the probability beside what happened. The last step shows the path a planner takes
from a plan document: extract, fill-in workbook, import, run (`demo_workbook`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Optional

from forecast import defaults
from forecast.engine import Engine
from forecast.ingest.importer import import_file
from forecast.jobs.assess_plan import overview, run_and_report
from forecast.jobs.demo_workbook import AS_OF, DOCUMENT, PLAN_ID, workbook_demo
from forecast.store import Store
from forecast.targets.plans import load_plan
from forecast.workspace import Workspace

# (plan id, as of): each replay looks from a year when its target was still ahead.
DEMO_RUNS = (
    ("replays", "2015"),  # Beijing PM2.5 <= 60 in 2017, seen from 2015
    ("replays", "2017"),  # good-air days > 80% in 2020, seen from 2017
    ("replays", "2021"),  # national PM2.5 <= 32.9 in 2023, seen from 2021
    # The three real municipal plans, every target, on stand-in series (see each plan file's header)
    ("jiangyou-2020", "2016"),  # 江油 十三五 (2016-2020), seen from its first year
    ("xinxiang-2020", "2016"),  # 新乡 (2013) targets for 2020, seen from 2016
    ("tongling-2020", "2014"),  # 铜陵 (2014-2020) targets for 2015 and 2020, seen from 2014
)


def run_demo(
    ws: Workspace,
    store: Store,
    data_dir: Path = Path("data"),
    lang: str = "zh",
    n_paths: int = defaults.N_PATHS,
    progress: Optional[Callable[[str, str, str, int, int], None]] = None,
    engine: Optional[Engine] = None,
) -> Iterator[str]:
    """Lines to print; `progress(run label, stage, item, done, total)` hears of each step of each run."""
    if not (data_dir / "indicators.yaml").exists():
        raise FileNotFoundError(f"{data_dir}/indicators.yaml not found: run the demo from the project folder")
    for i, path in enumerate(sorted((data_dir / "observations").glob("*.csv"))):
        summary = import_file(store, path, data_dir / "indicators.yaml" if i == 0 else None)
        yield (
            f"{path.name}: already imported"
            if summary.already_imported
            else f"{path.name}: {summary.rows} observations, {len(summary.series)} series"
        )
    for path in sorted((data_dir / "plans").glob("*.yaml")):
        plan = load_plan(path)
        store.save_plan(plan)
        yield f"plan {plan.id}: {len(plan.targets)} targets"
    outcomes = []
    for plan_id, as_of in DEMO_RUNS:
        tell = partial(progress, f"{plan_id} as of {as_of}") if progress else None
        outcomes.append(
            run_and_report(ws, store, plan_id, as_of=as_of, n_paths=n_paths, lang=lang, progress=tell, engine=engine)
        )
        yield ""
        yield outcomes[-1].summary()
    if (data_dir / DOCUMENT).exists():  # the path a planner takes: plan document -> workbook -> run -> report
        yield ""
        tell = partial(progress, f"{PLAN_ID} as of {AS_OF}") if progress else None
        yield from workbook_demo(
            ws, store, data_dir, lang=lang, n_paths=n_paths, progress=tell, outcomes=outcomes, engine=engine
        )
    yield ""
    yield overview(outcomes)
    if (data_dir / "replays" / "observations.csv").exists():
        from forecast.jobs.replay import demo_lines

        yield ""
        yield from demo_lines(ws.root / "replays.db", data_dir / "replays", n_paths=min(n_paths, 500))
    yield ""
    yield f"workspace: {ws.root}  (MLflow UI: forecast --workspace {ws.root} ui)"
