"""Indicator tables as other plans lay them out: several target-year columns, signed cells, numbered
rows whose names wrap, headers spaced out by the web page. Tables written for these tests."""

from __future__ import annotations

from pathlib import Path

from forecast.extract.cells import value_columns
from forecast.extract.pipeline import extract_document
from forecast.extract.reading import Document


def extract_text(text: str):
    return extract_document(Document(Path("plan.txt"), text, "text"))


GOAL = "某镇品质提升行动方案(2024—2028年)\n二、行动目标\n"


def test_value_columns_name_the_base_and_every_target_year():
    assert value_columns(["序号 指标 单位 2023年现状值 2026年目标值 2028年目标值 属性"]) == [
        (2023, "base"),
        (2026, "target"),
        (2028, "target"),
    ]
    assert value_columns(["指 标 2023年 2026年 2028年 属性"]) == [(2023, "base"), (2026, "target"), (2028, "target")]
    assert value_columns(["指标名称 单 位 2028年指标 指标属性"]) == [(2028, "target")]


def test_two_target_year_columns_give_two_targets_and_the_base_column_a_baseline():
    text = (
        GOAL + "表2 主要指标\n序号 指标名称 单位 2023年基期值 2026年目标值 2028年目标值 指标属性\n"
        "1 茶叶抽检合格率 % 96.1 97 98 约束性\n"
        "2 镇级质量服务站 个 3 6 9 预期性\n"
        "3 河流断面氨氮浓度 毫克/升 0.9 0.8 0.7 约束性\n"
        "三、重点任务\n"
    )
    plan = extract_text(text)
    got = {(t.indicator, t.comparator, t.value, t.year) for t in plan.numeric_targets}
    assert got == {
        ("茶叶抽检合格率", ">=", 97, 2026),
        ("茶叶抽检合格率", ">=", 98, 2028),
        ("镇级质量服务站", ">=", 6, 2026),
        ("镇级质量服务站", ">=", 9, 2028),
        ("河流断面氨氮浓度", "<=", 0.8, 2026),
        ("河流断面氨氮浓度", "<=", 0.7, 2028),
    }
    assert {(b.indicator, b.value, b.year) for b in plan.baselines} == {
        ("茶叶抽检合格率", 96.1, 2023),
        ("镇级质量服务站", 3, 2023),
        ("河流断面氨氮浓度", 0.9, 2023),
    }


def test_signed_cells_empty_cells_and_targets_in_words_per_column():
    text = (
        GOAL + "表2 主要指标\n序号 指标名称 单位 2023年基期值 2026年目标值 2028年目标值 指标属性\n"
        "1 小微企业质量管理覆盖率 % >60 ≥70 ≥80 预期性\n"
        "2 万元产值用水量降低 % — 完成县下达任务 完成县下达任务 约束性\n"
        "3 投诉处理超时率 % 4.5 ≤3 <2 预期性\n"
        "三、重点任务\n"
    )
    plan = extract_text(text)
    got = {(t.indicator, t.comparator, t.value, t.year) for t in plan.targets}
    assert got == {
        ("小微企业质量管理覆盖率", ">=", 70, 2026),
        ("小微企业质量管理覆盖率", ">=", 80, 2028),
        ("万元产值用水量降低", "qualitative", None, 2026),
        ("万元产值用水量降低", "qualitative", None, 2028),
        ("投诉处理超时率", "<=", 3, 2026),
        ("投诉处理超时率", "<=", 2, 2028),
    }
    assert {(b.indicator, b.comparator, b.value, b.year) for b in plan.baselines} == {
        ("小微企业质量管理覆盖率", ">=", 60, 2023),
        ("投诉处理超时率", "==", 4.5, 2023),
    }


def test_numbered_rows_keep_names_wrapped_before_or_after_their_values():
    # No unit column: units in brackets after the name; names wrap onto an indented line after the
    # values, or the values sit on the line after the start of the name; the header is spaced out.
    text = (
        GOAL + "  序号 指  标 2023年 2028年 属性\n"
        "  1 农村集中供水水质达标 88.5 ≥95 约束性\n"
        "     率(%)\n"
        "  2 乡村旅游服务 — 90 预期性\n"
        "     满意度(分)\n"
        "  3 每千人市场抽检量(批次) 1.8 3 约束性\n"
        "  4 电商直播从业人员培训\n"
        "  人次(万人次) 0.6 2 预期性\n"
        "三、重点任务\n"
    )
    plan = extract_text(text)
    got = {(t.indicator, t.comparator, t.value, t.unit, t.year) for t in plan.numeric_targets}
    assert got == {
        ("农村集中供水水质达标率", ">=", 95, "%", 2028),
        ("乡村旅游服务满意度", ">=", 90, "分", 2028),
        ("每千人市场抽检量", ">=", 3, "批次", 2028),
        ("电商直播从业人员培训人次", ">=", 2, "万人次", 2028),
    }
    assert {(b.indicator, b.value, b.year) for b in plan.baselines} == {
        ("农村集中供水水质达标率", 88.5, 2023),
        ("每千人市场抽检量", 1.8, 2023),
        ("电商直播从业人员培训人次", 0.6, 2023),
    }
    assert all(t.quote in text for t in plan.targets + plan.baselines)


