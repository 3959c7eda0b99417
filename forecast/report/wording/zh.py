"""The assessment's words in Chinese (the report's default language)."""

from __future__ import annotations

from forecast.report.wording.common import g, p, pace, signed, span_of, years

STATUS = {
    "forecast": "预测",
    "already_met": "最新值已达标",
    "observed": "目标年已观测",
    "broken": "保持目标已被打破",
    "too_few_points": "数据不足",
    "qualitative": "定性目标",
    "no_year": "无目标年份",
    "no_series": "未关联数据",
    "no_base_value": "缺少基期值",
    "unit_mismatch": "单位不一致",
    "year_missing": "目标年无观测",
    "failed": "评估出错",
    "model_failed": "模型均失败",
    "missing": "本次运行无此目标",
}
BAND = {
    "very_likely": "很可能",
    "likely": "可能",
    "about_even": "不确定",
    "unlikely": "不太可能",
    "very_unlikely": "很不可能",
}
CATEGORY = {
    "achieved": "已达标",
    "on_track": "按进度",
    "acceleration_needed": "需加速",
    "limited_progress": "进展有限",
    "deterioration": "倒退",
    "not_computable": "无法计算",
}
PROGRESS = {"ahead": "超前", "on_schedule": "符合进度", "behind": "滞后", "not_computable": "无法计算"}
SENSE = {">=": "≥", "<=": "≤"}


def _bar(r: dict) -> str:
    sense = str(r.get("sense") or "")
    return f"{SENSE.get(sense, sense)} {g(r.get('threshold'))}"


def message(r: dict) -> str:
    s, a = r.get("status"), r.get("params") or {}
    band = BAND.get(r.get("band") or "", "")
    if s in ("forecast", "already_met"):
        year = r.get("target_year")
        if a.get("maintain"):
            held = f"{years(a.get('years'))}年逐年保持{_bar(r)}的概率 {p(r.get('probability'))}({band})"
            if s == "already_met":  # say what is met (the latest value) and what is uncertain (holding it)
                return f"最新值已达标({r.get('latest_year')}年 {g(r.get('latest_value'))});需逐年保持,{held}"
            return held
        if s == "already_met":
            return (
                f"最新值已达到目标({r.get('latest_year')}年 {g(r.get('latest_value'))});"
                f"{year}年仍达标的概率 {p(r.get('probability'))}({band})"
            )
        return f"{year}年达标概率 {p(r.get('probability'))},{band}"
    if s == "observed":
        text = f"{r.get('target_year')}年实际值 {g(r.get('actual'))},目标 {_bar(r)},"
        if a.get("failed_year") is not None:
            return text + f"但 {a['failed_year']} 年为 {g(a.get('failed_value'))},未能逐年保持,未达成"
        return text + ("已达成" if r.get("actual_met") else "未达成")
    if s == "broken":
        return (
            f"保持目标要求 {years(a.get('years'))} 年逐年 {_bar(r)},{a.get('year')} 年实际为 {g(a.get('value'))},"
            f"已被打破:无论此后预测如何,均未达成"
        )
    if s == "too_few_points":
        return f"仅有 {a.get('n')} 个观测值,至少需要 {a.get('needed')} 个"
    if s == "qualitative":
        return "定性目标,无法量化评估"
    if s == "no_year":
        return "未给出目标年份"
    if s == "no_series":
        sid = a.get("series_id") or r.get("series_id")
        return f"关联的序列 {sid} 不在数据库中" if sid else "未关联数据序列"
    if s == "unit_mismatch":
        return f"目标单位({a.get('target_unit')})与序列单位({a.get('series_unit')})不一致,无法换算"
    if s == "no_base_value":
        return f"缺少基期({a.get('base_year')}年)数据,规划也未给出基期值(数据年份:{years(a.get('observed'))})"
    if s == "year_missing":
        if a.get("before_data"):
            return f"目标年 {a.get('year')} 年早于数据起始年({a.get('first_year')}年),无法与实际比较"
        near = "、".join(str(y) for y in a.get("near") or []) or "无"
        return f"目标年 {a.get('year')} 年在数据区间内但无观测值(相邻年份:{near})"
    if s == "failed":
        return f"评估出错:{a.get('error')}"
    if s == "model_failed":
        return "所有模型均无法预测:" + ";".join(f"{m} {why}" for m, why in (a.get("why") or {}).items())
    if s == "missing":
        return "本次运行无此目标"
    return STATUS.get(s or "", str(s))


def note(n: dict) -> str:
    c = n.get("code")
    if c == "converted":
        return f"目标值 {g(n.get('value'))} {n.get('unit')} 已换算为 {g(n.get('to_value'))} {n.get('to_unit')}"
    if c == "gaps_filled":
        return f"模型使用的缺失期已插值补齐:{'、'.join(n.get('periods') or [])}(插值不计为观测值)"
    if c == "stand_in":
        return f"替代序列:{n.get('series_zh')}仅近似衡量此目标"
    if c == "outcome_later":
        return f"实际结果取自关联序列 {years(n.get('years'))} 年的数值(在评估截止日之后才得知)"
    if c == "stale":
        return (
            f"数据陈旧:目标年 {n.get('target_year')} 年已过(截至 {n.get('reference_year')} 年),但最新数据只到 "
            f"{n.get('latest_year')} 年;以上是预测,不是实际结果,请导入更新的数据"
        )
    if c == "series_disagree":
        return (
            f"同一指标、同一地区的另一序列 {n.get('series_id')} 给出不同答案:其 {n.get('year')} 年为 "
            f"{g(n.get('value'))},而本目标所用序列 {n.get('own_series')} {n.get('own_year')} 年为 "
            f"{g(n.get('own_value'))};两者对是否达标的判断相反,请确认应以哪一序列为准"
        )
    return str(n.get("zh") or n.get("en") or c)


def progress(d: dict) -> str:
    key = d.get("category")
    if key not in PROGRESS:
        return "—"
    if d.get("progress") is None:
        return PROGRESS[key]
    if key == "ahead":
        return f"{PROGRESS[key]}(已达到目标水平,时间 {d['elapsed']:.0%})"
    return f"{PROGRESS[key]}(完成 {d['progress']:.0%},时间 {d['elapsed']:.0%})"


def _unit(unit: str) -> str:
    return " 个百分点" if unit == "%" else f" {unit}" if unit else ""


def step(r: dict, unit: str) -> str:
    need = r.get("required_step")
    if need is None:
        return "—"
    text = f"每年需{'提高' if need > 0 else '下降'} {abs(need):.3g}{_unit(unit)}"
    history = []
    if r.get("average_step") is not None:
        history.append(f"历史年均 {signed(r['average_step'])}")
    if r.get("best_step") is not None:
        history.append(f"最佳单年 {signed(r['best_step'])}")
    verdict = {
        "beyond_best": "快于历史最佳单年",
        "beyond_average": "快于历史平均,但不超过最佳单年",
        "within_average": "不快于历史平均",
    }.get(pace(r) or "")
    if history:
        text += f"({','.join(history)}{';' + verdict if verdict else ''})"
    return text


def calibration(combined: float, raw: float, factors: dict) -> str:
    values = [float(f) for f in (factors or {}).values()]
    stretch = f"(按提前年数,区间宽度乘以 {span_of(values)})" if values else ""
    return (
        f"组合达标概率 {p(combined)} 与各模型自身概率(按权重平均 {p(raw)})不同:组合预测已按历史回测校准"
        f"{stretch},使其区间覆盖实际值的频率与所标称的一致;校准改变了分布的宽度,因而改变了达标概率。"
    )
