"""The fan chart as SVG text: well-formed whatever the numbers and names, every mark inside the
picture, names as text (never markup), the same text for the same input."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.report.fan_chart import HEIGHT, WIDTH, fan_chart_svg, nice_ticks, tick_text
from forecast.report.text import TEXT

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ("0.025", "0.1", "0.5", "0.9", "0.975")


def chart(**changes) -> str:
    args = dict(
        title="食品抽检合格率",
        unit="%",
        history={2018: 80.0, 2019: 82.5, 2020: 83.1},
        fan={2021: dict(zip(LEVELS, (78.0, 80.0, 84.0, 87.0, 89.0), strict=True))},
        threshold=85.0,
        sense=">=",
        target_year=2021,
        actual=None,
        labels=TEXT["zh"],
        start=(2020, 83.1),
    )
    args.update(changes)
    return fan_chart_svg("1", **args)


def coordinates(root: ET.Element) -> list[float]:
    """Every x/y the chart places a mark at (points of lines and areas, circles, rectangles, text)."""
    out: list[float] = []
    for el in root.iter():
        for pair in (el.get("points") or "").split():
            out += [float(v) for v in pair.split(",")]
        out += [float(el.get(a)) for a in ("x", "y", "cx", "cy", "x1", "x2", "y1", "y2") if el.get(a) is not None]
    return out


def test_a_chart_draws_each_element_with_its_legend_entry():
    root = ET.fromstring(chart(actual=86.0))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    labels = TEXT["zh"]
    for key in ("p95", "p80", "median", "history", "required_path"):
        assert labels[key] in texts, key
    assert f"{labels['target']} ≥ 85" in texts and f"{labels['actual']} 86" in texts
    assert "食品抽检合格率" in texts and "%" in texts and "2021" in texts
    assert root.find(f"{SVG}title").text == "食品抽检合格率"
    assert len(root.findall(f".//{SVG}circle")) == 3 + 1  # one per observed year, one in the legend


def test_names_are_text_not_markup():
    svg = chart(title='<script>alert(1)</script> & "$\\alpha^$"', unit="<b>")
    root = ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg and root.find(f".//{SVG}script") is None
    assert '<script>alert(1)</script> & "$\\alpha^$"' in [t.text for t in root.iter(f"{SVG}text")]


def test_the_same_input_draws_the_same_text_and_keys_keep_patterns_apart():
    assert chart() == chart()
    one, two = fan_chart_svg("1", **_args()), fan_chart_svg("2", **_args())
    assert 'id="hatch95-1"' in one and 'id="hatch95-2"' in two and "url(#hatch95-2)" in two


def _args():
    return dict(
        title="t",
        unit="",
        history={2019: 1.0, 2020: 2.0},
        fan={2021: dict.fromkeys(LEVELS, 2.5)},
        threshold=None,
        sense=None,
        target_year=None,
        actual=None,
        labels=TEXT["en"],
    )


def test_ticks_are_round_and_labelled_with_the_decimals_their_step_needs():
    assert nice_ticks(0.3, 9.7, 6) == [2.0, 4.0, 6.0, 8.0]
    assert nice_ticks(2014.5, 2025.5, 8, integer=True) == [2016.0, 2018.0, 2020.0, 2022.0, 2024.0]
    assert [tick_text(v, 2.5) for v in (92.5, 95.0)] == ["92.5", "95.0"]
    assert tick_text(0.25, 0.25) == "0.25" and tick_text(-0.0, 1.0) == "0"


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    history=st.dictionaries(st.integers(1990, 2030), finite, max_size=15),
    fan_values=st.lists(st.lists(finite, min_size=5, max_size=5), max_size=6),
    threshold=st.none() | finite,
    actual=st.none() | finite,
    target_year=st.none() | st.integers(1990, 2040),
    title=st.text(max_size=80),
)
def test_any_numbers_and_names_give_a_well_formed_chart_inside_its_frame(
    history, fan_values, threshold, actual, target_year, title
):
    # XML 1.0 cannot hold most control characters; report names reach the chart already cleaned of them
    title = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", title)
    last = max(history) if history else 2020
    fan = {last + 1 + i: dict(zip(LEVELS, sorted(v), strict=True)) for i, v in enumerate(fan_values)}
    start = (last, history[last]) if history else None
    svg = fan_chart_svg("k", title, "%", history, fan, threshold, ">=", target_year, actual, TEXT["zh"], start=start)
    root = ET.fromstring(svg)
    points = coordinates(root)
    assert all(math.isfinite(v) for v in points)
    assert all(-WIDTH <= v <= 2 * WIDTH for v in points)  # legend samples use offsets; nothing flies off
    plotted = [
        float(c)
        for el in root.findall(f"{SVG}polyline")  # the plotted lines, not the legend's samples
        for pair in el.get("points").split()
        for c in pair.split(",")[1:]
        if el.get("stroke") == "#000000"
    ]
    assert all(0 <= y <= HEIGHT for y in plotted)  # the history lies inside the picture
