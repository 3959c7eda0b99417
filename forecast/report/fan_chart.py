"""A target's fan chart as SVG text: history, median, 80/95% bands, the target line and year, the
path the target requires and the outcome. Drawing only; no fitting.

Written as SVG elements rather than through matplotlib because a report draws one chart per target
and a province has 20,000 of them: matplotlib takes ~0.12 s a chart whatever it writes (PNG 0.13 s,
SVG 0.11 s, measured in experiments/scale), this takes about a millisecond, and the text stays text.
In the HTML report (and the PDF printed from it) the chart is inline, so its Chinese is drawn with the
page's own CJK font; a Markdown chart file falls back to the viewer's system fonts (FONT_STACK).

Colours are from the Okabe–Ito palette and every element also differs by line style, marker or
hatch, so the chart reads in black-and-white print. The same input gives the same text.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Optional
from xml.sax.saxutils import escape

from forecast.report.charts import BAND80, BAND95, BLACK, BLUE, ORANGE, PURPLE, SKY_BLUE, VERMILLION, required_path

# The report page's font first, then the CJK fonts a planner's machine has.
FONT_STACK = (
    "'Report CJK', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', SimHei, sans-serif"
)
WIDTH, HEIGHT = 660, 360
LEFT, RIGHT, BOTTOM = 60, 530, 326  # plot area edges; the legend is right of RIGHT
TITLE_LINE = 15
SENSE_SIGN = {">=": "≥", "<=": "≤"}
# Each line's stroke (colour, width, dash), shared by the plot and its legend sample.
MEDIAN, HISTORY, TARGET, REQUIRED = (
    (BLUE, 1.8, "6,4"),
    (BLACK, 1.6, None),
    (VERMILLION, 1.4, "8,3,2,3"),
    (PURPLE, 2.0, "2,3"),
)
SAMPLE = "0,-3 20,-3"  # a legend sample's line, left of its label


@dataclass(frozen=True)
class Scale:
    """Data to page coordinates over [lo, hi] -> [start, end]."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, v: float) -> float:
        return self.start + (v - self.lo) / (self.hi - self.lo) * (self.end - self.start)


def nice_ticks(lo: float, hi: float, most: int, integer: bool = False) -> list[float]:
    """At most `most` + 1 round ticks inside [lo, hi] (steps 1, 2, 2.5, 5 × 10^k)."""
    from matplotlib.ticker import MaxNLocator  # the tick rule every matplotlib chart uses

    ticks = MaxNLocator(nbins=most, steps=[1, 2, 2.5, 5, 10], integer=integer).tick_values(lo, hi)
    return [float(t) for t in ticks if lo - 1e-9 * (hi - lo) <= t <= hi + 1e-9 * (hi - lo)]


