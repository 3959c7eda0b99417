"""Where a paragraph stands in the plan: its section (targets, status quo or tasks) and the year
that governs a target stated without one.

Chinese plans number their headings 第一章 / 一、 / (一) / 1. / (1); a heading may carry the first
sentence of its section on the same line ("(二)发展目标。到2020年, …"). A section whose heading names
目标 states targets, and inside it a target without a year takes the last "到20XX年" stated in the
section (or the end of the plan period); a section about the present state (现状, 成就, 回顾) states
baselines, for the year it names or the end of the five-year plan it looks back on ("十二五" → 2015).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

HEADING_LEVELS = [
    (0, re.compile(r"^第[一二三四五六七八九十百]+[章篇部分]")),
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[(（][一二三四五六七八九十]+[)）]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^[(（]\d{1,2}[)）]")),
]
UNNUMBERED = re.compile(r"(?:目标|主要指标|现状|基础|形势|任务|措施|原则|思想|举措|保障)$")
INLINE_L1 = re.compile(r"[一二三四五六七八九十]+、")
GOAL_WORDS = re.compile(r"目标|指标$")  # "发展目标", "主要指标" (not "完善统计指标体系")
TASK_WORDS = re.compile(r"夯实|加强|强化|筑牢|提升|完善|推进|推动|健全|打造")  # "夯实质量发展基础" is a task
STATUS_WORDS = re.compile(r"现状|回顾|成就|成效|取得的|基本情况|发展基础|工作基础|现实基础|基础条件|进展")
FIVE_YEAR = {"十五": 2005, "十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
FIVE_YEAR_RE = re.compile(r"(十[一二三四五]?五)")
TITLE_LINE = re.compile(r"^(专栏|表)\s*\d*")
YEAR_RANGE = re.compile(r"(\d{4})\s*[-—–~～至]\s*(\d{4})\s*年")


# A paragraph that announces targets without a heading of its own ("《意见》明确主要目标,到2027年,",
# "2026年具体目标是:", "规划提出的具体量化指标还包括:", "《方案》提出,到2020年,") opens a target passage;
# list items right after it ("一是…", "——…") continue it. "以…为目标" (the aim of a task) does not.
TARGET_INTRO = re.compile(
    r"(?:(?P<year>20\d\d)\s*年(?:底|末)?的?\s*)?(?:主要|具体|总体|发展|创建|工作|阶段性?)目标(?:任务)?"
    r"(?:是|为|如下)?\s*[:：,，]|(?<![以为])目标(?:是|为|如下)\s*[:：]|(?:指标|目标)还?(?:包括|主要有|有)\s*[:：]|"
    r"(?:提出|明确|要求|确定)\s*了?\s*[,，:：]?\s*(?:到|至)\s*(?P<year2>20\d\d)\s*年|"
    r"^\s*(?:到|至)\s*(?P<year3>20\d\d)\s*年(?:底|末)?\s*[,，]"
)  # a paragraph opening "到2025年,"
CONTINUES = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|——|[•●◆■▲])")
# ... and so does a paragraph that goes on stating levels ("…合格率达到98%以上"), as a list of targets
# broken into paragraphs (or hard-wrapped lines) does.
STATES_LEVEL = re.compile(r"(?:达到|达|不低于|不少于|稳定在|保持在|控制在|超过|提高到|降至|降到)\s*\d")


# Years a sentence names that are not "when": a comparison base (较2015年, 在2015年基础上), the start
# of a span looking back (自2016年以来, 2013年以来), a range and titles of other documents.
NOT_WHEN = re.compile(
    r"《[^》]*》|(?:较|比|与|相对于|在)\s*\d{4}\s*年(?:末|底)?|自?\s*\d{4}\s*年\s*以来|自\s*\d{4}\s*年|"
    r"\d{4}\s*年?\s*[-—–~～至]\s*\d{4}\s*年"
)


def stated_years(text: str) -> list[int]:
    """The years `text` states as the time of what it reports ("2020年，合格率为98%，较2015年提高2个
    百分点" → [2020])."""
    return [int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", NOT_WHEN.sub("", text))]


def heading_levels(line: str) -> list[tuple[int, str]]:
    """The headings a line opens: [(level, title)], possibly two for '第一章 …一、…'."""
    s = line.strip()
    for level, rx in HEADING_LEVELS:
        if rx.match(s):
            title = re.split(r"[。:：]", s, maxsplit=1)[0][:40]
            found = [(level, title)]
            if level == 0 and len(s) <= 40:
                inline = INLINE_L1.search(s, rx.match(s).end())
                if inline:
                    found = [(0, s[: inline.start()]), (1, s[inline.start() :])]
            return found
    # An unnumbered heading line ("主要目标", "发展现状与形势", "重点任务"), as HTML pages often have.
    if len(s) <= 16 and not re.search(r"[，,。；;：:\d]", s) and UNNUMBERED.search(s):
        return [(1, s)]
    return []


@dataclass
class Context:
    plan_end: Optional[int] = None
    plan_start: Optional[int] = None  # the first year of the plan period (or of issue): earlier years are the past
    stack: list[tuple[int, str]] = field(default_factory=list)
    goal_year: Optional[int] = None
    status_year: Optional[int] = None
    table_year: Optional[int] = None
    passage: bool = False  # inside a target passage (TARGET_INTRO) outside any target section
    passage_year: Optional[int] = None
    last_target_year: Optional[int] = None  # the last target year stated where targets are set
    unread: list[tuple[str, tuple[int, int]]] = field(default_factory=list)  # (why, span): table parts not read

    def enter(self, line: str) -> None:
        heads = heading_levels(line)
        if heads:
            self.passage = False  # a heading ends a target passage
            was_goal, was_status = self.in_goal, self.in_status
            for level, title in heads:
                self.stack = [h for h in self.stack if h[0] < level] + [(level, title)]
            if not self.in_goal or not was_goal:
                self.goal_year = None
            if not self.in_status or not was_status:
                self.status_year = None
            self.table_year = None
        else:
            self._passage(line)
        if TITLE_LINE.match(line.strip()):
            r = YEAR_RANGE.search(line)
            years = [int(y) for y in re.findall(r"(20\d\d)\s*年", line)]
            self.table_year = int(r.group(2)) if r else (years[-1] if years else None)

    def _passage(self, line: str) -> None:
        intro = TARGET_INTRO.search(line)
        if intro:
            year = intro.group("year") or intro.group("year2") or intro.group("year3")
            later = stated_years(line[intro.start() :])
            self.passage = True
            self.passage_year = int(year) if year else (later[0] if later else self.last_target_year)
        elif self.passage and not (CONTINUES.match(line) or STATES_LEVEL.search(line)):
            self.passage = False

    def _deepest(self) -> Optional[str]:
        """A 目标 heading anywhere above makes a target section; a status heading counts only as a
        chapter or section of its own (level ≤ 2), not as a topic inside the targets ("质量发展基础")."""
        if any(GOAL_WORDS.search(title) for _, title in self.stack):
            return "goal"
        if any(
            STATUS_WORDS.search(title) and not TASK_WORDS.search(title) for level, title in self.stack if level <= 2
        ):
            return "status"
        return None

    @property
    def section(self) -> str:
        return " / ".join(title.strip() for _, title in self.stack)

    @property
    def in_goal(self) -> bool:
        return self._deepest() == "goal" or self.passage

    @property
    def in_status(self) -> bool:
        return self._deepest() == "status" and not self.passage

    def default_year(self) -> Optional[int]:
        if self.table_year:
            return self.table_year
        if self.passage and self._deepest() != "goal":
            return self.passage_year or self.plan_end
        if self.in_goal:
            return self.goal_year or self.plan_end
        if self.in_status:
            return self.status_year
        return None

    def saw_paragraph(self, text: str, target_years: list[int]) -> None:
        """Remember the years a paragraph states, for the paragraphs after it in the same section."""
        if self.in_goal and target_years:
            self.goal_year = target_years[-1]
            self.last_target_year = target_years[-1]
            if self.passage:
                self.passage_year = target_years[-1]
        if self.in_status:
            years = stated_years(text)
            plans = [FIVE_YEAR[p] for p in FIVE_YEAR_RE.findall(text) if p in FIVE_YEAR]
            if years:
                self.status_year = years[-1]
            elif plans and self.status_year is None:
                self.status_year = plans[0]
