"""Markdown tables for RESULTS.md from the replay's out/summary.json and out/rows.csv.

python experiments/replays/tables.py [--out experiments/replays/out] > tables.md
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    ("p_service", "service P(met)"),
    ("p_cagr", "CAGR category (achieved / on track = met)"),
    ("p_progress", "时序进度 (progress ≥ time elapsed = met)"),
    ("p_base", "outcome frequency (leave-one-plan-out)"),
]


def mark(v) -> str:
    return "·" if pd.isna(v) else ("✓" if bool(v) else "✗")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "experiments" / "replays" / "out"))
    out = Path(ap.parse_args(argv).out)
    s = json.loads((out / "summary.json").read_text())
    df = pd.read_csv(out / "rows.csv", dtype={"as_of": str})
    o = s["overall"]
    print(f"## Brier score ({o['rows']} rows, {o['targets']} targets; 95% bootstrap interval resampling targets)\n")
    print("| method | Brier | 95% interval |\n|---|---|---|")
    for k, name in NAMES:
        lo, hi = o[k + "_ci"]
        print(f"| {name} | {o[k]:.3f} | {lo:.3f}–{hi:.3f} |")
    print(
        "\nBy years before the deadline (0 = an annual target, assessed on the day its report was given) and by"
        " kind (Brier; share of the rows met):\n"
    )
    print("| slice | rows | targets | met share | service | CAGR | 时序进度 | frequency |")
    print("|---|---|---|---|---|---|---|---|")
    for r in s["by_years_ahead"] + s["by_kind"]:
        print(
            f"| {r['slice']} | {r['rows']} | {r['targets']} | {r['met_share']:.2f} | {r['p_service']:.3f} | "
            f"{r['p_cagr']:.3f} | {r['p_progress']:.3f} | {r['p_base']:.3f} |"
        )
    print(
        "\nReliability of the service's P(met) (3 bins):\n\n| bin | rows | mean P | observed met share |\n|---|---|---|---|"
    )
    for b in s["reliability"]:
        if b["count"]:
            print(
                f"| {b['range'][0]:.2f}–{b['range'][1]:.2f} | {b['count']} | {b['mean_predicted']:.2f} | "
                f"{b['observed_frequency']:.2f} |"
            )
    w = s["warnings"]
    print("\n## At-risk warnings two or more years ahead\n")
    print(
        f"- Missed targets with a forecast two or more years ahead: {w['missed_targets_assessed_2y_ahead']}; "
        f"flagged at risk (P < 66%) at least once that early: {w['missed_flagged']}."
    )
    share = w["flagged_but_met"] / w["flagged_targets"] if w["flagged_targets"] else float("nan")
    print(
        f"- Targets flagged at least once that early: {w['flagged_targets']}; of them met: {w['flagged_but_met']} "
        f"({share:.0%} of the flagged targets)."
    )
    print("\n## Policy effort: binding (约束性) against expected (预期性) targets\n")
    print("| attribute | rows | met share | mean P(met) |\n|---|---|---|---|")
    for e in s["effort"]:
        print(f"| {e['attribute']} | {e['rows']} | {e['met_share']:.2f} | {e['mean_p']:.2f} |")
    cv = s["effort_cv"]
    shifts = sorted({round(f["shift"], 2) for f in cv["folds"]})
    print(
        f"\nLeave-one-plan-out logit shift for binding targets: Brier {cv['brier_raw']:.3f} → "
        f"{cv['brier_corrected']:.3f}; fitted shifts per fold: {shifts}."
    )

    titles = {}
    for p in sorted((ROOT / "data" / "replays" / "plans").glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        for t in d["targets"]:
            titles[(d["id"], t["id"])] = (d["plan_title"], f"{t['comparator']} {t['value']:g}{t.get('unit', '')}")
    print(
        "\n## Per case\n\nP(met) by as-of point; in brackets the CAGR rule / 时序进度 rule (✓ predicts met, ✗ missed,"
        " · none); — the service gives no probability (fewer than 3 values published by then).\n"
    )
    print("| target | plan | statement | P(met) by as-of (CAGR / 时序进度) | outcome |\n|---|---|---|---|---|")
    for (plan, tid), g in df.groupby(["plan_id", "target_id"], sort=False):
        title, stated = titles.get((plan, tid), (plan, ""))
        cells = []
        for _, r in g.sort_values("as_of").iterrows():
            p = "—" if pd.isna(r.probability) else f"{r.probability:.2f}"
            cells.append(f"{r.as_of}: {p} ({mark(r.cagr_met)}/{mark(r.progress_met)})")
        met = g.met.iloc[0]
        outcome = f"{g.outcome.iloc[0]:g} " + ("met" if met else "missed" if met is not None else "?")
        print(
            f"| {tid} | {title} | {g.iloc[0].indicator} {stated} by {g.target_year.iloc[0]} | {'; '.join(cells)} | {outcome} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
