"""Plan files: the hand-checked gold label format (`../shared/data/plans/gold/*.yaml`) is the format.

A plan file is YAML with plan metadata (`plan_title`, `region`, `issued`, `period`) and a `targets`
list (id, indicator, comparator, value, unit, year, base_year, attribute, quote, ...). Two optional
additions link targets to series: `series_id` on a target, or a top-level `links:` mapping
target id -> series id. Unknown keys (section, alt_quotes, related, ...) are kept out of the way.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from .schema import Plan


class PlanFileError(Exception):
    pass


def load_plan(path: Path, plan_id: str | None = None) -> Plan:
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlanFileError(f"{path}: cannot read plan file: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("targets"), list):
        raise PlanFileError(f"{path}: expected a mapping with a `targets:` list")
    links = doc.get("links") or {}
    targets = []
    for i, item in enumerate(doc["targets"]):
        if not isinstance(item, dict):
            raise PlanFileError(f"{path}: targets[{i}] is not a mapping")
        item = dict(item)
        if item.get("id") in links:
            item["series_id"] = links[item["id"]]
        item["note"] = str(item.get("note") or "")
        targets.append(item)
    unknown_links = set(links) - {t.get("id") for t in targets}
    if unknown_links:
        raise PlanFileError(f"{path}: `links` names targets that are not in the file: {sorted(unknown_links)}")
    spec = {
        "id": plan_id or doc.get("id") or path.stem,
        "title": doc.get("plan_title") or doc.get("title") or "",
        "region": doc.get("region") or "",
        "region_en": doc.get("region_en") or "",
        "issued": doc.get("issued"),
        "period": doc.get("period"),
        "note": doc.get("note") or doc.get("period_note") or "",
        "targets": targets,
    }
    try:
        return Plan.model_validate(spec)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = list(err["loc"])
            if len(loc) >= 2 and loc[0] == "targets" and isinstance(loc[1], int):
                loc[1] = f"{loc[1]} ({targets[loc[1]].get('id', '?')})"
            lines.append(f"{'.'.join(str(x) for x in loc)}: {err['msg']}")
        raise PlanFileError(f"{path}: invalid plan:\n  " + "\n  ".join(lines)) from None