def test_a_long_table_row_is_not_joined_to_the_header_as_prose():
    text = (
        GOAL + "表1 指标\n序号 指标名称 单位 2023年基期值 2026年目标值 2028年目标值 指标属性\n"
        "1 规模以上企业卓越绩效管理模式导入率 % 35.2 45 55 预期性\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert {(t.value, t.year) for t in plan.numeric_targets} == {(45, 2026), (55, 2028)}


def test_a_cumulative_cell_in_brackets_restates_the_text_target():
    text = (
        GOAL + "到2028年，单位工业增加值用水量较2023年下降12%。\n表1 指标\n"
        "序号 指标名称 单位 2023年基期值 2028年目标值 指标属性\n"
        "1 单位工业增加值用水量降低 % — 〔12〕 约束性\n注:〔〕内为五年累计数。\n"
    )
    plan = extract_text(text)
    assert [(t.comparator, t.value, t.year, len(t.alt_quotes)) for t in plan.numeric_targets] == [
        ("reduce_by_pct", 12, 2028, 1)
    ]


def test_html_table_with_two_target_year_columns(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(
        "<html><body><p>二、行动目标</p><table>"
        "<tr><td>序号</td><td>指标名称</td><td>单位</td><td>2023年基期值</td><td>2026年目标值</td>"
        "<td>2028年目标值</td><td>指标属性</td></tr>"
        "<tr><td>1</td><td>镇级质量服务站</td><td>个</td><td>3</td><td>6</td><td>9</td><td>预期性</td></tr>"
        "<tr><td>2</td><td>用水量降低</td><td>%</td><td>—</td><td>完成县下达任务</td><td>完成县下达任务</td>"
        "<td>约束性</td></tr></table></body></html>",
        encoding="utf-8",
    )
    from forecast.extract import extract_plan

    plan = extract_plan(path)
    assert {(t.indicator, t.value, t.year) for t in plan.targets} == {
        ("镇级质量服务站", 6, 2026),
        ("镇级质量服务站", 9, 2028),
        ("用水量降低", None, 2026),
        ("用水量降低", None, 2028),
    }
    assert [(b.indicator, b.value, b.year) for b in plan.baselines] == [("镇级质量服务站", 3, 2023)]


def test_header_variants_and_two_target_years_without_a_base_column():
    assert value_columns(["指标 现状值(2023年) 目标值(2028年) 属性"]) == [(2023, "base"), (2028, "target")]
    assert value_columns(["指标 2023年(基期) 2028年(目标)"]) == [(2023, "base"), (2028, "target")]
    # A plan for 2024–2035: both year columns lie inside it, so both are target years.
    assert value_columns(["指标 单位 2028年 2035年 属性"], plan_start=2024) == [(2028, "target"), (2035, "target")]
    assert value_columns(["指标 单位 2023年 2028年 属性"], plan_start=2024) == [(2023, "base"), (2028, "target")]
    text = (
        "某镇远景发展纲要(2024—2035年)\n二、发展目标\n表1 指标\n序号 指标名称 单位 2028年 2035年 指标属性\n"
        "1 林下经济产值 亿元 3-4 6 预期性\n2 入河排污口整治率 % 80 100 约束性\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert {(t.indicator, t.value, t.year) for t in plan.numeric_targets} == {
        ("林下经济产值", 3, 2028),
        ("林下经济产值", 6, 2035),
        ("入河排污口整治率", 80, 2028),
        ("入河排污口整治率", 100, 2035),
    }
    assert plan.baselines == []


def test_a_worded_target_in_text_and_table_is_one_target():
    text = (
        GOAL + "到2028年，单位产值碳排放完成县下达目标任务。\n表1 指标\n"
        "序号 指标名称 单位 2023年基期值 2028年目标值 指标属性\n1 单位产值碳排放降低 % — 完成县下达任务 约束性\n"
        "2 茶叶抽检合格率 % 96 97 约束性\n三、重点任务\n"
    )
    plan = extract_text(text)
    [q] = plan.qualitative_targets
    assert q.year == 2028 and len(q.alt_quotes) == 1


def test_numbered_rows_with_a_category_column_drop_the_category_from_the_name():
    text = (
        GOAL + "  序号 领域 指标 单位 2023年 2028年 属性\n"
        "  1 产业质量 茶叶精深加工率 % 31 ≥45 预期性\n"
        "  2 基础设施 镇级计量服务覆\n     盖率 % 60 100 约束性\n"
        "  3 农村电商网络零售额 亿元 1.2 3 预期性\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert {t.indicator for t in plan.numeric_targets} == {"茶叶精深加工率", "镇级计量服务覆盖率", "农村电商网络零售额"}


def test_tab_separated_table_with_a_vision_year_and_worded_cells_in_two_columns():
    text = (
        "某镇品质提升规划(2024—2028年)\n二、发展目标\n到2028年，镇级检测站检测能力达到县级标准。\n表1 主要指标\n"
        "指标名称\t单位\t2023年\t2028年\t2035年\t属性\n"
        "茶叶抽检合格率\t%\t96\t≥97\t≥98\t约束性\n"
        "镇级检测站检测能力\t—\t—\t达到县级标准\t达到省内先进水平\t预期性\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert {(t.indicator, t.comparator, t.value, t.year) for t in plan.targets} == {
        ("茶叶抽检合格率", ">=", 97, 2028),
        ("茶叶抽检合格率", ">=", 98, 2035),
        ("镇级检测站检测能力", "qualitative", None, 2028),
        ("镇级检测站检测能力", "qualitative", None, 2035),
    }
    assert [(b.value, b.year) for b in plan.baselines] == [(96, 2023)]


def test_a_table_row_that_keeps_the_cue_verb_restates_the_sentence():
    text = (
        GOAL + "到2028年，新增省级专精特新企业4—6家。\n序号 指标名称 单位 2023年基期值 2028年目标值 属性\n"
        "1 新增省级专精特新企业 家 — 4—6 预期性\n2 茶叶抽检合格率 % 96 97 约束性\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert [(t.value, len(t.alt_quotes)) for t in plan.numeric_targets if t.unit == "家"] == [(4, 1)]
