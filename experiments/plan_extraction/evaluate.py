"""Extract every labelled plan document of one or more sets and score the result against its labels.

    .venv/bin/python experiments/plan_extraction/evaluate.py [--set NAME ...] [--errors FILE]
        [--perturb width|wrap] [--indicator-min X]
    .venv/bin/python experiments/plan_extraction/evaluate.py --gold DIR --text DIR   # any other folder

Sets (see README): `real` = the three real plans (development documents), `holdout_a` = the
authored held-out excerpts, `holdout_a_html` = the same labels scored on the HTML rendering where
one exists, `holdout_b` = the second held-out set, `web` = real plan pages collected from the web
(experiments/plan_extraction/real/). Without --set every set
that is present is scored. Prints one table per set (precision, recall and F1 per document and
overall for numeric targets, qualitative targets and baselines) and writes every miss and false
positive to --errors for inspection.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

import yaml

from forecast.extract import extract_plan
from forecast.extract.scoring import INDICATOR_MIN, Score, score
from forecast.extract.writing import item_dict

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "data" / "plans"
KINDS = ("numeric", "qualitative", "baselines")

# name -> (label folder, document folder, label key naming the document). A label file names its
# document under `document`; an authored set may also name an HTML rendering under `document_html`.
SETS = {
    "real": (SHARED / "gold", SHARED / "text", "document"),
    "holdout_a": (HERE / "holdout", HERE / "holdout", "document"),
    "holdout_a_html": (HERE / "holdout", HERE / "holdout", "document_html"),
    "holdout_b": (HERE / "holdout_b", HERE / "holdout_b", "document"),
    "web": (HERE / "real", HERE / "real", "document"),  # real published pages (real/README.md)
}


# The same documents as a different web page or word processor would give them: full-width digits,
# letters and punctuation, and GB18030 bytes. A rule that only works on one spelling fails here.
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789%,;:()<>abcdefghijklmnopqrstuvwxyz"})


WRAP = 36  # characters per line when a copy is hard-wrapped, as text taken from a PDF is


def _wrap(line: str) -> str:
    if len(line) <= WRAP or re.search(r"\S\s{2,}\S", line.strip()):
        return line  # short lines and table rows laid out in columns stay as they are
    return "\n".join(line[i : i + WRAP] for i in range(0, len(line), WRAP))


def perturbed_copy(source: Path, folder: Path, how: str) -> Path:
    """A copy of `source`: 'width' = full-width characters in GB18030 bytes; 'wrap' = prose hard-wrapped."""
    text = source.read_text(encoding="utf-8")
    out = folder / source.name
    if how == "width":
        if source.suffix.lower() in (".htm", ".html"):  # the page's text, not its markup
            wide = re.sub(r">[^<]+<", lambda m: m.group(0)[0] + m.group(0)[1:-1].translate(FULL_WIDTH) + "<", text)
        else:
            wide = text.translate(FULL_WIDTH)
        out.write_bytes(wide.encode("gb18030"))
    else:
        out.write_text("\n".join(_wrap(line) for line in text.split("\n")), encoding="utf-8")
    return out


def evaluate(
    gold_dir: Path,
    text_dir: Path,
    perturb: str | None = None,
    indicator_min: float = INDICATOR_MIN,
    key: str = "document",
) -> dict[str, dict[str, Score]]:
    import tempfile

    results: dict[str, dict[str, Score]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="plan-extraction-"))
    for gold_path in sorted(gold_dir.glob("*.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or not gold.get(key):
            continue  # not a label file, or no document of this kind
        source = text_dir / gold[key]
        plan = extract_plan(perturbed_copy(source, tmp, perturb) if perturb else source)
        targets = [item_dict(t) for t in plan.targets]
        baselines = [item_dict(b) for b in plan.baselines]
        labels = gold.get("targets") or []
        results[source.name if key != "document" else gold_path.stem] = {
            "numeric": score(
                [t for t in targets if t["comparator"] != "qualitative"],
                [g for g in labels if g["comparator"] != "qualitative"],
                indicator_min=indicator_min,
            ),
            "qualitative": score(
                [t for t in targets if t["comparator"] == "qualitative"],
                [g for g in labels if g["comparator"] == "qualitative"],
                qualitative=True,
                indicator_min=indicator_min,
            ),
            "baselines": score(baselines, gold.get("baselines") or [], indicator_min=indicator_min),
        }
    return results


def table(results: dict[str, dict[str, Score]]) -> str:
    lines = [
        "| document | kind | labels | extracted | TP | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        total = Score()
        for doc, scores in results.items():
            s = scores[kind]
            total = total + s
            if s.tp + s.fp + s.fn == 0:
                lines.append(f"| {doc} | {kind} | 0 | 0 | 0 | – | – | – |")
                continue
            lines.append(
                f"| {doc} | {kind} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | "
                f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"
            )
        lines.append(
            f"| **all** | **{kind}** | {total.tp + total.fn} | {total.tp + total.fp} | {total.tp} | "
            f"**{total.precision:.3f}** | **{total.recall:.3f}** | **{total.f1:.3f}** |"
        )
    return "\n".join(lines)


def errors(results: dict[str, dict[str, Score]]) -> str:
    out = []
    for doc, scores in results.items():
        for kind in KINDS:
            s = scores[kind]
            out.append(f"## {doc} {kind}: {len(s.misses)} missed, {len(s.false_positives)} false positives\n")
            for label in s.misses:
                out.append(
                    f"- MISSED  {label.get('comparator')} {label.get('value')} {label.get('unit') or ''} "
                    f"y={label.get('year')} | {label.get('indicator')} | {label.get('quote')}"
                )
            for item in s.false_positives:
                out.append(
                    f"- EXTRA   {item.get('comparator')} {item.get('value')} {item.get('unit') or ''} "
                    f"y={item.get('year')} | {item.get('indicator')} | {item.get('quote')}"
                )
            out.append("")
    return "\n".join(out)


def present_sets() -> list[str]:
    return [
        name
        for name, (gold, _, key) in SETS.items()
        if gold.is_dir() and any(_names(p, key) for p in gold.glob("*.yaml"))
    ]


def _names(path: Path, key: str) -> bool:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and bool(data.get(key))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        choices=sorted(SETS),
        help="a document set to score (repeatable); default: every set present",
    )
    parser.add_argument("--gold", type=Path, help="score this label folder instead of the named sets")
    parser.add_argument("--text", type=Path, help="the documents of --gold (default: the same folder)")
    parser.add_argument("--errors", type=Path, default=HERE / "errors.md")
    parser.add_argument(
        "--perturb",
        choices=("width", "wrap"),
        help="score altered copies instead: 'width' = full-width characters in GB18030, "
        "'wrap' = prose hard-wrapped every 36 characters",
    )
    parser.add_argument(
        "--indicator-min",
        type=float,
        default=INDICATOR_MIN,
        help="indicator similarity a match needs (1.0: the same name after normalisation)",
    )
    args = parser.parse_args(argv)
    if args.gold is not None:
        runs = {str(args.gold): (args.gold, args.text or args.gold, "document")}
    else:
        names = args.sets or present_sets()
        missing = [n for n in names if not SETS[n][0].is_dir()]
        if missing:
            parser.error(f"set(s) not present: {', '.join(missing)} (expected {SETS[missing[0]][0]})")
        runs = {n: SETS[n] for n in names}
    report = ["# Misses and false positives\n"]
    for name, (gold, text, key) in runs.items():
        started = time.perf_counter()
        results = evaluate(gold, text, perturb=args.perturb, indicator_min=args.indicator_min, key=key)
        elapsed = time.perf_counter() - started
        print(f"\n### {name}\n")
        print(table(results))
        print(
            f"\n{len(results)} documents in {elapsed:.2f} s on {platform.machine()} / "
            f"Python {platform.python_version()}"
        )
        report.append(f"# Set {name}\n\n" + errors(results))
    args.errors.write_text("\n".join(report), encoding="utf-8")
    print(f"\nmisses and false positives: {args.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
