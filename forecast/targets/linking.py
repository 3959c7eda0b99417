"""Linking plan targets to series: propose matches with a score, for a person to confirm.

A target says "食品药品抽检合格率"; the store has `cn_national:food_safety_sampling_pass_rate`.
Each series is known by its own names, its synonyms and the names of its dictionary concept
(forecast/dictionary/indicators.yaml). A target's wording is scored against all of them by fuzzy
string similarity; a unit that cannot be converted halves the score, and a series from another
region is marked as a stand-in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Optional

import yaml

from forecast.schema import Indicator, Plan, Target
from forecast.units import UnitError, factor


@dataclass(frozen=True)
class Candidate:
    series_id: str
    score: float  # 0-100
    matched: str  # the name of the series that matched best
    stand_in: bool  # the series is from another region than the plan
    unit_ok: bool


@dataclass
class Proposal:
    target: Target
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def best(self) -> Optional[Candidate]:
        return self.candidates[0] if self.candidates else None


def load_dictionary(extra: Optional[Path] = None) -> dict[str, list[str]]:
    """Concept -> names (zh and en): the bundled dictionary, plus a user's file of the same format."""
    texts = [resources.files("forecast.targets.dictionary").joinpath("indicators.yaml").read_text(encoding="utf-8")]
    if extra is not None:
        texts.append(Path(extra).read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for text in texts:
        concepts = (yaml.safe_load(text) or {}).get("concepts") or {}
        for key, names in concepts.items():
            out.setdefault(key, []).extend(str(n) for lang in ("zh", "en") for n in (names or {}).get(lang) or [])
    return out


def _normalise(text: str) -> str:
    # Plans wrap qualifiers in brackets and quotes ("(生产性服务业)用户满意度指数"); they do not name the indicator.
    text = re.sub(r"[(（][^)）]*[)）]", "", str(text))
    return re.sub(r"[\s“”\"'‘’、,，。:：]+", "", text).lower()


def _cjk(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def similarity(a: str, b: str) -> float:
    """0-100: whole-string similarity, or a partial match discounted by how much of the longer name it covers."""
    from rapidfuzz import fuzz

    a, b = _normalise(a), _normalise(b)
    if not a or not b or _cjk(a) != _cjk(b):  # Chinese wording is compared with Chinese names only
        return 0.0
    coverage = min(len(a), len(b)) / max(len(a), len(b))
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b) * (0.6 + 0.4 * coverage))


def names_of(indicator: Indicator, dictionary: Mapping[str, Sequence[str]]) -> list[str]:
    names = [indicator.name_zh, indicator.name_en, *indicator.synonyms, *dictionary.get(indicator.concept, ())]
    return [n for n in names if n]


def _unit_ok(target: Target, indicator: Indicator) -> bool:
    if target.relative:
        return True
    try:
        factor(target.unit, indicator.unit)
        return True
    except UnitError:
        return False


def _stand_in(plan: Plan, indicator: Indicator) -> bool:
    return bool(plan.region and indicator.region and plan.region != indicator.region)


def chosen_by_hand(plan: Plan, target_id: str, indicator: Indicator) -> Candidate:
    """A link the user names directly (`--accept T=S`): no score, the same stand-in and unit checks."""
    target = next((t for t in plan.targets if t.id == target_id), None)
    unit_ok = target is None or _unit_ok(target, indicator)
    return Candidate(indicator.id, 100.0, "", _stand_in(plan, indicator), unit_ok)


def propose(
    plan: Plan,
    indicators: Mapping[str, Indicator],
    dictionary: Mapping[str, Sequence[str]],
    top: int = 3,
    floor: float = 60.0,
) -> list[Proposal]:
    """For every numeric target, the `top` best-scoring series at or above `floor`."""
    proposals = []
    for target in plan.targets:
        if target.comparator.value == "qualitative":
            continue
        wording = [w for w in (target.indicator, target.indicator_en) if w]
        scored = []
        for sid, ind in indicators.items():
            best, matched = 0.0, ""
            for name in names_of(ind, dictionary):
                score = max((similarity(w, name) for w in wording), default=0.0)
                if score > best:
                    best, matched = score, name
            unit_ok = _unit_ok(target, ind)
            score = best if unit_ok else best / 2
            if score >= floor:
                scored.append(Candidate(sid, round(score, 1), matched, _stand_in(plan, ind), unit_ok))
        scored.sort(key=lambda c: (-c.score, c.series_id))
        proposals.append(Proposal(target, scored[:top]))
    return proposals


def unit_problems(plan: Plan, indicators: Mapping[str, Indicator]) -> list[str]:
    """Linked targets whose unit cannot be converted to their series' unit (a run will refuse them)."""
    return [
        f"{t.id}: target unit {t.unit!r} does not convert to {t.series_id}'s unit {indicators[t.series_id].unit!r}"
        for t in plan.targets
        if t.series_id in indicators
        and t.comparator.value != "qualitative"
        and not _unit_ok(t, indicators[t.series_id])
    ]


def with_links(plan: Plan, links: Mapping[str, Candidate | None]) -> Plan:
    """The plan with confirmed links set (None unlinks); unknown target ids are an error."""
    unknown = set(links) - {t.id for t in plan.targets}
    if unknown:
        raise KeyError(f"plan {plan.id} has no target(s) {sorted(unknown)}")
    targets = []
    for t in plan.targets:
        if t.id in links:
            c = links[t.id]
            t = t.model_copy(update={"series_id": c.series_id if c else None, "stand_in": bool(c and c.stand_in)})
        targets.append(t)
    return plan.model_copy(update={"targets": targets})


def links_yaml(plan: Plan) -> str:
    """The plan's links as a `links:` block to paste into (or keep beside) the plan file."""
    links = {
        t.id: ({"series": t.series_id, "stand_in": True} if t.stand_in else t.series_id)
        for t in plan.targets
        if t.series_id
    }
    return yaml.safe_dump({"links": links}, allow_unicode=True, sort_keys=False)
