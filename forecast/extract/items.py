"""The shared types: an extracted item (target or baseline) and an extracted plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..schema import Comparator


@dataclass
class Item:
    """One extracted target or baseline, in the plan-file vocabulary."""

    kind: str  # "target" | "baseline"
    indicator: str
    comparator: Comparator
    value: Optional[float]
    unit: str
    year: Optional[int]
    base_year: Optional[int]
    attribute: Optional[str]
    quote: str
    source: str  # "table" | "text"
    block: int  # the paragraph or table it came from (restatements elsewhere are merged)
    note: str = ""
    confidence: float = 0.8
    alt_quotes: list[str] = field(default_factory=list)
    section: str = ""  # the headings it stands under, for the reviewer
    id: str = ""  # given once the plan's items are merged (merging.assign_ids)
    spans: list[tuple[int, int]] = field(default_factory=list)  # where its quotes stand in the document

    def __post_init__(self) -> None:
        self.comparator = Comparator(self.comparator)


@dataclass
class Unread:
    """Part of a table that could not be read: why, its lines as the document has them, and where."""

    why: str
    lines: str
    span: tuple[int, int]


@dataclass
class ExtractedPlan:
    document: Path
    plan_title: Optional[str]
    region: Optional[str]
    issued: Optional[str]
    period: Optional[tuple[int, int]]
    targets: list[Item]
    baselines: list[Item]
    unread: list[Unread] = field(default_factory=list)
    tables: list[tuple[int, int]] = field(default_factory=list)  # document spans of the tables read
    text: str = ""  # the document as read: every quote is a substring of it

    @property
    def numeric_targets(self) -> list[Item]:
        return [t for t in self.targets if t.comparator != Comparator.qualitative]

    @property
    def qualitative_targets(self) -> list[Item]:
        return [t for t in self.targets if t.comparator == Comparator.qualitative]


@dataclass
class Mention:
    """One quantified statement found in a paragraph (spans are paragraph offsets)."""

    start: int
    end: int
    value: float
    unit: str
    comparator: Optional[Comparator]  # None when only the indicator's direction can decide
    indicator: str
    base_year: Optional[int] = None
    year: Optional[int] = None  # a target year stated in the paragraph before the number
    suffix: str = ""
    cue: str = ""
    note: str = ""
    in_list: bool = False
    verb: bool = False  # a target verb (达到, 建成, 下降 …) stands in the clause before the number
    range_hi: Optional[float] = None  # "92%-95%": the upper end (value holds the lower)
    level_year: bool = False  # the year opens the clause ("2023年…达到83.5%"): the time of this level only
