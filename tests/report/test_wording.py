"""report.wording: one place, per language, that puts an assessment's state and parameters into words;
results stored by older runs (which carried text) still render."""

from __future__ import annotations

import datetime as dt

from forecast.report import build_report, wording
from forecast.report.write import render_html, render_markdown
from forecast.schema import Plan, Target
from forecast.targets.feasibility import Status, not_assessable

OLD_RESULT = {  # as a run stored it before assessments carried parameters
    "target_id": "t1",
    "status": "forecast",
    "message_en": "P(met in 2020) = 42%, about as likely as not",
    "message_zh": "2020年达标概率 42%,不确定",
    "series_id": None,
    "probability": 0.42,
    "band": "about_even",
    "target_year": 2020,
    "notes": [
        {"en": "gaps filled by interpolation for the models: 2012", "zh": "模型使用的缺失期已插值补齐:2012"},
        "plain old note",
    ],
}


def test_every_state_has_words_in_both_languages():
    target = Target(id="t", comparator=">=", value=1, year=2020)
    for status in Status:
        for lang in ("zh", "en"):
            result = not_assessable(target, status).to_dict()
            assert status.value in wording.words(lang).STATUS
            assert wording.message(result, lang)  # never empty, never a code
            assert "_" not in wording.status(status.value, lang) and "_" not in wording.message(result, lang)


def test_an_old_result_keeps_its_stored_text():
    assert wording.message(OLD_RESULT, "en") == OLD_RESULT["message_en"]
    assert wording.message(OLD_RESULT, "zh") == OLD_RESULT["message_zh"]
    assert wording.note(OLD_RESULT["notes"][0], "zh") == "模型使用的缺失期已插值补齐:2012"
    assert wording.note("plain old note", "zh") == "plain old note"


def test_a_stored_run_from_before_parameters_still_renders(store):
    store.save_plan(
        Plan(
            id="old",
            targets=[
                {"id": "t1", "indicator": "旧目标", "comparator": ">=", "value": 1, "year": 2020, "attribute": "约束性"}
            ],
        )
    )
    store.save_run(
        {
            "id": "r-old",
            "plan_id": "old",
            "as_of": None,
            "created_at": dt.datetime(2024, 1, 1),
            "settings": {},
            "data_hash": "",
        },
        [OLD_RESULT],
        [],
    )
    for lang in ("zh", "en"):
        report = build_report(store, "r-old", lang=lang, charts=False)
        (view,) = report.targets
        assert view.message == OLD_RESULT[f"message_{lang}"]
        html, md = render_html(report, embed_font=False), render_markdown(report, "charts")
        assert OLD_RESULT[f"message_{lang}"] in html and OLD_RESULT[f"message_{lang}"] in md
        assert "plain old note" in html and view.time_progress == "—"
        assert [v.target.id for v in report.summary.early_warning] == ["t1"]  # binding, 42%: on the 预警 list


def test_the_step_needed_is_in_the_planners_unit():
    r = {"required_step": 0.6, "average_step": 0.4, "best_step": 0.9}
    assert (
        wording.step(r, "%", "zh")
        == "每年需提高 0.6 个百分点(历史年均 +0.4,最佳单年 +0.9;快于历史平均,但不超过最佳单年)"
    )
    pm = {"required_step": -2.1, "average_step": -1.5, "best_step": -1.9}
    assert wording.step(pm, "µg/m³", "en") == (
        "must fall 2.1 µg/m³ a year (history: average -1.5, best year -1.9; faster than the best year on record)"
    )
    assert wording.step({"required_step": None}, "%", "en") == "—"  # met already: nothing is required
