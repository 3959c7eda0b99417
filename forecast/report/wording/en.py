"""The assessment's words in English."""

from __future__ import annotations

from forecast.report.wording.common import g, p, pace, signed, span_of, years

STATUS = {
    "forecast": "forecast",
    "already_met": "latest value meets it",
    "observed": "target year observed",
    "broken": "maintain target broken",
    "too_few_points": "too few data points",
    "qualitative": "qualitative",
    "no_year": "no target year",
    "no_series": "no linked series",
    "no_base_value": "no base-year value",
    "unit_mismatch": "unit mismatch",
    "year_missing": "target year not observed",
    "failed": "assessment failed",
    "model_failed": "every model failed",
    "missing": "not in this run",
}
BAND = {
    "very_likely": "very likely",
    "likely": "likely",
    "about_even": "about as likely as not",
    "unlikely": "unlikely",
    "very_unlikely": "very unlikely",
}
CATEGORY = {
    "achieved": "target achieved",
    "on_track": "on track",
    "acceleration_needed": "acceleration needed",
    "limited_progress": "limited progress",
    "deterioration": "deterioration",
    "not_computable": "not computable",
}
PROGRESS = {
    "ahead": "ahead",
    "on_schedule": "on schedule",
    "behind": "behind schedule",
    "not_computable": "not computable",
}
SENSE = {">=": "≥", "<=": "≤"}


def _bar(r: dict) -> str:
    sense = str(r.get("sense") or "")
    return f"{SENSE.get(sense, sense)} {g(r.get('threshold'))}"


def _p(r: dict) -> str:
    text = p(r.get("probability"))
    return text if text[0] in "<>" else f"= {text}"


def message(r: dict) -> str:
    s, a = r.get("status"), r.get("params") or {}
    band = BAND.get(r.get("band") or "", "")
    if s in ("forecast", "already_met"):
        year = r.get("target_year")
        if a.get("maintain"):
            held = f"P(held at {_bar(r)} every year {years(a.get('years'))}) {_p(r)}, {band}"
            if s == "already_met":  # what is met (the latest value) and what is at risk (holding it)
                return f"the latest value meets it ({g(r.get('latest_value'))} in {r.get('latest_year')}); " + held
            return held
        if s == "already_met":
            return (
                f"the latest value already meets the target ({g(r.get('latest_value'))} in "
                f"{r.get('latest_year')}); P(still met in {year}) {_p(r)}, {band}"
            )
        return f"P(met in {year}) {_p(r)}, {band}"
    if s == "observed":
        text = f"target year {r.get('target_year')} observed: {g(r.get('actual'))} vs {_bar(r)}, "
        if a.get("failed_year") is not None:
            return text + f"but {g(a.get('failed_value'))} in {a['failed_year']} broke it: not met"
        return text + ("met" if r.get("actual_met") else "not met")
    if s == "broken":
        return (
            f"to be held at {_bar(r)} every year {years(a.get('years'))}, it was {g(a.get('value'))} in "
            f"{a.get('year')}: missed, whatever the forecast says"
        )
    if s == "too_few_points":
        return f"{a.get('n')} observation(s); at least {a.get('needed')} are needed"
    if s == "qualitative":
        return "qualitative target: not assessable from numbers"
    if s == "no_year":
        return "no target year stated"
    if s == "no_series":
        sid = a.get("series_id") or r.get("series_id")
        return f"the linked series {sid} is not in the store" if sid else "no series linked"
    if s == "unit_mismatch":
        return f"the target's unit ({a.get('target_unit')}) does not convert to the series' ({a.get('series_unit')})"
    if s == "no_base_value":
        return (
            f"the base year {a.get('base_year')} is not in the data (years observed: {years(a.get('observed'))}) "
            f"and the plan states no base value"
        )
    if s == "year_missing":
        if a.get("before_data"):
            return (
                f"the target year {a.get('year')} is before the data starts ({a.get('first_year')}): nothing to compare"
            )
        near = ", ".join(str(y) for y in a.get("near") or []) or "none"
        return f"the target year {a.get('year')} is within the data but not observed (nearby years: {near})"
    if s == "failed":
        return f"assessment failed: {a.get('error')}"
    if s == "model_failed":
        return "no model could forecast: " + "; ".join(f"{m} {why}" for m, why in (a.get("why") or {}).items())
    if s == "missing":
        return "not in this run"
    return STATUS.get(s or "", str(s))


def note(n: dict) -> str:
    c = n.get("code")
    if c == "converted":
        return (
            f"target value {g(n.get('value'))} {n.get('unit')} converted to {g(n.get('to_value'))} {n.get('to_unit')}"
        )
    if c == "gaps_filled":
        return (
            f"gaps filled by interpolation for the models: {', '.join(n.get('periods') or [])} "
            f"(not counted as observations)"
        )
    if c == "stand_in":
        return f"stand-in series: {n.get('series_en')} measures this target only approximately"
    if c == "outcome_later":
        return f"outcome from the linked series' {years(n.get('years'))} values, known after the as-of date"
    if c == "stale":
        return (
            f"stale data: the target year {n.get('target_year')} has passed (as of {n.get('reference_year')}) "
            f"but the latest data is from {n.get('latest_year')}; this is a forecast, not the outcome — "
            f"import newer data"
        )
    if c == "series_disagree":
        return (
            f"another series of the same indicator and region, {n.get('series_id')}, answers differently: "
            f"{g(n.get('value'))} in {n.get('year')}, against {g(n.get('own_value'))} in {n.get('own_year')} on "
            f"{n.get('own_series')}, the series this target uses; one meets the target and the other does not — "
            f"check which series should count"
        )
    return str(n.get("en") or c)


def progress(d: dict) -> str:
    key = d.get("category")
    if key not in PROGRESS:
        return "—"
    if d.get("progress") is None:
        return PROGRESS[key]
    if key == "ahead":
        return f"{PROGRESS[key]} (target level reached, {d['elapsed']:.0%} of the time)"
    return f"{PROGRESS[key]} ({d['progress']:.0%} of the way, {d['elapsed']:.0%} of the time)"


def _unit(unit: str, amount: float) -> str:
    return (
        (" percentage point" if f"{amount:.3g}" == "1" else " percentage points")
        if unit == "%"
        else f" {unit}"
        if unit
        else ""
    )


def step(r: dict, unit: str) -> str:
    need = r.get("required_step")
    if need is None:
        return "—"
    text = f"must {'rise' if need > 0 else 'fall'} {abs(need):.3g}{_unit(unit, abs(need))} a year"
    history = []
    if r.get("average_step") is not None:
        history.append(f"history: average {signed(r['average_step'])}")
    if r.get("best_step") is not None:
        history.append(f"best year {signed(r['best_step'])}")
    verdict = {
        "beyond_best": "faster than the best year on record",
        "beyond_average": "faster than the average, within the best year",
        "within_average": "no faster than the average",
    }.get(pace(r) or "")
    if history:
        text += f" ({', '.join(history)}{'; ' + verdict if verdict else ''})"
    return text


def calibration(combined: float, raw: float, factors: dict) -> str:
    values = [float(f) for f in (factors or {}).values()]
    stretch = f" (interval widths scaled by {span_of(values)} by years ahead)" if values else ""
    return (
        f"The combined probability {p(combined)} differs from the models' own ({p(raw)}, weighted): the combined "
        f"forecast is calibrated on back-tests{stretch} so that its intervals cover the outcomes as often as they "
        f"say; calibration changes how wide the forecast is, and so the probability."
    )
