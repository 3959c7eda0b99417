"""Sentence rules added for plans the extractor was not developed on: count units, subjectless
clauses, what a baseline is and is not, changes in percentage points. Sentences written for these
tests (not taken from any plan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecast.extract.context import stated_years
from forecast.extract.pipeline import extract_document
from forecast.extract.reading import Document


def extract_text(text: str):
    return extract_document(Document(Path("plan.txt"), text, "text"))


TITLE = "某镇品质提升行动方案(2024—2028年)\n"
GOAL = TITLE + "二、行动目标\n"


@pytest.mark.parametrize(
    "sentence, value, unit",
    [
        ("到2028年，每万人市场抽检量达到 6 批次以上。", 6, "批次"),
        ("到2028年，基层执法人员年人均培训不少于 32 学时。", 32, "学时"),
        ("到2028年，乡村旅游接待游客达到 45 万人次。", 45, "万人次"),
        ("到2028年，新增电商经营主体1.5万户。", 1.5, "万户"),
        ("到2028年，培育农产品区域公用品牌4—6个。", 4, "个"),
        ("到2028年，茶园绿色防控覆盖率达到70%—75%。", 70, "%"),
    ],
)
def test_count_units_and_ranges_keep_their_unit_and_lower_bound(sentence, value, unit):
    plan = extract_text(GOAL + sentence)
    assert [(t.value, t.unit, t.year) for t in plan.numeric_targets] == [(value, unit, 2028)]


def test_a_clause_without_a_subject_is_about_the_previous_clause():
    plan = extract_text(
        GOAL + "到2028年，全镇茶产业综合产值突破30亿元，年均增长8%以上；乡村民宿营业收入年均增长12%，达到2.4亿元左右。"
    )
    got = {(t.indicator, t.comparator, t.value, t.unit) for t in plan.numeric_targets}
    assert got == {
        ("茶产业综合产值", ">=", 30, "亿元"),
        ("茶产业综合产值", "avg_growth>=", 8, "%"),
        ("乡村民宿营业收入", "avg_growth>=", 12, "%"),
        ("乡村民宿营业收入", "about", 2.4, "亿元"),
    }


def test_stated_years_leave_out_comparison_bases_and_spans():
    assert stated_years("2023年，合格率为96%，较2018年提高3个百分点，自2019年以来年均增长5%") == [2023]
    assert stated_years("在2020年基础上增长10%，2021—2023年累计") == []


STATUS = (
    TITLE + "一、发展基础\n"
    "2023年，全镇茶叶抽检合格率达到96.2%，较2018年提高2.4个百分点；农产品快检合格率为98.1%。"
    "茶产业综合产值完成21.5亿元，自2019年以来年均增长9.1%，高于全县平均水平1.6个百分点。"
    "2021年茶叶抽检合格率曾一度降至92%左右。全镇常住人口约6.3万人，镇域面积212平方公里。\n"
    "二、行动目标\n到2028年，茶叶抽检合格率比2023年提高1.8个百分点。\n"
)


def test_a_baseline_is_a_level_at_the_base_year_not_a_change_a_comparison_or_background():
    plan = extract_text(STATUS)
    assert {(b.indicator, b.comparator, b.value, b.year) for b in plan.baselines} == {
        ("茶叶抽检合格率", "==", 96.2, 2023),
        ("农产品快检合格率", "==", 98.1, 2023),
        ("茶产业综合产值", "==", 21.5, 2023),
    }


def test_a_change_in_points_becomes_a_level_when_the_base_level_is_stated():
    plan = extract_text(STATUS)
    [t] = plan.numeric_targets
    assert (t.indicator, t.comparator, t.value, t.unit, t.year) == ("茶叶抽检合格率", ">=", 98.0, "%", 2028)
    alone = extract_text(GOAL + "到2028年，茶叶抽检合格率比2023年提高1.8个百分点。")
    [q] = alone.targets
    assert (q.comparator, q.value, q.unit) == ("qualitative", 1.8, "个百分点")  # no base level: left for review


def test_a_semicolon_ends_the_subject_a_bare_metric_can_borrow():
    plan = extract_text(GOAL + "到2028年，河道水质稳定达到Ⅲ类；新生儿死亡率控制在3‰以内。")
    assert [t.indicator for t in plan.numeric_targets] == ["新生儿死亡率"]


QUALITATIVE = (
    GOAL + "到2026年，全镇茶叶质量追溯体系基本建立。\n"
    "到2028年，河道出境断面水质稳定达到Ⅱ类及以上，镇区声环境质量达到县考核要求，"
    "茶叶检测站检测能力达到国内先进水平，力争创成省级生态文明示范镇。"
    "农村饮用水水质监测实现行政村全覆盖。\n"
    "环境质量明显改善，茶产业品牌影响力、市场竞争力和消费者满意度明显提升，"
    "主要产品质量达到国内先进水平，建成更加宜居、更有活力的示范镇。\n"
    "三、重点任务\n推进镇村快递网点建设。到2027年，实现规模茶企电子追溯全覆盖。\n"
    "推动家庭农场质量管理实现全覆盖，加工能力达到国内领先水平。\n"
)


def test_qualitative_targets_for_named_indicators_and_titles_but_not_broad_aims():
    plan = extract_text(QUALITATIVE)
    got = {(q.indicator, q.year) for q in plan.qualitative_targets}
    assert got == {
        ("河道出境断面水质", 2028),
        ("镇区声环境质量", 2028),
        ("茶叶检测站检测能力", 2028),
        ("省级生态文明示范镇", 2028),
        ("农村饮用水水质监测行政村覆盖率", 2028),
        ("规模茶企电子追溯覆盖率", 2027),
    }


def test_coverage_of_all_units_a_national_standard_and_a_base_at_the_end_of_a_five_year_plan():
    plan = extract_text(
        GOAL + "到2028年，计量检定服务网络覆盖所有行政村，镇区空气质量达到国家环境空气质量二级标准，"
        "茶叶抽检合格率比“十四五”末提高1个百分点。"
    )
    assert {q.indicator for q in plan.qualitative_targets if q.value is None} == {
        "计量检定服务网络行政村覆盖率",
        "镇区空气质量",
    }
    [change] = [t for t in plan.targets if t.value is not None]
    assert (change.value, change.unit, change.base_year, change.indicator) == (1, "个百分点", 2025, "茶叶抽检合格率")


def test_administrative_units_in_the_status_section_are_no_baselines():
    plan = extract_text(TITLE + "一、发展基础\n2023年，全镇辖14个行政村，建成村级质量服务点9个。\n")
    assert [(b.indicator, b.value) for b in plan.baselines] == [("村级质量服务点", 9)]


def test_task_section_counts_after_a_building_verb_and_shortened_durations():
    plan = extract_text(
        TITLE + "三、重点任务\n建设镇级农产品快检室2个，优化办事流程。到2026年，"
        "食品经营许可办理时间压缩至3个工作日以内。\n推动茶企开展质量诊断。\n"
    )
    got = {(t.comparator, t.value, t.unit, t.year) for t in plan.numeric_targets}
    assert got == {(">=", 2, "个", None), ("<=", 3, "个工作日", 2026)}


def test_a_restatement_without_a_unit_is_the_same_target():
    text = (
        GOAL + "到2028年，特种设备万台死亡率控制在0.2以下。\n表1 指标\n"
        "序号 指标名称 单位 2023年基期值 2028年目标值 指标属性\n1 特种设备万台死亡率 人 0.3 ≤0.2 约束性\n"
        "2 茶叶抽检合格率 % 96 97 约束性\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert [(t.value, len(t.alt_quotes)) for t in plan.numeric_targets if t.value == 0.2] == [(0.2, 1)]


def test_a_per_capita_denominator_between_cue_and_number_belongs_to_the_name():
    plan = extract_text(GOAL + "到2028年，食品安全抽检量不少于每千人5批次。")
    assert [(t.indicator, t.comparator, t.value, t.unit) for t in plan.numeric_targets] == [
        ("食品安全抽检量(每千人)", ">=", 5, "批次")
    ]


def test_a_work_foundation_section_states_baselines_and_rank_statements_are_qualitative():
    plan = extract_text(
        "某区品质行动方案(2024—2026年)\n一、工作基础\n2023年，全区获评省级质量标杆企业4家，"
        "与2022年相比，区域质量竞争力指数提升1.3。\n二、工作目标\n到2026年，"
        "公共服务质量满意度位居全市前列。\n"
    )
    assert [(b.indicator, b.value, b.year) for b in plan.baselines] == [("省级质量标杆企业", 4, 2023)]
    assert [(t.indicator, t.comparator, t.year) for t in plan.targets] == [("公共服务质量满意度", "qualitative", 2026)]
