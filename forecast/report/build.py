"""From a stored run to the report's data model. Rendering lives elsewhere: the templates beside this
module (HTML, Markdown), `excel` (XLSX) and `pdf` (print through Chromium).

The model itself (`Report`, `Summary`, `TargetView`) is in `views`; per-target additions (a chart of
how the probability moved across runs, say) belong on `TargetView`.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from forecast.ingest.series import annual, to_series
from forecast.report import wording
from forecast.report.basis import basis_text
from forecast.report.fan_chart import fan_chart_svg
from forecast.report.hints import fill_in_hint
from forecast.report.numbers import finite, num
from forecast.report.text import ATTRIBUTE_TEXT, COMPARATOR_TEXT, TEXT
from forecast.report.views import (
    BAND_ORDER,
    FAN_LEVELS,
    Provenance,
    Report,
    Summary,
    TargetView,
)
from forecast.schema import Attribute, Target
from forecast.store import Store
from forecast.targets.feasibility.bands import at_risk, format_probability, tally, warned
from forecast.targets.feasibility.restatements import statement_text


def _pair(p) -> str:
    return "—" if not p or finite(p[0]) is None else f"[{num(p[0])}, {num(p[1])}]"


def build_report(
    store: Store,
    run_id: Optional[str] = None,
    lang: str = "zh",
    plan_id: Optional[str] = None,
    charts: bool = True,
    tracking_problem: Optional[str] = None,
) -> Report:
    """`tracking_problem`: why MLflow cannot take this run now (said on the first screen)."""
    if lang not in TEXT:
        raise ValueError(f"language must be one of {', '.join(TEXT)}")
    text = TEXT[lang]
    run = store.run(run_id, plan_id)
    plan = store.plan(run["plan_id"])
    settings = run.get("settings") or {}
    results = {r["target_id"]: r for r in store.assessments(run["id"])}
    fans: dict[str, dict[int, dict]] = {}
    for f in store.fans(run["id"]):
        fans.setdefault(f["series_id"], {})[int(f["period"])] = f["quantiles"]
    indicators = store.indicators(t.series_id for t in plan.targets if t.series_id)
    backtest = settings.get("backtest") or {}
    views, vintages = [], []
    known: dict[str, tuple[dict, dict[int, float]]] = {}  # series id -> (provenance, annual history)
    for i, target in enumerate(plan.targets, start=1):
        r = results.get(target.id) or {"status": "missing", "params": {}}
        ind = indicators.get(target.series_id or "")
        view = _view(i, target, r, ind, lang, text, settings, backtest)
        if ind is not None:
            if ind.id not in known:  # several targets often share one (stand-in) series: read it once
                known[ind.id] = (store.provenance(ind.id, known_by=run.get("as_of")), _history(store, ind, run))
            view.provenance = _provenance(known[ind.id][0], ind, target, r, lang, run.get("as_of"))
            view.region, view.concept = ind.region, ind.concept
            if view.provenance.vintage:
                vintages.append(view.provenance.vintage)
            view.history = known[ind.id][1]
            view.fan = _fan_rows(fans.get(ind.id, {}), r.get("target_year"))
            if charts and r.get("sense"):
                start = (r["latest_year"], r["latest_value"]) if r.get("latest_value") is not None else None
                title = view.name if ind.name(lang) in (view.name, "") else f"{view.name} — {ind.name(lang)}"
                view.chart_svg = fan_chart_svg(
                    str(i),
                    title=title,
                    unit=view.unit,
                    history=view.history,
                    fan={row["year"]: row for row in view.fan},
                    threshold=r.get("threshold"),
                    sense=r.get("sense"),
                    target_year=r.get("target_year"),
                    actual=r.get("actual"),
                    start=start,
                    labels=text,
                )
        view.hint = fill_in_hint(target, view.status, plan, view.history, run.get("as_of"), lang)
        views.append(view)
    from forecast.jobs.history import report_trend

    return Report(
        lang=lang,
        text=text,
        plan=plan,
        run=run,
        as_of=str(run["as_of"]) if run.get("as_of") else text["latest_data"],
        vintage=" · ".join(
            filter(
                None, [max(vintages) if vintages else "", f"{text['data_hash']} {str(run.get('data_hash') or '')[:10]}"]
            )
        ),
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        models=list(settings.get("models") or []),
        targets=views,
        summary=_summary(views, lang),
        backtest=backtest,
        calibration=settings.get("calibration") or {},
        trend=report_trend(store, run, {v.target.id: v.name for v in views}, lang),
        tracking_problem=tracking_problem,
    )


def _is_weights_note(note) -> bool:
    # Runs made before the weights moved to the settings carried them as a note; the model line says it.
    return wording.note(note, "en").startswith("combination weights:")


def _statement_text(d, lang: str) -> str:
    """A conflicting restatement, in the report's words: "<id>: ≥ 80 @ 2020"."""
    if not isinstance(d, dict):
        return str(d)  # runs stored before statements were structured
    try:
        other = Target(
            id=d["target_id"],
            comparator=d["comparator"],
            value=d.get("value"),
            unit=d.get("unit") or "",
            year=d.get("year"),
        )
    except ValueError:
        return statement_text(d)
    return f"{other.id}: {_goal(other, other.unit, lang)}"


