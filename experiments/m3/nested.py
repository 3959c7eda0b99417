"""The nested hold-out of M3 yearly: the test protocol replayed inside the training parts.

    .venv/bin/python experiments/m3/nested.py [--out experiments/m3/out/nested]

Writes into `--out` a data folder shaped like ../shared/data/m3 for the yearly group only: every
training part without its last 6 points (`train.csv`), those 6 points (`test.csv`), `meta.csv`, and
`pooled_ar.json`, the pooled autoregression learned the way experiments/pooled_model/build.py does
but without those 6 points, so that no candidate has seen the years it is scored on. Then

    .venv/bin/python experiments/m3/ours.py --data <out> --out <out>/forecasts --pooled-map <out>/pooled_ar.json ...

runs the whole pipeline (its own back-tests, selection and calibration) on the cut histories, and
../shared/tools/eval/score.py scores it against `test.csv`. The M3 yearly back-test origins are one
year apart and six years long, so a per-series choice of models is scored on the years it was chosen
on; here nothing the pipeline chooses has seen the scored years. Never reads an M3 test part.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pooled_model"))
import build  # noqa: E402  the pooled model's own corpus and learner, one definition

CUT = 6  # the M3 yearly horizon


def cut_yearly(m3: Path, out: Path) -> pd.DataFrame:
    """Write the cut training parts and their last CUT points; returns the cut histories' lengths."""
    meta = pd.read_csv(m3 / "meta.csv", dtype={"series_id": str})
    meta = meta[meta["period"] == "YEARLY"]
    train = pd.read_csv(m3 / "train.csv", dtype={"series_id": str, "ds": str})
    train = train[train["series_id"].isin(set(meta["series_id"]))].sort_values(["series_id", "ds"], kind="stable")
    from_end = train.groupby("series_id").cumcount(ascending=False)
    train[from_end >= CUT].to_csv(out / "train.csv", index=False)
    train[from_end < CUT].to_csv(out / "test.csv", index=False)
    meta.to_csv(out / "meta.csv", index=False)
    return train[from_end >= CUT].groupby("series_id").size()


def cut_map(shared: Path, out: Path) -> dict:
    """The pooled map learned without the last CUT points of every M3 yearly training part."""
    sources = build.corpus(shared)
    sources["m3_yearly_train"] = [a[:-CUT] for a in sources["m3_yearly_train"]]
    source = f"nested hold-out: M3 yearly training parts without their last {CUT} points"
    pooled, info = build.learn(build.flat(sources), source)
    build.write(pooled, info, out / "pooled_ar.json")
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent.parent / "shared")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "nested")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    lengths = cut_yearly(args.shared / "data" / "m3", args.out)
    info = cut_map(args.shared, args.out)
    print(
        f"wrote {args.out}: {len(lengths)} series, cut lengths {lengths.min()}-{lengths.max()} "
        f"(median {lengths.median():.0f}); pooled map from {info['rows']} rows of {info['series']} series"
    )


if __name__ == "__main__":
    main()
