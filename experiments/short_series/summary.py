"""Tables of the scored short sets: python experiments/short_series/summary.py SET [SET ...] [--reliability]"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def row(m: dict) -> dict:
    iv, fe = m["intervals"], m["feasibility"]
    steps80 = " ".join(f"{v:.2f}" for v in iv["80"]["coverage_by_step"].values())
    steps95 = " ".join(f"{v:.2f}" for v in iv["95"]["coverage_by_step"].values())
    return {
        "model": m["model"],
        "sMAPE": f"{m['point']['smape']:.2f}",
        "OWA": f"{m['point']['owa']:.3f}",
        "Cov80": f"{iv['80']['coverage']:.3f}",
        "Cov80 by step": steps80,
        "Cov95": f"{iv['95']['coverage']:.3f}",
        "Cov95 by step": steps95,
        "MSIS": f"{iv['95']['msis']:.2f}",
        "Brier": f"{fe['brier']:.4f}",
        "Brier CAGR rule": f"{fe['brier_cagr_rule']:.4f}",
        "Brier base rate": f"{fe['brier_base_rate']:.4f}",
        "reliability": f"{fe['reliability']:.4f}",
        "resolution": f"{fe['resolution']:.4f}",
    }


def table(rows: list[dict]) -> str:
    keys = list(rows[0])
    lines = [
        "| " + " | ".join(keys) + " |",
        "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(keys))) + "|",
    ]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def reliability(metrics: list[dict]) -> str:
    names = [m["model"] for m in metrics]
    lines = ["| P bin | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    bins = [b["range"] for b in metrics[0]["feasibility"]["reliability_table"]]
    for i, (lo, hi) in enumerate(bins):
        cells = []
        for m in metrics:
            b = m["feasibility"]["reliability_table"][i]
            cells.append(
                f"{b['mean_predicted']:.2f} / {b['observed_frequency']:.2f} ({b['count']})" if b["count"] else "– (0)"
            )
        lines.append(f"| {lo:.1f}–{hi:.1f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--models", nargs="*", default=None)
    ap.add_argument("--reliability", action="store_true")
    args = ap.parse_args()
    for s in args.sets:
        files = sorted((s / "out").glob("*.metrics.json"))
        metrics = [json.loads(f.read_text()) for f in files]
        if args.models:
            metrics = sorted(
                [m for m in metrics if m["model"] in args.models], key=lambda m: args.models.index(m["model"])
            )
        print(f"\n### {s.name} ({metrics[0]['n_series_scored']} series)\n")
        print(table([row(m) for m in metrics]))
        if args.reliability:
            print("\nReliability (mean stated probability / observed frequency (events)):\n")
            print(reliability(metrics))


if __name__ == "__main__":
    main()