def _goal(target: Target, unit: str, lang: str) -> str:
    c = target.comparator.value
    words = COMPARATOR_TEXT.get(c, {}).get(lang, c)
    if target.value is None:
        goal = wording.status("qualitative", lang) if c == "qualitative" else words
    elif c == "about" and lang == "zh":
        goal = f"{target.value:g} {unit} 左右".replace("  ", " ")
    else:
        relative = c.endswith("pct") or c.startswith("avg_growth")
        goal = f"{words} {target.value:g}{'%' if relative else ' ' + unit}".rstrip()
    if target.base_year:
        goal += f" ({'相对' if lang == 'zh' else 'vs '}{target.base_year}{'年' if lang == 'zh' else ''})"
    return goal + (f" @ {target.year}" if target.year else "")


def _view(i: int, target: Target, r: dict, ind, lang: str, text: dict, settings: dict, backtest: dict) -> TargetView:
    unit = target.unit or (ind.unit if ind else "")
    series_unit = ind.unit if ind is not None and ind.unit else unit
    name = (target.indicator if lang == "zh" else target.indicator_en) or target.indicator or target.id
    status = str(r.get("status") or "missing")
    p = r.get("probability")
    band = r.get("band")
    actual_met = r.get("actual_met")
    if status in ("observed", "broken"):
        risk = 0.0 if actual_met else 1.0
    elif p is not None:
        risk = 1.0 - float(p)
    else:
        risk = None
    needs_attention = at_risk(r)
    actual = "—"
    if r.get("actual") is not None:
        actual = f"{r['actual']:g} ({text['met'] if actual_met else text['not_met']})"
    view = TargetView(
        index=i,
        target=target,
        result=r,
        name=name,
        goal=_goal(target, unit, lang),
        unit=series_unit,
        attribute=ATTRIBUTE_TEXT.get(target.attribute.value, {}).get(lang, target.attribute.value)
        if target.attribute
        else "—",
        binding=target.attribute is Attribute.binding,
        status=status,
        status_text=wording.status(status, lang),
        probability=p,
        probability_text="0%" if status == "broken" else format_probability(p) if p is not None else "—",
        band=band,
        band_text=wording.band(band, lang),
        risk=risk,
        at_risk=needs_attention,
        official=wording.category((r.get("official") or {}).get("category"), lang),
        time_progress=wording.progress(r.get("progress"), lang),
        warned=warned(r, target.attribute is Attribute.binding),
        step=wording.step(r, series_unit, lang),
        required_change=r.get("required_change"),
        historical_change=r.get("historical_change"),
        latest=f"{r['latest_value']:.4g} ({r['latest_year']})" if r.get("latest_value") is not None else "—",
        median=num(r.get("median")),
        interval80=_pair(r.get("interval80")),
        interval95=_pair(r.get("interval95")),
        actual=actual,
        message=wording.message(r, lang),
        notes=[wording.note(n, lang) for n in r.get("notes") or [] if not _is_weights_note(n)],
        warnings=[wording.note(n, lang) for n in r.get("warnings") or []],
        conflicts=[_statement_text(c, lang) for c in r.get("conflicts") or []],
    )
    by_model = r.get("by_model") or {}
    view.by_model = [(m, format_probability(v) if isinstance(v, float) else str(v)) for m, v in by_model.items()]
    sid = target.series_id or ""
    weights = (settings.get("weights") or {}).get(sid) or {}
    if weights:
        view.model = f"{text['combination']}: " + ", ".join(f"{m} {w:.2f}" for m, w in weights.items())
        own_p = [(w, by_model[m]) for m, w in weights.items() if isinstance(by_model.get(m), float)]
        if p is not None and own_p and status != "broken":
            raw = sum(w * q for w, q in own_p) / sum(w for w, _ in own_p)
            if abs(raw - float(p)) >= 0.05:  # say why, in a planner's words, rather than leave a contradiction
                factors = (settings.get("calibration") or {}).get("factors") or {}
                view.why_combined = wording.calibration(float(p), raw, factors, lang)
    elif p is not None:
        view.model = text["combination"] + ": " + ", ".join(m for m, v in by_model.items() if isinstance(v, float))
    own = (backtest.get("series") or {}).get(sid)
    skill = own or backtest.get("pooled") or {}
    view.skill_scope = "own" if own else "pooled" if skill else ""
    view.skill = [dict(model=m, **s) for m, s in skill.items() if m in weights or m == "combined"]
    if p is not None:
        view.basis, view.thin = basis_text((settings.get("basis") or {}).get(sid), lang)
    return view


