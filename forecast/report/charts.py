"""Fan charts: history, median, 80/95% bands, the target line and year. Plotting only; no fitting."""
from __future__ import annotations

import importlib.util
import io
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Optional

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"  # shipped by the mplfonts package, so no system font is needed


@lru_cache(maxsize=1)
def _font_family() -> str:
    """Register the bundled CJK font with matplotlib and return its family name."""
    from matplotlib import font_manager

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the mplfonts package (CJK fonts for charts) is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / CJK_FONT_FILE
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def fan_chart_png(title: str, unit: str, history: dict[int, float], fan: dict[int, dict[str, float]],
                  threshold: Optional[float], sense: Optional[str], target_year: Optional[int],
                  actual: Optional[float], labels: dict[str, str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = _font_family()
    with plt.rc_context({"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=110)
        years = sorted(history)
        ax.plot(years, [history[y] for y in years], "o-", color="#1f3b73", lw=1.8, ms=4, label=labels["history"])
        if fan:
            fy = sorted(fan)
            join = [years[-1]] + fy if years else fy
            last = [history[years[-1]]] if years else []

            def col(level: str) -> list[float]:
                return last + [fan[y][level] for y in fy]

            ax.fill_between(join, col("0.025"), col("0.975"), color="#e07b39", alpha=0.18, lw=0, label=labels["p95"])
            ax.fill_between(join, col("0.1"), col("0.9"), color="#e07b39", alpha=0.35, lw=0, label=labels["p80"])
            ax.plot(join, col("0.5"), "--", color="#b3541e", lw=1.6, label=labels["median"])
        if threshold is not None:
            ax.axhline(threshold, color="#2a9d8f", lw=1.2, label=f"{labels['target']} {sense} {threshold:g}")
        if target_year is not None:
            ax.axvline(target_year, color="#888888", lw=0.8, ls=":")
        if actual is not None and target_year is not None:
            ax.plot([target_year], [actual], "*", color="#d62828", ms=12, label=f"{labels['actual']} {actual:g}")
        # Long names wrap rather than run off the figure (textwrap splits CJK text by characters too).
        ax.set_title("\n".join(textwrap.wrap(title, 58 if title.isascii() else 32)), fontsize=10)
        ax.set_ylabel(unit)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best", framealpha=0.8)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return buf.getvalue()
