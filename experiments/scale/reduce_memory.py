"""Memory of the reduce step: how far above its starting point each step of fitting and summarising
the pooled ensemble goes (tracemalloc peaks), on N synthetic series of `bench.py`.

    python experiments/scale/reduce_memory.py --series 1000
"""

from __future__ import annotations

import argparse
import tempfile
import tracemalloc
from pathlib import Path

from bench import generate

from forecast.evaluation import combine, evidence
from forecast.evaluation.metrics import threshold_events
from forecast.evaluation.prior import corrected_rows
from forecast.forecasters import catalogue
from forecast.ingest.importer import import_file
from forecast.store import Store
from forecast.workspace import Workspace


def peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument(
        "--paths", type=int, default=300, help="paths per back-test fit (the table's size does not depend on it)"
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="forecast-reduce-"))
    generate(root, args.series, 100)
    store = Store(Workspace(root / "ws").ensure().db_url)
    import_file(store, root / "history.csv", root / "indicators.yaml")
    seen: dict = {}
    fit = evidence.fit_ensemble

    def keeping_the_table(table, *a, **k):  # the per-model table the reduce starts from
        seen["table"] = table
        return fit(table, *a, **k)

    evidence.fit_ensemble = keeping_the_table
    chosen = catalogue.load(None)
    models = chosen.instantiate(None)
    ens, _ = evidence.gather(store, store.indicators(), models, 3, None, seed=1, n_paths=args.paths, uses=chosen.uses())
    table = seen["table"]
    w = combine.weights(table)
    combined = ens.combined
    rows = {
        "per-model table MiB": round(table.memory_usage(deep=True).sum() / 2**20, 1),
        "combined rows MiB": round(combined.memory_usage(deep=True).sum() / 2**20, 1),
        "weights": peak_mib(lambda: combine.weights(table)),
        "combine_table": peak_mib(lambda: combine.combine_table(table, w)),
        "fit_ensemble": peak_mib(lambda: fit(table, list(models), symmetric=True, scale_of=ens.scale_of)),
        "pooled_skill": peak_mib(lambda: evidence.pooled_skill(ens)),
        "corrected_rows": peak_mib(
            lambda: corrected_rows(ens.table, ens.prior, ens.corrections, ens.scale_of, ens.default_scale)
        ),
        "threshold_events": peak_mib(lambda: threshold_events(combined)),
        "score by model": peak_mib(lambda: ens.score(["model"], evidence.SKILL_METRICS)),
    }
    for name, value in rows.items():
        print(f"{name:>22}: {value}")


if __name__ == "__main__":
    main()
