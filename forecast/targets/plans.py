"""Plan files: the hand-checked gold label format (`../shared/data/plans/gold/*.yaml`) is the format.

A plan file is YAML with plan metadata (`plan_title`, `region`, `issued`, `period`) and a `targets`
list (id, indicator, comparator, value, unit, year, base_year, attribute, quote, related, ...).
Targets are linked to series by `series_id` on a target, or by a top-level `links:` mapping
target id -> series id (or -> {series: id, stand_in: true} for a stand-in series). Two plan-wide
settings: `about_tolerance`, the relative half-width of "左右" bands (default 0.02, see
feasibility.ABOUT_TOLERANCE), and the base year of "年均增长" targets, which defaults to the year
before the plan period. Unknown keys (section, alt_quotes, ...) are kept out of the way.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from forecast.schema import Plan


class PlanFileError(Exception):
    pass


# Abbreviations plans write in capitals. Text taken from PDFs or normalised for matching arrives
# lower-cased ("单位gdp能耗", "城区pm2.5"); a name reads as the plan writes it. Quotes stay verbatim.
_CAPITALS = re.compile(r"(?<![A-Za-z])(pm2\.5|pm10|gdp|r&d|a{3,5}|cpi|so2|nox|cod)(?![A-Za-z])")


def plan_spelling(name: str) -> str:
    """ "城区pm2.5年均浓度" -> "城区PM2.5年均浓度", "单位gdp能耗" -> "单位GDP能耗"; other text unchanged."""
    return _CAPITALS.sub(lambda m: m.group(1).upper(), name)


def _link(spec, path: Path, target_id: str) -> dict:
    if isinstance(spec, str):
        return {"series_id": spec}
    if isinstance(spec, dict) and isinstance(spec.get("series"), str):
        return {"series_id": spec["series"], "stand_in": bool(spec.get("stand_in", False))}
    raise PlanFileError(f"{path}: links.{target_id}: expected a series id or {{series: id, stand_in: true}}")


def load_plan(path: Path, plan_id: str | None = None) -> Plan:
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlanFileError(f"{path}: cannot read plan file: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("targets"), list):
        raise PlanFileError(f"{path}: expected a mapping with a `targets:` list")
    links = doc.get("links") or {}
    period = doc.get("period")
    targets = []
    for i, item in enumerate(doc["targets"]):
        if not isinstance(item, dict):
            raise PlanFileError(f"{path}: targets[{i}] is not a mapping")
        item = dict(item)
        if item.get("id") in links:
            item |= _link(links[item["id"]], path, item["id"])
        if (
            item.get("comparator") == "about"
            and item.get("tolerance") is None
            and doc.get("about_tolerance") is not None
        ):
            if item.get("value") is not None:
                item["tolerance"] = abs(float(item["value"])) * float(doc["about_tolerance"])
        if item.get("comparator") == "avg_growth>=" and item.get("base_year") is None and period:
            item["base_year"] = int(period[0]) - 1  # growth over the plan period starts from the year before it
        item["note"] = str(item.get("note") or "")
        for name in ("indicator", "indicator_en"):
            if isinstance(item.get(name), str):
                item[name] = plan_spelling(item[name])
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