def _provenance(known: dict, ind, target: Target, r: dict, lang: str, as_of=None) -> Provenance:
    # The vintage is the date the latest value became known; files without that column say when they were imported.
    if known["known_at"]:
        vintage = f"{known['known_at']:%Y-%m-%d}"
    elif known["imported_at"]:
        words = TEXT[lang]["imported_known_by"].format(as_of=as_of or TEXT[lang]["latest_data"])
        vintage = f"{known['imported_at']:%Y-%m-%d} ({words})"
    else:
        vintage = ""
    return Provenance(
        series_id=ind.id,
        indicator=ind.name(lang),
        source=ind.source,
        sources=known["sources"],
        files=known["files"],
        vintage=vintage,
        n_points=int(r.get("n_points") or 0),
        stand_in=target.stand_in,
    )


def _history(store: Store, ind, run: dict) -> dict[int, float]:
    raw = to_series(store.observations(ind.id, known_by=run.get("as_of")), ind, run.get("as_of"))
    return {int(y): float(v) for y, v in annual(raw, ind).items()}


def _fan_rows(fan: dict[int, dict], target_year: Optional[int]) -> list[dict]:
    return [
        {"year": y, **{k: float(fan[y][k]) for k in FAN_LEVELS if k in fan[y]}}
        for y in sorted(fan)
        if target_year is None or y <= target_year
    ]


def _summary(views: list[TargetView], lang: str) -> Summary:
    counts = tally([v.result for v in views])
    risky = sorted((v for v in views if v.at_risk), key=lambda v: v.sort_key)
    return Summary(
        bands=[(key, wording.band(key, lang), counts[key]) for key in BAND_ORDER],
        observed_met=counts["observed_met"],
        observed_not_met=counts["observed_missed"],
        not_assessed=sum(not v.assessed for v in views),
        binding_at_risk=[v for v in risky if v.binding],
        other_at_risk=[v for v in risky if not v.binding],
        early_warning=sorted((v for v in views if v.warned), key=lambda v: v.sort_key),
    )
