"""The parent run's comparison chart: back-test CRPS, sMAPE and 80/95% interval coverage by model,
each model labelled with its number of back-test points. Plotting only (matplotlib's Figure, no
pyplot: no backend switched, no figure registry to leak)."""

from __future__ import annotations

import io

from forecast.report.charts import BLACK, BLUE, SKY_BLUE, VERMILLION, _font_family
from forecast.tracking.tables import COMBINED, COMBINED_LABEL


def comparison_png(rows: list[dict], title: str) -> bytes:
    """`rows` as `tables.comparison_rows` gives them (best CRPS first, the combination last)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    labels = [f"{COMBINED_LABEL if r['model'] == COMBINED else r['model']}  (n={_count(r['points'])})" for r in rows]
    y = list(range(len(rows)))[::-1]  # first row on top
    with rc_context(
        {"font.family": [_font_family(), "DejaVu Sans"], "axes.unicode_minus": False, "text.parse_math": False}
    ):
        fig = Figure(figsize=(9.6, 1.6 + 0.42 * max(len(rows), 1)), dpi=110)
        crps, smape, cover = fig.subplots(1, 3, sharey=True)
        for ax, key, name in ((crps, "crps", "CRPS (lower is better)"), (smape, "smape", "sMAPE % (lower is better)")):
            values = [_value(r[key]) for r in rows]
            ax.barh(
                y,
                values,
                color=[BLUE if r["model"] == COMBINED else SKY_BLUE for r in rows],
                edgecolor=BLACK,
                lw=0.6,
                hatch=None,
            )
            for yi, v in zip(y, values, strict=True):
                ax.annotate(
                    f"{v:.3g}" if v == v else "–",
                    (v if v == v else 0, yi),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                )
            ax.set_title(name, fontsize=9)
            ax.margins(x=0.25)
        for offset, key, nominal, marker in ((0.15, "coverage80", 0.8, "o"), (-0.15, "coverage95", 0.95, "s")):
            cover.plot(
                [_value(r[key]) for r in rows],
                [v + offset for v in y],
                marker,
                color=BLACK,
                mfc="white" if key == "coverage80" else BLACK,
                ms=5,
                ls="none",
                label=f"{int(nominal * 100)}% interval",
            )
            cover.axvline(nominal, color=VERMILLION, lw=1.0, ls="--" if key == "coverage80" else ":")
        cover.set_xlim(0, 1.05)
        cover.set_title("coverage (dashed/dotted: nominal)", fontsize=9)
        cover.legend(fontsize=7, loc="lower left", frameon=False)
        crps.set_yticks(y, labels, fontsize=8)
        for ax in (crps, smape, cover):
            ax.grid(axis="x", alpha=0.3)
            ax.tick_params(axis="x", labelsize=7)
        fig.suptitle(title, fontsize=10)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()


def _value(x) -> float:
    return float("nan") if x is None else float(x)


def _count(x) -> str:
    return "–" if x is None else str(int(x))
