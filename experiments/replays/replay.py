"""Replay every target of data/replays as of each year before its target year, and score the service's
P(met) beside the CAGR rule, the time-progress (时序进度) rule and the outcome-frequency yardstick.

    python experiments/replays/replay.py [--paths 1000] [--plans ID,ID] [--out experiments/replays/out]

Writes rows.csv (one row per target and as-of year) and summary.json into --out and prints the tables
RESULTS.md quotes. Scoring uses the neutral scorer's Brier decomposition (../shared/tools/eval).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "tools" / "eval"
if EVAL.exists():
    sys.path.insert(0, str(EVAL))
    from metrics import brier_decomposition  # the neutral scorer's helper
else:  # pragma: no cover - same formula, for machines without the shared folder

    def brier_decomposition(p, o, n_bins=10):
        return {"brier": float(np.mean((np.asarray(p) - np.asarray(o)) ** 2))}


from forecast.jobs.replay import load_replay_set, replay_plan  # noqa: E402
from forecast.store import Store  # noqa: E402

BINS = 3  # few bins: the set is small


def bootstrap(df: pd.DataFrame, col: str, n: int = 2000, seed: int = 1) -> tuple[float, float]:
    """95% interval of the Brier score, resampling targets (their as-of rows move together)."""
    rng = np.random.default_rng(seed)
    keys = df["case"].unique()
    groups = {k: g for k, g in df.groupby("case")}
    stats = []
    for _ in range(n):
        pick = rng.choice(keys, size=len(keys), replace=True)
        d = pd.concat([groups[k] for k in pick])
        stats.append(float(np.mean((d[col] - d["o"]) ** 2)))
    return float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))


def logit(p):
    p = np.clip(np.asarray(p, float), 0.01, 0.99)
    return np.log(p / (1 - p))


def shift(p, c):
    return 1 / (1 + np.exp(-(logit(p) + c)))


def fit_shift(p, o) -> float:
    """The logit shift that minimises the Brier score on (p, o) (a grid: one parameter)."""
    grid = np.linspace(-3, 3, 121)
    return float(grid[np.argmin([np.mean((shift(p, c) - o) ** 2) for c in grid])])


def score_table(d: pd.DataFrame, label: str) -> dict:
    out = {"slice": label, "rows": len(d), "targets": d["case"].nunique(), "met_share": float(d["o"].mean())}
    for col in ("p_service", "p_cagr", "p_progress", "p_base"):
        out[col] = float(np.mean((d[col] - d["o"]) ** 2)) if len(d) else None
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=1000)
    ap.add_argument("--plans", default="")
    ap.add_argument("--out", default=str(ROOT / "experiments" / "replays" / "out"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'replay.db'}")
        ids, kinds = load_replay_set(store, ROOT / "data" / "replays")
        if args.plans:
            ids = [i for i in ids if i in args.plans.split(",")]
        rows = []
        for plan_id in ids:
            rows += [r.to_dict() for r in replay_plan(store, plan_id, n_paths=args.paths, kinds=kinds)]
    elapsed = time.time() - t0
    df = pd.DataFrame(rows)
    df["case"] = df["plan_id"] + "/" + df["target_id"]
    df.to_csv(out / "rows.csv", index=False)

    # Scored rows: the service gives a probability and the outcome is known.
    d = df[df["probability"].notna() & df["met"].notna()].copy()
    d["o"] = d["met"].astype(float)
    d["p_service"] = d["probability"].astype(float)
    d["p_cagr"] = d["cagr_met"].map({True: 1.0, False: 0.0})
    d["p_progress"] = d["progress_met"].map({True: 1.0, False: 0.0})
    # Outcome-frequency yardstick, leave-one-plan-out (a case never informs its own yardstick).
    cases = df.drop_duplicates("case")[["case", "plan_id", "met"]].dropna()
    d["p_base"] = [float(cases[cases.plan_id != pl]["met"].astype(float).mean()) for pl in d["plan_id"]]
    both = d[d["p_cagr"].notna() & d["p_progress"].notna()].copy()

    summary = {
        "elapsed_s": round(elapsed, 1),
        "paths": args.paths,
        "cases": int(df["case"].nunique()),
        "rows": len(df),
        "scored_rows": len(both),
        "not_scored": df[df["probability"].isna()].groupby("status")["case"].count().to_dict(),
    }
    overall = score_table(both, "all")
    for col in ("p_service", "p_cagr", "p_progress", "p_base"):
        overall[col + "_ci"] = bootstrap(both, col)
    summary["overall"] = overall
    summary["by_years_ahead"] = [score_table(g, f"{h} years ahead") for h, g in both.groupby("years_ahead")]
    summary["by_kind"] = [score_table(g, k or "?") for k, g in both.groupby("kind")]
    dec = brier_decomposition(both["p_service"].to_numpy(), both["o"].to_numpy(), n_bins=BINS)
    summary["reliability"] = dec.get("reliability_table", [])

    # At-risk warnings two or more years ahead.
    early = d[d["years_ahead"] >= 2]
    per_case = early.groupby("case").agg(flagged=("at_risk", "max"), met=("met", "first"))
    missed = per_case[per_case["met"] == False]  # noqa: E712
    flagged = per_case[per_case["flagged"] == True]  # noqa: E712
    summary["warnings"] = {
        "missed_targets_assessed_2y_ahead": len(missed),
        "missed_flagged": int(missed["flagged"].sum()) if len(missed) else 0,
        "flagged_targets": len(flagged),
        "flagged_but_met": int(flagged["met"].sum()) if len(flagged) else 0,
    }

    # Policy effort: binding targets against their predictions, and a leave-one-plan-out logit shift.
    effort = []
    for attr, g in both.groupby("attribute"):
        effort.append(
            {
                "attribute": attr,
                "rows": len(g),
                "met_share": float(g["o"].mean()),
                "mean_p": float(g["p_service"].mean()),
            }
        )
    summary["effort"] = effort
    cv = []
    for pl in both["plan_id"].unique():
        train = both[(both.plan_id != pl) & (both.attribute == "约束性")]
        test = both[(both.plan_id == pl)]
        c = fit_shift(train["p_service"], train["o"]) if len(train) else 0.0
        adj = np.where(test["attribute"] == "约束性", shift(test["p_service"], c), test["p_service"])
        cv.append(
            {
                "plan": pl,
                "shift": c,
                "n": len(test),
                "se_raw": float(np.sum((test["p_service"] - test["o"]) ** 2)),
                "se_adj": float(np.sum((adj - test["o"]) ** 2)),
            }
        )
    n = sum(x["n"] for x in cv)
    summary["effort_cv"] = {
        "brier_raw": sum(x["se_raw"] for x in cv) / n,
        "brier_corrected": sum(x["se_adj"] for x in cv) / n,
        "folds": cv,
    }
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    print(
        json.dumps({k: v for k, v in summary.items() if k != "reliability"}, ensure_ascii=False, indent=1, default=str)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
