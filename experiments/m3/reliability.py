"""Reliability tables and diagram of the feasibility events, ours beside the peers.

    .venv/bin/python experiments/m3/reliability.py experiments/m3/out/YEARLY [--models Forecast SF-Ensemble]

Reads the neutral scorer's metrics JSONs (feasibility.reliability_table: mean stated probability vs
observed frequency per 0.1-wide bin of P(Y_h >= last * (1 + d))) and prints one Markdown table,
then draws `reliability.png` in the same folder: a calibrated forecaster sits on the diagonal.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--models", nargs="+", default=["Forecast", "SF-Ensemble", "Naive"])
    args = parser.parse_args()
    tables = {}
    for model in args.models:
        path = args.folder / f"{model}.metrics.json"
        if path.exists():
            tables[model] = json.loads(path.read_text())["feasibility"]["reliability_table"]
    header = "| P bin | " + " | ".join(f"{m}: stated / observed (n)" for m in tables) + " |"
    print(header)
    print("|---|" + "---:|" * len(tables))
    for b in range(10):
        cells = []
        for rows in tables.values():
            r = rows[b]
            cells.append(
                "—" if not r["count"] else f"{r['mean_predicted']:.2f} / {r['observed_frequency']:.2f} ({r['count']})"
            )
        print(f"| {b / 10:.1f}–{(b + 1) / 10:.1f} | " + " | ".join(cells) + " |")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.6, 4.6), dpi=110)
    ax.plot([0, 1], [0, 1], color="#999999", lw=1, ls=":")
    for model, rows in tables.items():
        pts = [(r["mean_predicted"], r["observed_frequency"]) for r in rows if r["count"]]
        ax.plot(*zip(*pts), "o-", ms=4, label=model)
    ax.set_xlabel("stated probability")
    ax.set_ylabel("observed frequency")
    ax.set_title(f"Reliability of feasibility events, M3 {args.folder.name.lower()}", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.folder / "reliability.png")
    print(f"\ndiagram: {args.folder / 'reliability.png'}")


if __name__ == "__main__":
    main()
