"""Drawing a report's fan charts through an engine: one task per chart, so a 1,000-target report
draws on every core. `draw_fan_chart` is module-level so worker processes can import it; matplotlib
draws the same bytes for the same input, so the charts are identical whichever engine drew them.

A report's chart is stored as a 64-colour palette PNG (`compact`): a chart has a dozen flat colours and
their anti-aliased edges, so it looks the same at a quarter of the bytes (55 KB -> 15 KB), which
decides whether a province's reports fit in 1 GB."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from forecast.report.charts import fan_chart_png

PALETTE = 64  # colours of a report chart


def compact(png: bytes) -> bytes:
    """The PNG with its colours reduced to `PALETTE` (no dithering: flat areas stay flat)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(PALETTE, dither=Image.Dither.NONE).save(
        out, "PNG", optimize=True
    )
    return out.getvalue()


def draw_fan_chart(key: str, args: dict, labels: dict) -> bytes:
    """One chart: `args` are `fan_chart_png`'s arguments but the labels, which every chart shares."""
    return compact(fan_chart_png(**args, labels=labels))


def draw_fan_charts(requests: Mapping[str, dict], labels: dict, engine: Optional[Any] = None) -> dict[str, bytes]:
    """{key: PNG bytes} for every request; in this process without an engine."""
    if engine is None:
        return {key: draw_fan_chart(key, args, labels) for key, args in requests.items()}
    return engine.map(draw_fan_chart, requests, labels)
