"""Markdown table of the peer benchmark scores of one M3 group folder (written by peer.sh).

    python experiments/m3/peer_summary.py [experiments/m3/out/YEARLY ...] [--sort owa]

Reads every <model>.metrics.json (score.py reports) in each folder and the peers' timing JSONs
(timing.json from peer_statsforecast.py, <model>.timing.json from peer_naive.py) and prints one row
per model. Standard library only, so it runs in any Python >= 3.9 environment.

Columns: sMAPE, MASE, OWA (point.*); coverage of the central 80% and 95% intervals and MSIS
(intervals.*); scaled pinball loss (quantiles.scaled_pinball); Brier score of the feasibility events
and that of the CAGR rule on the same events (feasibility.*; the CAGR rule does not depend on the
model, so it is the same in every row); series/s (timing JSON, fit + predict wall time).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent / "out" / "YEARLY"

# (header, path into the metrics JSON, format); "series/s" comes from the timing files.
COLUMNS = [
    ("sMAPE", ("point", "smape"), "{:.3f}"),
    ("MASE", ("point", "mase"), "{:.3f}"),
    ("OWA", ("point", "owa"), "{:.3f}"),
    ("Cov 80", ("intervals", "80", "coverage"), "{:.3f}"),
    ("Cov 95", ("intervals", "95", "coverage"), "{:.3f}"),
    ("MSIS", ("intervals", "95", "msis"), "{:.2f}"),
    ("Scaled pinball", ("quantiles", "scaled_pinball"), "{:.4f}"),
    ("Brier", ("feasibility", "brier"), "{:.4f}"),
    ("Brier CAGR rule", ("feasibility", "brier_cagr_rule"), "{:.4f}"),
]
SORT_KEYS = {
    "model": None,
    **{header.lower().replace(" ", "_"): path for header, path, _ in COLUMNS},
    "series_per_s": "series_per_s",
}


def dig(report: dict, path: tuple):
    value = report
    for key in path:
        if not isinstance(value, dict) or value.get(key) is None:
            return None
        value = value[key]
    return value


def load_timing(folder: Path) -> tuple[dict, dict]:
    """series/s per model (keyed by model name and by forecast file name) and run facts."""
    speed, facts = {}, {}
    for path in sorted(folder.glob("*timing.json")):
        timing = json.loads(path.read_text())
        for key in ("statsforecast", "n_jobs", "repeats", "cpu_count"):
            if key in timing:
                facts.setdefault(key, timing[key])
        for model, entry in timing.get("models", {}).items():
            sps = entry.get("series_per_second")
            if sps is None:
                continue
            speed[model] = sps
            if entry.get("file"):
                speed[Path(entry["file"]).stem] = sps
    return speed, facts


def fmt(value, pattern: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return pattern.format(value)


def summarise(folder: Path, sort: str) -> str:
    files = sorted(folder.glob("*.metrics.json"))
    if not files:
        raise SystemExit(f"no *.metrics.json in {folder}")
    speed, facts = load_timing(folder)
    rows, notes = [], []
    for path in files:
        report = json.loads(path.read_text())
        model = report.get("model") or path.name[: -len(".metrics.json")]
        stem = path.name[: -len(".metrics.json")]
        row = {"model": model, "report": report, "series_per_s": speed.get(model, speed.get(stem))}
        rows.append(row)
        if not report.get("complete", False):
            notes.append(
                f"{model}: scored {report.get('n_series_scored')} of "
                f"{report.get('n_series_selected')} series (see validation in {path.name})"
            )
        if report.get("n_series_unscaled"):
            notes.append(
                f"{model}: {report['n_series_unscaled']} series with zero MASE scale left out of MASE, MSIS and pinball"
            )

    key = SORT_KEYS[sort]
    if key is None:
        rows.sort(key=lambda r: r["model"].lower())
    else:

        def value(r):
            v = r["series_per_s"] if key == "series_per_s" else dig(r["report"], key)
            v = -v if (key == "series_per_s" and v is not None) else v  # fastest first
            return (v is None, v if v is not None else 0.0, r["model"].lower())

        rows.sort(key=value)

    first = rows[0]["report"]
    group = first.get("group") or folder.name
    title = (
        f"{first.get('dataset') or 'M3'} {group}: {first.get('n_series_selected')} series, "
        f"horizon {', '.join(map(str, first.get('horizon', [])))}"
    )
    if facts:
        run = ", ".join(f"{k} {facts[k]}" for k in ("statsforecast", "n_jobs", "repeats", "cpu_count") if k in facts)
        title += f" ({run})"

    headers = ["Model"] + [h for h, _, _ in COLUMNS] + ["series/s"]
    lines = [
        f"### {title}",
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "|".join([":---"] + ["---:"] * (len(headers) - 1)) + "|",
    ]
    for r in rows:
        cells = [r["model"]] + [fmt(dig(r["report"], p), f) for _, p, f in COLUMNS]
        cells.append(fmt(r["series_per_s"], "{:.1f}"))
        lines.append("| " + " | ".join(cells) + " |")
    if notes:
        lines += [""] + [f"- {n}" for n in notes]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "folders",
        nargs="*",
        type=Path,
        default=[DEFAULT_DIR],
        help="group folder(s) with *.metrics.json (default: out/YEARLY beside this script)",
    )
    ap.add_argument("--sort", choices=sorted(SORT_KEYS), default="owa", help="row order (default: owa, best first)")
    args = ap.parse_args(argv)
    print("\n\n".join(summarise(folder, args.sort) for folder in args.folders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
