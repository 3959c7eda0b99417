"""Reading plan documents into one text: plain text, HTML and .docx.

The text returned is "the document as read": every quote the extractor writes is a substring of it.
Paragraphs become lines; a table row of HTML or .docx becomes one line with its cells joined by
CELL_SEP, so a row stays a row and a reviewer finds a quoted cell with Ctrl-F.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CELL_SEP = " | "
SUPPORTED = (".txt", ".text", ".md", ".htm", ".html", ".docx")


class ExtractError(Exception):
    """A document that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Document:
    path: Path
    text: str
    kind: str  # "text" | "html" | "docx"


def read_document(path: Path) -> Document:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ExtractError(f"{path}: no such file")
    if suffix not in SUPPORTED:
        raise ExtractError(
            f"{path}: unsupported document type {suffix or '(none)'}; expected one of {', '.join(SUPPORTED)}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if suffix == ".docx":
        return Document(path, _docx_text(path, data), "docx")
    text = _without_pinyin(_decode(path, data))
    if suffix in (".htm", ".html"):
        return Document(path, _html_text(text), "html")
    return Document(path, text.replace("\r\n", "\n").replace("\r", "\n"), "text")


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, the superset of GBK/GB2312 that Chinese sites use."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ExtractError(f"{path}: not a text document in UTF-8 or GB18030")


# Pinyin a mirror site writes after characters ("產(chǎn)品", "穩(wěn)定"): a tone-marked syllable in brackets
# right after a Chinese character. It is no part of the plan; reading drops it, as it drops markup.
PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-züａ-ｚ]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-züａ-ｚ]*[)）]")


def _without_pinyin(text: str) -> str:
    return PINYIN.sub("", text)


_BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "article", "title")


def _html_text(markup: str) -> str:
    from bs4 import BeautifulSoup  # html.parser: the standard library's, no compiled dependency

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    lines: list[str] = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        rows = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            cells = [_squash(td.get_text(" ")) for td in tr.find_all(["td", "th"], recursive=False)]
            if any(cells):
                rows.append(CELL_SEP.join(cells))
        table.replace_with(soup.new_string("\n" + "\n".join(rows) + "\n"))
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for raw in soup.get_text().splitlines():
        line = raw if CELL_SEP in raw else _squash(raw)
        if line.strip():
            lines.append(line.strip())
    return "\n".join(lines) + "\n"


def _docx_text(path: Path, data: bytes) -> str:
    import io
    import zipfile

    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractError(f"{path}: not a readable .docx file ({exc})") from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _squash(Paragraph(block, document).text)
            if text:
                lines.append(text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells, previous = [], None
                for cell in row.cells:
                    if cell._tc is previous:  # a merged cell is reported once per grid column
                        continue
                    previous = cell._tc
                    cells.append(_squash(cell.text))
                if any(cells):
                    lines.append(CELL_SEP.join(cells))
    return "\n".join(lines) + "\n"


def _squash(text: str) -> str:
    """One line; spaces between two Chinese characters are markup breaks (<p>, <br>), not words."""
    text = re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u3000", " ")).strip()
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)
