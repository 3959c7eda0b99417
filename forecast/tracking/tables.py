"""The tables a run carries into MLflow: summary counts as metrics, assessments and the model
comparison as CSV artifacts. Text from input files never reaches a spreadsheet as a formula."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

COMBINED = "combined"  # the calibrated combination, as the back-test table names it
COMBINED_LABEL = "combined (calibrated)"  # and as a person reads it
# A cell starting with one of these is a formula to Excel and LibreOffice (the workbook's rule, plus the
# tab and carriage return that OWASP lists for CSV): such text is written after a quote, as the workbook
# marks it with a quote prefix.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text as a spreadsheet shows it, never evaluated; numbers and empty cells unchanged."""
    return "'" + value if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS) else value


def write_csv(frame, path: Path) -> Path:
    """A table as CSV with every text cell (and header) escaped by `csv_safe`."""
    safe = frame.map(csv_safe)
    safe.columns = [csv_safe(str(c)) for c in frame.columns]
    safe.to_csv(path, index=False)
    return path


def summary_metrics(assessments: list[dict]) -> dict[str, float]:
    """Counts per status and likelihood band, and the mean probability, from stored assessments."""
    probs = [a["probability"] for a in assessments if a.get("probability") is not None]
    out: dict[str, float] = {"targets": len(assessments), "assessed": len(probs)}
    out |= {f"status_{k}": v for k, v in Counter(a["status"] for a in assessments).items()}
    out |= {f"band_{k}": v for k, v in Counter(a["band"] for a in assessments if a.get("band")).items()}
    if probs:
        out["mean_probability"] = sum(probs) / len(probs)
    return out


def assessments_frame(assessments):
    import pandas as pd

    from forecast.report import wording
    from forecast.targets.feasibility.restatements import statement_text

    rows = []
    for a in assessments:
        d = a.to_dict()
        d["interval80"] = _pair(d["interval80"])
        d["interval95"] = _pair(d["interval95"])
        d["official_category"] = d.pop("official").get("category")
        d["by_model"] = "; ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in d["by_model"].items()
        )
        d["message"] = wording.message(d, "en")  # the analysts' table is English
        d.pop("params", None)
        d["time_progress"] = (d.pop("progress", None) or {}).get("category")
        d["notes"] = "; ".join(wording.note(n, "en") for n in d["notes"])
        d["warnings"] = "; ".join(wording.note(n, "en") for n in d.get("warnings") or [])
        d["conflicts"] = "; ".join(statement_text(c) for c in d["conflicts"])
        rows.append(d)
    return pd.DataFrame(rows)


def _pair(p: Optional[tuple]) -> Optional[str]:
    return None if p is None else f"{p[0]:.4g} – {p[1]:.4g}"


def comparison_rows(backtest: dict) -> list[dict]:
    """Pooled back-test skill by model, best CRPS first, the combination last: from the run's stored
    settings (`settings["backtest"]`), so a back-filled run shows the same numbers as the report."""
    pooled = (backtest or {}).get("pooled") or {}
    rows = [
        {
            "model": m,
            "crps": s.get("crps"),
            "smape": s.get("smape"),
            "coverage80": s.get("coverage80"),
            "coverage95": s.get("coverage95"),
            "points": s.get("points"),
        }
        for m, s in pooled.items()
    ]
    return sorted(rows, key=lambda r: (r["model"] == COMBINED, _sortable(r["crps"])))


def series_rows(backtest: dict) -> list[dict]:
    """Each back-tested series' own skill by model (the per-series table)."""
    return [
        {
            "series_id": sid,
            "model": m,
            **{k: s.get(k) for k in ("crps", "smape", "coverage80", "coverage95")},
            "points": s.get("points"),
        }
        for sid, models in ((backtest or {}).get("series") or {}).items()
        for m, s in models.items()
    ]


def _sortable(x) -> float:
    return float("inf") if x is None or x != x else float(x)
