"""A subset of the bundled CJK font, embedded in the HTML report so Chinese text renders the same on
a machine without CJK fonts, in a headless browser and in the printed PDF. Only the characters the
report uses are kept (tens of kilobytes instead of 16 MB)."""

from __future__ import annotations

import base64
import io

from forecast.report.charts import cjk_font_path

FAMILY = "Report CJK"


def font_face_css(text: str) -> str:
    """An @font-face rule carrying a WOFF subset of the CJK font for the characters of `text`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = {c for c in text if ord(c) > 0x7F} | {chr(c) for c in range(0x20, 0x7F)}
    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed; WOFF2 would need the brotli package
    options.layout_features = ["*"]
    font = TTFont(str(cjk_font_path()))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode()
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: 100 900; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )
