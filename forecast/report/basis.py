"""What a target's probability rests on, in words: the evidence behind its calibration (forecast.evaluation.prior.Basis)."""

from __future__ import annotations

from typing import Optional

SCALE = {"free": ("as observed", "原始尺度"), "positive": ("log or logit", "对数/logit 尺度")}


def basis_text(basis: Optional[dict], lang: str) -> tuple[str, bool]:
    """(sentence, thin) for a run's `settings["basis"][series]` entry; ("", False) for runs without one."""
    if not basis:
        return "", False
    b, zh = basis, lang == "zh"
    scale = SCALE.get(b.get("scale", ""), (b.get("scale", ""), b.get("scale", "")))[1 if zh else 0]
    if b["source"] in ("prior", "prior+local"):
        if zh:
            text = f"校准依据:短序列参考先验({b['k']} 个年度观测、{scale};由其他序列的 {b['prior_windows']} 个窗口拟合)"
            text += (
                f",并按本库回测更新:{b['local_series']} 条序列的 {b['local_points']} 个回测点(权重 {b['local_weight']:.0%})。"
                if b["local_points"]
                else ",本库没有可用的同类回测。"
            )
        else:
            text = (
                f"Calibration rests on the reference prior of short histories ({b['k']} yearly points, {scale} scale; "
                f"fitted on {b['prior_windows']} windows of other series)"
            )
            text += (
                f", updated by this store's back-tests: {b['local_points']} points from {b['local_series']} series "
                f"(weight {b['local_weight']:.0%})."
                if b["local_points"]
                else "; this store has no back-tests of its own to update it."
            )
    else:
        text = (
            f"校准依据:本库回测,{b['local_series']} 条序列的 {b['local_points']} 个回测点。"
            if zh
            else f"Calibration rests on this store's back-tests: {b['local_points']} points from {b['local_series']} series."
        )
    if b.get("thin"):
        if b["source"] == "local":
            text += (
                " 证据薄弱:回测点很少,概率仅供粗略参考。"
                if zh
                else " Thin evidence: few back-test points, so read the probability as rough."
            )
        else:
            text += (
                " 证据薄弱:本库自身回测很少,区间主要取决于参考先验。"
                if zh
                else " Thin evidence: this store's own back-tests are few, so the interval rests mostly on the prior."
            )
    return text, bool(b.get("thin"))
