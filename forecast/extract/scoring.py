"""Scoring extracted items against hand-checked labels: precision, recall and F1.

An extracted item matches a label when value, year, comparator and unit agree exactly (units after
`normalise_unit`) and the indicator names are similar: one contains the other once spaces and
punctuation are removed (similarity 0.6–1 by the share of
characters covered), or their character-bigram Dice coefficient is at least INDICATOR_MIN; bracketed context in a name
("(生活性服务业)顾客满意度") may be left out of the comparison (at 0.95 of the score).
Matching is one-to-one, most similar pairs first. Qualitative targets have no value: they match
on year and indicator.

Labels written before the comparators "about" (左右) and "avg_growth>=" (年均增长) existed are read
by one rule: a label whose quote states 年均增长/年均提高 counts as "avg_growth>=", one whose quote
states 左右 next to its value counts as "about".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalise import char_normalise, normalise_unit

INDICATOR_MIN = 0.5


def _norm(name: str) -> str:
    return re.sub(r"[\s、,，()（）“”\"'《》…·.\-—:：;；|]", "", char_normalise(str(name or "")))


def indicator_similarity(a: str, b: str) -> float:
    """Similarity of two indicator names; bracketed context ("(生活性服务业)顾客满意度") may be left out."""
    full = _similarity(a, b)
    bare_a, bare_b = (re.sub(r"[(（][^)）]*[)）]", "", str(x or "")) for x in (a, b))
    if (bare_a, bare_b) != (a, b) and _norm(bare_a) and _norm(bare_b):
        return max(full, 0.95 * _similarity(bare_a, bare_b))
    return full


def _similarity(a: str, b: str) -> float:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in b or b in a:  # containment, ranked below an exact match and by how much is shared
        return 0.6 + 0.4 * min(len(a), len(b)) / max(len(a), len(b))
    ga = [a[i : i + 2] for i in range(len(a) - 1)] or [a]
    gb = [b[i : i + 2] for i in range(len(b) - 1)] or [b]
    common, pool = 0, list(gb)
    for g in ga:
        if g in pool:
            pool.remove(g)
            common += 1
    return 2 * common / (len(ga) + len(gb))


def semantic_comparator(label: dict) -> str:
    """The comparator a gold label means, in today's vocabulary (see the module docstring)."""
    comparator = str(label.get("comparator"))
    quote = char_normalise(str(label.get("quote") or ""))
    if comparator == ">=" and re.search(r"年均(增长|提高|提升|递增)", quote):
        return "avg_growth>="
    if comparator in (">=", "<=", "==") and re.search(r"\d\s*\S{0,6}左右", quote):
        return "about"
    return comparator


def _key(item: dict, qualitative: bool):
    year = item.get("year")
    if qualitative:
        return (year,)
    value = item.get("value")
    value = None if value is None else round(float(value), 6)
    return (value, year, item.get("comparator"), normalise_unit(item.get("unit")))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[dict] = field(default_factory=list)  # labels not found
    false_positives: list[dict] = field(default_factory=list)  # extracted items matching no label

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.misses + other.misses,
            self.false_positives + other.false_positives,
        )


def score(
    extracted: list[dict], labels: list[dict], qualitative: bool = False, indicator_min: float = INDICATOR_MIN
) -> Score:
    """One-to-one matching of extracted items to labels (both as plan-file dicts)."""
    labels = [dict(label, comparator=semantic_comparator(label)) for label in labels]
    pairs = []
    for i, e in enumerate(extracted):
        for j, g in enumerate(labels):
            if _key(e, qualitative) != _key(g, qualitative):
                continue
            sim = indicator_similarity(e.get("indicator", ""), g.get("indicator", ""))
            if sim >= indicator_min:
                pairs.append((sim, i, j))
    used_e, used_g = set(), set()
    for sim, i, j in sorted(pairs, key=lambda p: -p[0]):
        if i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
    return Score(
        tp=len(used_e),
        fp=len(extracted) - len(used_e),
        fn=len(labels) - len(used_g),
        misses=[g for j, g in enumerate(labels) if j not in used_g],
        false_positives=[e for i, e in enumerate(extracted) if i not in used_e],
    )
