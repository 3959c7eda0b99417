"""A large plan's report in parts: one page per group of targets (a region, an indicator concept)
and an index page that links them, instead of one page of 100 MB.

Each part is a whole report of its targets (summary, table, pages, appendix), so a county planner
reads the county's part alone; the index holds the counts of every part. `--by region` asks for
the parts whatever the plan's size; a plan above `GROUP_ABOVE` targets is split without asking.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from forecast.report.build import _summary
from forecast.report.views import Report, TargetView

GROUP_ABOVE = 1000  # targets; a page of more is split
CHUNK = 200  # targets per part when a large plan has no region or concept to split by
GROUPINGS = ("region", "concept")


def group_key(view: TargetView, by: str, plan_region: str) -> str:
    if by == "region":
        return view.region or plan_region or ""
    if by == "concept":
        return view.concept or ""
    raise ValueError(f"unknown grouping {by!r}: use {', '.join(GROUPINGS)}")


def grouping_for(report: Report, by: Optional[str]) -> Optional[str]:
    """The grouping to use: the one asked for; for a large plan, region if its targets span several,
    else concept if they span several, else plan-order chunks ("chunk"); None: one page."""
    if by is not None:
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r}: use {', '.join(GROUPINGS)}")
        return by
    if len(report.targets) <= GROUP_ABOVE:
        return None
    for candidate in GROUPINGS:
        if len({group_key(v, candidate, report.plan.region) for v in report.targets}) > 1:
            return candidate
    return "chunk"


def split(report: Report, by: str) -> list[tuple[str, Report]]:
    """(group name, the group's report) in order of first appearance in the plan."""
    groups: dict[str, list[TargetView]] = {}
    for i, v in enumerate(report.targets):
        name = (
            f"{i // CHUNK * CHUNK + 1}–{min(len(report.targets), (i // CHUNK + 1) * CHUNK)}"
            if by == "chunk"
            else group_key(v, by, report.plan.region) or "—"
        )
        groups.setdefault(name, []).append(v)
    return [
        (name, replace(report, targets=views, summary=_summary(views, report.lang))) for name, views in groups.items()
    ]


def part_stem(stem: str, number: int, name: str) -> str:
    """`<stem>.g003-xian` style: numbered (names repeat across languages and may be all hanzi) with the
    ASCII part of the name for a reader of file listings."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:40]
    return f"{stem}.g{number:03d}" + (f"-{slug}" if slug else "")
