"""What every chart shares, and the matplotlib charts: a target's P(met) and forecast across runs
(`forecast history`). The report's fan charts are SVG text (`fan_chart`). Plotting only; no fitting.

Colours are from the Okabe–Ito palette (distinguishable with every common colour-vision deficiency)
and every element also differs by line style, marker or hatch, so a chart reads in black-and-white
print. Chinese text is drawn with a CJK font bundled by the `mplfonts` package, so PNG files (the
history chart, the MLflow comparison chart) need no system font.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"  # shipped by the mplfonts package, so no system font is needed

# Okabe & Ito (2008), "Color Universal Design".
BLACK, ORANGE, SKY_BLUE, GREEN, BLUE, VERMILLION, PURPLE = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
BAND95, BAND80 = "#DDEFFA", "#9DC6E3"  # sky blue and blue, lightened


def cjk_font_path() -> Path:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the mplfonts package (CJK fonts for charts) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "fonts" / CJK_FONT_FILE


@lru_cache(maxsize=1)
def _font_family() -> str:
    """Register the bundled CJK font with matplotlib and return its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def required_path(start: tuple[int, float], threshold: float, target_year: int) -> tuple[list[int], list[float]]:
    """Yearly values from the latest value to the target at a constant annual rate (the CAGR the
    report states), or a straight line when a rate cannot be formed (a zero or negative value)."""
    year0, v0 = start
    years = list(range(year0, target_year + 1))
    n = target_year - year0
    if n <= 0:
        return [year0], [v0]
    if v0 > 0 and threshold > 0:
        rate = (threshold / v0) ** (1 / n)
        return years, [v0 * rate ** (y - year0) for y in years]
    return years, [v0 + (threshold - v0) * (y - year0) / n for y in years]


def history_chart_png(points: list, title: str, unit: str = "") -> bytes:
    """Two panels over the runs (history.HistoryPoint): P(met) above, the target-year median with its
    80% interval below."""
    import io

    from matplotlib import rc_context
    from matplotlib.figure import Figure

    x = [p.created_at for p in points]
    with rc_context(
        {"font.family": [_font_family(), "DejaVu Sans"], "axes.unicode_minus": False, "text.parse_math": False}
    ):
        fig = Figure(figsize=(6.4, 4.6), dpi=110)
        top, bottom = fig.subplots(2, 1, sharex=True)
        probs = [p.probability * 100 if p.probability is not None else float("nan") for p in points]
        top.plot(x, probs, "o-", color=BLUE)
        top.set_ylim(0, 100)
        top.set_ylabel("P(met) %")
        for level in (10, 33, 66, 90):  # the likelihood band edges
            top.axhline(level, color="#bbbbbb", lw=0.6, ls=":")
        med = [p.median if p.median is not None else float("nan") for p in points]
        lo = [p.interval80[0] if p.interval80 else float("nan") for p in points]
        hi = [p.interval80[1] if p.interval80 else float("nan") for p in points]
        bottom.fill_between(x, lo, hi, color=BAND80, lw=0, label="80%")
        bottom.plot(x, med, "o--", color=BLUE, label="median")
        threshold = next(
            (p.result.get("threshold") for p in reversed(points) if p.result.get("threshold") is not None), None
        )
        if threshold is not None:
            bottom.axhline(threshold, color=VERMILLION, lw=1.2, ls="-.", label=f"target {threshold:g}")
        year = next((p.result.get("target_year") for p in reversed(points) if p.result.get("target_year")), None)
        bottom.set_ylabel(f"{year or ''} {unit}".strip())
        bottom.legend(fontsize=7, loc="best")
        top.set_title(title, fontsize=10)
        for ax in (top, bottom):
            ax.grid(alpha=0.3)
        fig.autofmt_xdate()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()
