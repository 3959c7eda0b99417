"""Reviewing an extracted plan in one look: a table of what was found (for the terminal) and a page
that shows the document with every extracted quote highlighted and every table read outlined.

Everything taken from the document is escaped on the page; the page loads nothing from elsewhere.
"""

from __future__ import annotations

import html
import unicodedata

from .items import ExtractedPlan, Item

COLUMNS = ("id", "indicator", "comparator", "value", "unit", "year", "source", "confidence")


def review_rows(plan: ExtractedPlan) -> list[dict]:
    """One row per target and baseline, in the order of the plan file."""
    rows = []
    for item in plan.targets + plan.baselines:
        rows.append(
            {
                "id": item.id,
                "indicator": item.indicator,
                "comparator": item.comparator.value,
                "value": "" if item.value is None else f"{item.value:g}",
                "unit": item.unit,
                "year": "" if item.year is None else str(item.year),
                "source": f"{item.source}" + (" (baseline)" if item.kind == "baseline" else ""),
                "confidence": f"{item.confidence:.2f}",
            }
        )
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, limit: int = 28) -> str:
    if _width(text) > limit:  # long names are cut for the terminal; the plan file keeps them whole
        out = ""
        for ch in text:
            if _width(out + ch) > limit - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - _width(text))


def review_table(plan: ExtractedPlan) -> str:
    """The plain-text table `forecast plan extract` prints, columns aligned for CJK text."""
    rows = review_rows(plan)
    if not rows:
        return "nothing found"
    limit = {c: (60 if c == "id" else 28) for c in COLUMNS}  # ids whole: the reviewer looks them up
    widths = {c: min(limit[c], max([_width(c)] + [_width(r[c]) for r in rows])) for c in COLUMNS}
    lines = ["  ".join(_cell(c, widths[c], limit[c]) for c in COLUMNS).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in COLUMNS))
    lines += ["  ".join(_cell(r[c], widths[c], limit[c]) for c in COLUMNS).rstrip() for r in rows]
    for unread in plan.unread:
        lines.append(f"not read: {unread.why}: {' / '.join(unread.lines.split())}")
    return "\n".join(lines)


STYLE = """
body { font-family: sans-serif; margin: 1.5em; max-width: 60em; }
table.items { border-collapse: collapse; margin-bottom: 2em; font-size: 90%; }
table.items td, table.items th { border: 1px solid #999; padding: 2px 6px; text-align: left; }
.doc { white-space: pre-wrap; line-height: 1.6; border-top: 1px solid #999; padding-top: 1em; }
.table { outline: 2px solid #0072B2; outline-offset: 2px; margin: 4px 0; }
mark { background: #F0E442; }
mark.baseline { background: #9ad0f5; }
.unread { background: #f5b7a3; }
"""


def _marks(plan: ExtractedPlan) -> list[tuple[int, int, Item]]:
    out = []
    for item in plan.targets + plan.baselines:
        spans = list(item.spans)
        for quote in item.alt_quotes:  # restatements merged in later runs may carry no span
            at = plan.text.find(quote)
            if at >= 0 and (at, at + len(quote)) not in spans:
                spans.append((at, at + len(quote)))
        out.extend((a, b, item) for a, b in spans if 0 <= a < b <= len(plan.text))
    return out


def review_html(plan: ExtractedPlan) -> str:
    """A self-contained page: the items found, then the document with quotes and tables marked."""
    text = plan.text
    marks = _marks(plan)
    tables = [(a, b) for a, b in plan.tables if 0 <= a < b <= len(text)]
    unread = [u.span for u in plan.unread]
    cuts = sorted(
        {0, len(text)} | {p for a, b, _ in marks for p in (a, b)} | {p for span in tables + unread for p in span}
    )
    body: list[str] = []
    open_table = False
    first_mark: set[str] = set()
    for a, b in zip(cuts, cuts[1:]):
        in_table = any(s <= a and b <= e for s, e in tables)
        if in_table != open_table:
            body.append('<div class="table">' if in_table else "</div>")
            open_table = in_table
        segment = html.escape(text[a:b])
        here = [item for s, e, item in marks if s <= a and b <= e]
        if here:
            ids = " ".join(dict.fromkeys(item.id for item in here))
            kind = "baseline" if all(item.kind == "baseline" for item in here) else "target"
            anchors = ""  # one jump target per item, where its first quote starts
            for item in here:
                if item.id not in first_mark:
                    first_mark.add(item.id)
                    anchors += f'<a id="q-{html.escape(item.id, quote=True)}"></a>'
            segment = f'{anchors}<mark class="{kind}" title="{html.escape(ids, quote=True)}">{segment}</mark>'
        elif any(s <= a and b <= e for s, e in unread):
            segment = f'<span class="unread" title="not read">{segment}</span>'
        body.append(segment)
    if open_table:
        body.append("</div>")
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(r[c])}</td>" for c in COLUMNS)
        + f'<td><a href="#q-{html.escape(r["id"], quote=True)}">quote</a></td></tr>'
        for r in review_rows(plan)
    )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS) + "<th></th>"
    unread_list = "".join(f"<li>{html.escape(u.why)}: <code>{html.escape(u.lines)}</code></li>" for u in plan.unread)
    title = html.escape(plan.plan_title or plan.document.name)
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{title}: extracted targets</title><style>{STYLE}</style></head><body>"
        f"<h1>{title}</h1><p>{len(plan.numeric_targets)} numeric targets, {len(plan.qualitative_targets)} "
        f"qualitative, {len(plan.baselines)} baselines, {len(tables)} tables read. Highlighted: every quote "
        f"(yellow: target, blue: baseline); outlined: every table read; red: table rows not read.</p>"
        f'<table class="items"><tr>{head}</tr>{rows}</table>'
        + (f"<h2>Not read</h2><ul>{unread_list}</ul>" if unread_list else "")
        + f'<div class="doc">{"".join(body)}</div></body></html>\n'
    )