def tick_text(value: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (2.5 needs one, 0.25 two)."""
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


def _limits(values: list[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.06 or max(abs(lo) * 0.05, 1.0)
    return lo - pad, hi + pad


def _points(xs, ys, sx: Scale, sy: Scale) -> str:
    return " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in zip(xs, ys, strict=True))


def _star(cx: float, cy: float, r: float) -> str:
    corners = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.42
        angle = math.pi / 2 + k * math.pi / 5
        corners.append(f"{cx + radius * math.cos(angle):.1f},{cy - radius * math.sin(angle):.1f}")
    return " ".join(corners)


def _text(x: float, y: float, content: str, size: float, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def fan_chart_svg(
    key: str,
    title: str,
    unit: str,
    history: dict[int, float],
    fan: dict[int, dict[str, float]],
    threshold: Optional[float],
    sense: Optional[str],
    target_year: Optional[int],
    actual: Optional[float],
    labels: dict[str, str],
    start: Optional[tuple[int, float]] = None,
) -> str:
    """The chart as an `<svg>` element. `key` makes its pattern id unique in a page of charts; `start`
    (year, value) is where the required path begins: the latest annual value the assessment used."""
    years = sorted(history)
    fy = sorted(fan)
    join = ([years[-1]] if years else []) + fy  # the fan starts from the last observed value
    last = [history[years[-1]]] if years else []

    def col(level: str) -> list[float]:
        return last + [fan[y][level] for y in fy]

    required: tuple[list[int], list[float]] = ([], [])
    if start is not None and threshold is not None and target_year is not None and target_year > start[0]:
        required = required_path(start, threshold, target_year)
    xs = years + fy + required[0] + ([target_year] if target_year is not None else [])
    ys = [history[y] for y in years] + (col("0.025") + col("0.975") if fy else []) + required[1]
    ys += [v for v in (threshold, actual) if v is not None]
    if not xs or not ys:
        xs, ys = xs or [0], ys or [0.0]

    title_lines = textwrap.wrap(title, 58 if title.isascii() else 32) or [""]
    top = 14 + TITLE_LINE * len(title_lines)
    x_lo, x_hi = min(xs), max(xs)
    sx = Scale(x_lo - 0.5, x_hi + 0.5, LEFT, RIGHT)
    sy = Scale(*_limits(ys), BOTTOM, top)
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" font-family="{FONT_STACK}">',
        f"<title>{escape(title)}</title>",
        f'<defs><pattern id="hatch95-{escape(key)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="{SKY_BLUE}" '
        f'stroke-width="1.2"/></pattern></defs>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    out += [_text(WIDTH / 2, 18 + TITLE_LINE * i, line, 13, "middle") for i, line in enumerate(title_lines)]

    y_ticks = nice_ticks(sy.lo, sy.hi, 6)
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    x_ticks = nice_ticks(x_lo, x_hi, 8, integer=True)
    grid = [f'<line x1="{LEFT}" x2="{RIGHT}" y1="{sy(t):.1f}" y2="{sy(t):.1f}"/>' for t in y_ticks]
    grid += [f'<line x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{top}" y2="{BOTTOM}"/>' for t in x_ticks]
    out.append(f'<g stroke="#000000" stroke-opacity="0.15" stroke-width="0.8">{"".join(grid)}</g>')

    legend: list[tuple[str, str]] = []  # (sample element, label) in drawing order
    if fy:
        band95 = _points(join + join[::-1], col("0.025") + col("0.975")[::-1], sx, sy)
        band80 = _points(join + join[::-1], col("0.1") + col("0.9")[::-1], sx, sy)
        # Opaque tints under the hatching, so the two bands print as two distinct greys.
        out.append(f'<polygon points="{band95}" fill="{BAND95}"/>')
        out.append(f'<polygon points="{band95}" fill="url(#hatch95-{escape(key)})"/>')
        out.append(f'<polygon points="{band80}" fill="{BAND80}"/>')
        out.append(_polyline(_points(join, col("0.5"), sx, sy), *MEDIAN))
        legend += [
            (
                f'<rect width="20" height="9" y="-7" fill="{BAND95}" stroke="{SKY_BLUE}" stroke-width="0.6"/>',
                labels["p95"],
            ),
            (f'<rect width="20" height="9" y="-7" fill="{BAND80}"/>', labels["p80"]),
            (_polyline(SAMPLE, *MEDIAN), labels["median"]),
        ]
    if years:
        out.append(_polyline(_points(years, [history[y] for y in years], sx, sy), *HISTORY))
        out.append(
            f'<g fill="{BLACK}">'
            + "".join(f'<circle cx="{sx(y):.1f}" cy="{sy(history[y]):.1f}" r="2.6"/>' for y in years)
            + "</g>"
        )
        legend.append(
            (
                _polyline(SAMPLE, *HISTORY) + f'<circle cx="10" cy="-3" r="2.6" fill="{BLACK}"/>',
                labels["history"],
            )
        )
    if threshold is not None:
        y = f"{sy(threshold):.1f}"
        out.append(_polyline(f"{LEFT},{y} {RIGHT},{y}", *TARGET))
        sign = SENSE_SIGN.get(sense or "", sense or "")
        legend.append(
            (
                _polyline(SAMPLE, *TARGET),
                f"{labels['target']} {sign} {threshold:g}".replace("  ", " "),
            )
        )
    if required[0]:
        out.append(_polyline(_points(*required, sx, sy), *REQUIRED))
        squares = "".join(_square(sx(x), sy(v)) for x, v in zip(*required, strict=True))
        out.append(f'<g fill="{PURPLE}" stroke="{BLACK}" stroke-width="0.7">{squares}</g>')
        legend.append(
            (
                _polyline(SAMPLE, *REQUIRED)
                + f'<g fill="{PURPLE}" stroke="{BLACK}" stroke-width="0.7">{_square(10, -3)}</g>',
                labels["required_path"],
            )
        )
    if target_year is not None:
        x = f"{sx(target_year):.1f}"
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{top}" y2="{BOTTOM}" stroke="#555555" stroke-width="0.9" stroke-dasharray="1,3"/>'
        )
        out.append(_text(sx(target_year) + 3, top + 10, str(target_year), 9, extra=' fill="#333333"'))
    if actual is not None and target_year is not None:
        star = _star(sx(target_year), sy(actual), 8)
        out.append(f'<polygon points="{star}" fill="{ORANGE}" stroke="{BLACK}" stroke-width="0.7"/>')
        legend.append(
            (
                f'<polygon points="{_star(10, -3, 7)}" fill="{ORANGE}" stroke="{BLACK}" stroke-width="0.7"/>',
                f"{labels['actual']} {actual:g}",
            )
        )

    out.append(
        f'<rect x="{LEFT}" y="{top}" width="{RIGHT - LEFT}" height="{BOTTOM - top}" fill="none" stroke="#000000" stroke-width="0.8"/>'
    )
    ticks = [_text(LEFT - 5, sy(t) + 3.5, tick_text(t, y_step), 10, "end") for t in y_ticks]
    ticks += [_text(sx(t), BOTTOM + 14, f"{t:.0f}", 10, "middle") for t in x_ticks]
    out.append("".join(ticks))
    if unit:
        middle = (top + BOTTOM) / 2
        out.append(_text(14, middle, unit, 11, "middle", f' transform="rotate(-90 14 {middle:.1f})"'))
    legend_top = (top + BOTTOM) / 2 - 18 * (len(legend) - 1) / 2  # centred beside the plot, as matplotlib's
    entries = [
        f'<g transform="translate({RIGHT + 8},{legend_top + 18 * i})">{sample}{_text(25, 0, label, 10)}</g>'
        for i, (sample, label) in enumerate(legend)
    ]
    out.append("".join(entries))
    out.append("</svg>")
    return "".join(out)


def _square(cx: float, cy: float) -> str:
    return f'<rect x="{cx - 2.6:.1f}" y="{cy - 2.6:.1f}" width="5.2" height="5.2"/>'


def _polyline(points: str, colour: str, width: float, dash: Optional[str] = None) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{width}"{dashes} '
        f'stroke-linejoin="round"/>'
    )
