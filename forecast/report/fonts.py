"""The bundled CJK font for the HTML reports, so Chinese text renders the same on a machine without
CJK fonts, in a headless browser and in the printed PDF.

A report folder holds one shared font file (`fonts/report-cjk-<hash>.woff`): a subset with the 3,755
common hanzi of GB 2312 level 1, its punctuation and symbols, ASCII, and the report's own wording.
Every page links it by a relative URL, so a folder of 200 county reports carries the font once, not
200 times. The few characters of a page outside that set (a rare place name) travel inline in the
page as a small second face of the same family, limited to them by `unicode-range`. A page that has
to stand alone (the page printed to PDF) embeds its own subset (`font_face_css`).
"""

from __future__ import annotations

import base64
import hashlib
import io
from functools import lru_cache
from pathlib import Path

from forecast.io import write_atomic
from forecast.report.charts import cjk_font_path

FAMILY = "Report CJK"
FONT_DIR = "fonts"  # beside the pages, in the report folder
COMMON_SET_VERSION = 2  # part of the file name's hash: bump when the set's rule changes
# Latin-1, general punctuation, arrows, maths, circled numbers, shapes, CJK punctuation, full-width forms
SYMBOL_BLOCKS = (
    (0xA0, 0xFF),
    (0x2000, 0x206F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x25FF),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
)


def _subset_woff(chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed; WOFF2 would need the brotli package
    options.layout_features = ["*"]
    font = TTFont(str(cjk_font_path()))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    return buf.getvalue()


def _ascii() -> set[str]:
    return {chr(c) for c in range(0x20, 0x7F)}


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """GB 2312 rows 1–9 (punctuation, symbols, full-width forms) and 16–55 (level 1: the 3,755 common
    hanzi), ASCII, the punctuation, symbol and full-width blocks, and every character of the report's
    fixed wording and templates."""
    from importlib.resources import files

    from forecast.report.text import TEXT

    chars = _ascii()
    for first, last in SYMBOL_BLOCKS:
        chars.update(chr(c) for c in range(first, last + 1))
    for template in files("forecast.report").joinpath("templates").iterdir():
        if template.name.endswith(".j2"):
            chars.update(template.read_text(encoding="utf-8"))
    for row in list(range(1, 10)) + list(range(16, 56)):
        for cell in range(1, 95):
            try:
                chars.add(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for words in TEXT.values():
        chars.update(c for value in words.values() for c in str(value))
    return frozenset(c for c in chars if c.isprintable())


def shared_font_name() -> str:
    """The shared file's name: a hash of the character set and the source font, so a page never links
    a file built from another set."""
    source = cjk_font_path()
    key = f"{COMMON_SET_VERSION}|{source.name}|{source.stat().st_size}|{''.join(sorted(common_chars()))}"
    return f"report-cjk-{hashlib.sha256(key.encode()).hexdigest()[:12]}.woff"


def ensure_shared_font(out_dir: Path) -> Path:
    """The shared font file of `out_dir`, written once (the first page of the folder pays the subset)."""
    path = Path(out_dir) / FONT_DIR / shared_font_name()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _subset_woff("".join(sorted(common_chars()))))
    return path


def _face(src: str, extra: str = "") -> str:
    return f'@font-face {{ font-family: "{FAMILY}"; font-weight: 100 900; src: {src} format("woff");{extra} }}'


def _data_url(data: bytes) -> str:
    return f"url(data:font/woff;base64,{base64.b64encode(data).decode()})"


def font_face_css(text: str) -> str:
    """An @font-face rule carrying a WOFF subset of the CJK font for the characters of `text`: for a
    page that must stand alone."""
    chars = {c for c in text if ord(c) > 0x7F} | _ascii()
    return _face(_data_url(_subset_woff("".join(sorted(chars)))))


def linked_font_css(text: str, url: str) -> str:
    """@font-face rules for a page in a report folder: the shared file at `url` (relative to the page)
    and, only when `text` uses characters outside it, an inline face for those characters alone.
    Chromium checks the later face first for the code points of its `unicode-range`."""
    rules = [_face(f'url("{url}")')]
    rare = sorted({c for c in text if ord(c) > 0x7F and c.isprintable()} - common_chars())
    if rare:
        ranges = ", ".join(f"U+{ord(c):X}" for c in rare)
        rules.append(_face(_data_url(_subset_woff("".join(rare))), f" unicode-range: {ranges};"))
    return "\n".join(rules)
