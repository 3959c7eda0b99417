"""Every sentence an assessment is read in, one module per language (`zh`, `en`), used by the report,
the workbook, the CLI summaries, the refresh change summary and `forecast history`.

An assessment stores a state and its parameters (`feasibility.Assessment`); these functions put them
into words. A result stored by an older run, which carried its sentences as text, still renders: its
stored text is used when it has no parameters.
"""

from __future__ import annotations

from types import ModuleType
from typing import Optional

from forecast.report.wording import en, zh

LANGUAGES: dict[str, ModuleType] = {"zh": zh, "en": en}


def words(lang: str) -> ModuleType:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    return LANGUAGES[lang]


def message(result: dict, lang: str) -> str:
    """The finding in one sentence: from the state and its parameters, else the text an older run stored."""
    if "params" not in result and result.get(f"message_{lang}") is not None:
        return str(result[f"message_{lang}"])
    return words(lang).message(result)


def note(n, lang: str) -> str:
    """A note or warning: {"code", ...params}; older runs stored {"en", "zh"} or plain English text."""
    if not isinstance(n, dict):
        return str(n)
    if "code" in n:
        return words(lang).note(n)
    return str(n.get(lang) or n.get("en") or "")


def status(key: str, lang: str) -> str:
    return words(lang).STATUS.get(key, key)


def band(key: Optional[str], lang: str) -> str:
    return words(lang).BAND.get(key or "", "—")


def category(key: Optional[str], lang: str) -> str:
    return words(lang).CATEGORY.get(key or "", "—")


def progress(p: Optional[dict], lang: str) -> str:
    """时序进度 in words, with its two shares: "滞后(完成 40%,时间 60%)"."""
    return words(lang).progress(p or {})


def step(result: dict, unit: str, lang: str) -> str:
    """The yearly change needed in the series' unit beside the history's average and best year."""
    return words(lang).step(result, unit)


def calibration(combined: float, raw: float, factors: dict, lang: str) -> str:
    """Why the combined probability differs from the models' own: the back-test calibration."""
    return words(lang).calibration(combined, raw, factors)
