"""From a stored run to report rows and files. Rendering lives in the templates beside this module."""
from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..feasibility import BANDS, CATEGORIES, format_probability
from ..schema import Target
from ..series import annual, to_series
from ..store import Store
from .charts import fan_chart_png

TEXT = {
    "zh": {"title": "目标可达性评估报告", "target": "目标", "attribute": "属性", "latest": "最新值(年份)",
           "goal": "目标值", "p": "达标概率", "band": "可能性", "official": "官方式进度类别",
           "rates": "所需 / 历史年均变化", "interval": "目标年中位数 [80%区间]", "status": "说明",
           "actual": "实际结果", "history": "历史值", "median": "中位数", "p80": "80% 区间", "p95": "95% 区间",
           "plan": "规划", "as_of": "数据截至", "run": "运行", "generated": "生成时间", "models": "模型",
           "notes": "备注", "stand_in": "替代序列", "per_model": "各模型概率", "met": "达成", "not_met": "未达成",
           "latest_data": "最新数据", "method": "达标概率 = 模拟路径中满足目标的比例;路径为按回测技能加权组合、并经回测校准的各模型混合(见各目标的组合权重)。官方式类别按 Open SDG / 加拿大统计局 CAGR 比值法。"},
    "en": {"title": "Target feasibility report", "target": "Target", "attribute": "Attribute", "latest": "Latest (year)",
           "goal": "Target", "p": "P(met)", "band": "Likelihood", "official": "Official-style category",
           "rates": "Required / historical change per year", "interval": "Median in target year [80%]",
           "status": "Status", "actual": "Outcome", "history": "history", "median": "median", "p80": "80% band",
           "p95": "95% band", "plan": "Plan", "as_of": "Data as of", "run": "Run", "generated": "Generated",
           "models": "Models", "notes": "Notes", "stand_in": "stand-in series", "per_model": "P by model",
           "met": "met", "not_met": "not met", "latest_data": "latest data",
           "method": "P(met) = share of simulated paths that meet the target; the paths are a mixture of the models weighted by back-test skill and calibrated on back-tests (weights under each target). The official-style category is the Open SDG / Statistics Canada CAGR-ratio method."},
}
BAND_TEXT = {key: {"en": en, "zh": zh} for _, key, en, zh in BANDS}


@dataclass
class Row:
    target: Target
    result: dict
    name: str
    goal: str
    latest: str
    probability: str
    band: str
    official: str
    rates: str
    interval: str
    actual: str
    message: str
    notes: list = field(default_factory=list)
    chart_png: Optional[bytes] = None

    @property
    def chart_b64(self) -> str:
        return base64.b64encode(self.chart_png).decode() if self.chart_png else ""


@dataclass
class Report:
    lang: str
    text: dict
    plan: object
    run: dict
    rows: list[Row]
    trend: Optional[dict] = None  # P(met) across the plan's runs: see history.report_trend and _trend.*.j2


def _pct(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:+.1%}"


def build_report(store: Store, run_id: Optional[str] = None, lang: str = "zh", plan_id: Optional[str] = None,
                 charts: bool = True) -> Report:
    if lang not in TEXT:
        raise ValueError(f"language must be one of {', '.join(TEXT)}")
    text = TEXT[lang]
    run = store.run(run_id, plan_id)
    plan = store.plan(run["plan_id"])
    results = {r["target_id"]: r for r in store.assessments(run["id"])}
    fans: dict[str, dict[int, dict]] = {}
    for f in store.fans(run["id"]):
        fans.setdefault(f["series_id"], {})[int(f["period"])] = f["quantiles"]
    indicators = store.indicators()
    rows = []
    for target in plan.targets:
        r = results[target.id]
        ind = indicators.get(target.series_id or "")
        unit = target.unit or (ind.unit if ind else "")
        name = (target.indicator if lang == "zh" else target.indicator_en) or target.indicator or target.id
        goal = (f"{target.comparator.value} {target.value:g}{'' if target.comparator.value.endswith('pct') else ' ' + unit}"
                .rstrip() if target.value is not None else target.comparator.value)
        if target.base_year:
            goal += f" ({'相对' if lang == 'zh' else 'vs '}{target.base_year}{'年' if lang == 'zh' else ''})"
        goal += f" @ {target.year}" if target.year else ""
        category = (r.get("official") or {}).get("category")
        actual = "—"
        if r.get("actual") is not None:
            actual = f"{r['actual']:g} ({text['met'] if r['actual_met'] else text['not_met']})"
        interval = "—"
        if r.get("median") is not None:
            lo, hi = r["interval80"]
            interval = f"{r['median']:.4g} [{lo:.4g}, {hi:.4g}]"
        notes = list(r.get("notes") or [])
        by_model = r.get("by_model") or {}
        if by_model:
            notes.append(text["per_model"] + ": " + ", ".join(
                f"{k} {v:.0%}" if isinstance(v, float) else f"{k} {v}" for k, v in by_model.items()))
        row = Row(
            target=target, result=r, name=name, goal=goal,
            latest=f"{r['latest_value']:.4g} ({r['latest_year']})" if r.get("latest_value") is not None else "—",
            probability=format_probability(r["probability"]) if r.get("probability") is not None else "—",
            band=BAND_TEXT[r["band"]][lang] if r.get("band") else "—",
            official=CATEGORIES[category][0 if lang == "en" else 1] if category else "—",
            rates=f"{_pct(r.get('required_change'))} / {_pct(r.get('historical_change'))}"
            if r.get("required_change") is not None or r.get("historical_change") is not None else "—",
            interval=interval, actual=actual, message=r["message_zh" if lang == "zh" else "message_en"],
            notes=notes,
        )
        if charts and ind is not None and r.get("sense"):
            row.chart_png = _chart(store, ind, run, r, fans.get(ind.id, {}), name, unit, lang)
        rows.append(row)
    from ..history import report_trend

    trend = report_trend(store, run, {row.target.id: row.name for row in rows}, lang)
    return Report(lang, text, plan, run, rows, trend=trend)


def _chart(store: Store, ind, run: dict, r: dict, fan: dict, name: str, unit: str, lang: str) -> bytes:
    raw = to_series(store.observations(ind.id, known_by=run["as_of"]), ind, run["as_of"])
    history = {int(y): float(v) for y, v in annual(raw, ind.aggregation).items()}
    target_year = r.get("target_year")
    fan = {y: q for y, q in fan.items() if target_year is None or y <= target_year}
    return fan_chart_png(f"{name} — {ind.name(lang)}", unit, history, fan,
                         r.get("threshold"), r.get("sense"), target_year, r.get("actual"), TEXT[lang])


def write_report(report: Report, out_dir: Path, formats: tuple[str, ...] = ("html", "md")) -> list[Path]:
    """Write the report; HTML is one self-contained file, Markdown has its charts in a folder beside it."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    out_dir.mkdir(parents=True, exist_ok=True)
    env = Environment(loader=PackageLoader("forecast.report", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    stem = f"{report.plan.id}-{report.run['id']}.{report.lang}"
    context = {"r": report, "t": report.text, "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}
    written = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        if fmt == "md":
            chart_dir = out_dir / f"{stem}_charts"
            chart_dir.mkdir(exist_ok=True)
            for i, row in enumerate(report.rows):
                if row.chart_png:
                    (chart_dir / f"{i:03d}.png").write_bytes(row.chart_png)
            context["chart_dir"] = chart_dir.name
        elif fmt != "html":
            raise ValueError(f"unknown report format {fmt!r}: use html or md")
        path.write_text(env.get_template(f"report.{fmt}.j2").render(**context), encoding="utf-8")
        written.append(path)
    return written
