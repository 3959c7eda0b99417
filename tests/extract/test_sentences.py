"""Sentence rules of target extraction, on sentences written for these tests (not from any plan)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.extract.normalise import normalise_unit
from forecast.extract.pipeline import extract_document
from forecast.extract.reading import Document


def extract_text(text: str):
    return extract_document(Document(Path("plan.txt"), text, "text"))


def only_target(text: str):
    plan = extract_text(text)
    numeric = plan.numeric_targets
    assert len(numeric) == 1, [(t.indicator, t.value) for t in plan.targets]
    return numeric[0]


GOAL = "二、发展目标\n"


@pytest.mark.parametrize(
    "sentence, comparator, value, unit",
    [
        ("到2025年，全市食品评价性抽检合格率不低于98.5%。", ">=", 98.5, "%"),
        ("到2025年，城区细颗粒物年均浓度控制在33微克/立方米以下。", "<=", 33, "µg/m³"),
        ("到2025年，城区细颗粒物年均浓度达到33μg/m³。", "<=", 33, "µg/m³"),
        ("到2025年，重点产品监督抽查合格率稳定在96%以上。", "maintain>=", 96, "%"),
        ("到2025年，药品抽验合格率保持在99％以上。", "maintain>=", 99, "%"),
        ("到2025年，万元地区生产总值用水量较2020年下降16%。", "reduce_by_pct", 16, "%"),
        ("到2025年，规上工业增加值比2020年增长30%。", "increase_by_pct", 30, "%"),
        ("到2025年，质量检测服务业营业收入年均增长12%。", "avg_growth>=", 12, "%"),
        ("到2025年，制造业质量竞争力指数达到86左右。", "about", 86, ""),
        ("到2025年，农业标准化生产普及率超过60%。", ">=", 60, "%"),
        ("到2025年，顾客满意度指数达到82分以上。", ">=", 82, "分"),
        ("到2025年，重大工程质量事故发生率不高于0.5‰。", "<=", 0.5, "‰"),
        ("到2025年，建成国家级质检中心4个以上。", ">=", 4, "个"),
        ("到2025年，争创省级质量标杆企业12家。", ">=", 12, "家"),
        ("到2025年，规模以上企业100%建立首席质量官制度。", ">=", 100, "%"),
        ("到2025年，全市现代服务业增加值达到1200亿元。", ">=", 1200, "亿元"),
    ],
)
def test_one_statement_one_target(sentence, comparator, value, unit):
    t = only_target(GOAL + sentence)
    assert (t.comparator, t.value, t.unit, t.year) == (comparator, value, unit, 2025)
    assert t.quote in sentence


def test_base_year_and_list_with_fenbie():
    plan = extract_text(GOAL + "到2025年，化学需氧量、氨氮、挥发性有机物排放量在2020年基础上分别削减9%、8.5%和10%。")
    got = {(t.indicator, t.value, t.base_year, t.comparator) for t in plan.numeric_targets}
    assert got == {
        ("化学需氧量排放量", 9, 2020, "reduce_by_pct"),
        ("氨氮排放量", 8.5, 2020, "reduce_by_pct"),
        ("挥发性有机物排放量", 10, 2020, "reduce_by_pct"),
    }


def test_a_range_keeps_the_end_its_comparator_needs_with_a_note():
    for phrase in ("92%-95%", "92-95%", "92%～95%", "92%至95%"):
        floor = only_target(GOAL + f"到2025年，城镇污水集中处理率达到{phrase}。")
        assert (floor.value, floor.comparator, floor.unit) == (92, ">=", "%") and "range" in floor.note
    ceiling = only_target(GOAL + "到2025年，细颗粒物年均浓度控制在30～35微克/立方米。")
    assert (ceiling.value, ceiling.comparator, ceiling.unit) == (35, "<=", "µg/m³") and "range" in ceiling.note


def test_attribute_in_brackets_after_the_value():
    t = only_target(GOAL + "到2025年，产品质量合格率不低于94%（约束性）。")
    assert t.attribute == "约束性"


def test_years_codes_and_ordinals_are_not_targets():
    text = (
        "经市政府第12次常务会议审议通过，依据《某市质量纲要(2011—2020年)》和某政〔2019〕8号，"
        "结合GB/T19001标准与3·15活动，现印发实施。\n" + GOAL + "一是加强培训，从3个方面入手。"
    )
    assert extract_text(text).targets == []


def test_task_section_needs_a_cue_but_a_goal_section_reads_bare_rates():
    task = "三、主要任务\n每年组织质量活动10次，城市污水处理率95%。\n"
    assert extract_text(task).numeric_targets == []
    goal = GOAL + "到2025年，城市污水处理率95%。\n"
    assert only_target(goal).value == 95


def test_goal_section_year_carries_to_sentences_without_a_year():
    text = GOAL + "(一)总体目标\n到2030年，质量总体水平显著提升。\n(二)具体目标\n计量器具受检率达到92%以上。\n"
    assert only_target(text).year == 2030


def test_status_section_gives_baselines_for_the_plan_it_looks_back_on():
    text = (
        "一、发展现状\n“十三五”期间，全市质量工作成效明显。\n产品质量监督抽查合格率达到93%，"
        "建成省级检验检测中心5个。\n二、发展目标\n到2025年，产品质量监督抽查合格率达到95%以上。\n"
    )
    plan = extract_text(text)
    assert {(b.indicator, b.value, b.year, b.comparator) for b in plan.baselines} == {
        ("产品质量监督抽查合格率", 93, 2020, "=="),
        ("省级检验检测中心", 5, 2020, "=="),
    }
    assert [(t.value, t.year) for t in plan.numeric_targets] == [(95, 2025)]


def test_qualitative_statement_about_a_named_indicator():
    plan = extract_text(GOAL + "到2025年，城乡环境空气质量明显改善，单位工业增加值能耗和水耗逐年下降。")
    names = {t.indicator for t in plan.qualitative_targets}
    assert "城乡环境空气质量" in names and all(t.year == 2025 for t in plan.qualitative_targets)


def test_restatement_in_a_table_is_one_target_with_an_alt_quote():
    text = (
        GOAL + "到2025年，计量器具受检率达到95%以上。\n专栏1 主要指标\n  指标名称 单位 2025年 属性\n"
        "  计量器具受检率 % 95 预期性\n"
    )
    plan = extract_text(text)
    assert len(plan.numeric_targets) == 1
    t = plan.numeric_targets[0]
    assert t.alt_quotes and t.attribute == "预期性"


# ------------------------------------------------------------------ properties

# Characters that spell no cue word, so a generated indicator name cannot change a sentence's meaning.
NAME_CHARS = "城乡农业工产品食药安检测服务企医疗教育文化体森林空气绿地交通物流旅游标准计量认证特种设备"
names = st.text(alphabet=NAME_CHARS, min_size=2, max_size=8).map(lambda s: s + "合格率")
values = st.decimals(min_value=1, max_value=99, places=1).map(float)
years = st.integers(min_value=2021, max_value=2040)
TEMPLATES = [  # (sentence template, comparator)
    ("到{year}年，{name}达到{value}%以上。", ">="),
    ("到{year}年，{name}不低于{value}%。", ">="),
    ("到{year}年，{name}稳定在{value}%以上。", "maintain>="),
    ("到{year}年，{name}保持在{value}%左右。", "about"),
    ("{year}年前，{name}不低于{value}％。", ">="),
    ("力争到{year}年{name}超过{value}%。", ">="),
    ("确保{year}年{name}提高到{value}%。", ">="),
]


@settings(max_examples=60, deadline=None)
@given(name=names, value=values, year=years, template=st.sampled_from(TEMPLATES))
def test_generated_sentences_are_read_with_their_values(name, value, year, template):
    pattern, comparator = template
    sentence = pattern.format(name=name, value=f"{value:g}", year=year)
    t = only_target("三、主要任务\n" + sentence)
    assert (t.value, t.year, t.comparator, t.unit) == (value, year, comparator, "%")
    assert t.indicator == name


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(
        st.one_of(
            st.builds(lambda n, v, y: f"到{y}年，{n}达到{v:g}%以上。", names, values, years),
            st.text(alphabet=NAME_CHARS + "0123456789.%，。、：年月个以上左右到达不低于\n (一)1.二、目标", max_size=40),
        ),
        max_size=8,
    )
)
def test_every_quote_is_a_substring_of_the_document(parts):
    text = GOAL + "".join(parts)
    plan = extract_text(text)
    for item in plan.targets + plan.baselines:
        assert item.quote and item.quote in text
        for alt in item.alt_quotes:
            assert alt in text


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_extraction_never_raises_on_arbitrary_text(text):
    plan = extract_text(text)
    for item in plan.targets + plan.baselines:
        assert item.quote in text


@given(unit=st.sampled_from(["%", "％", "μg/m3", "µg/m³", "微克/立方米", "亿元", "-", "平方公里", "‰"]))
def test_unit_normalisation_is_idempotent(unit):
    assert normalise_unit(normalise_unit(unit)) == normalise_unit(unit)
    assert normalise_unit("μg/m3") == normalise_unit("微克/立方米") == "µg/m³"


def test_five_year_plan_end_and_sentence_opening_year_in_a_goal_section():
    text = GOAL + "到“十四五”末，全县质量工作走在前列。\n居民人均可支配收入年均增长7%左右，常住人口达到52万。\n"
    plan = extract_text(text)
    got = {(t.indicator, t.comparator, t.value, t.unit, t.year) for t in plan.numeric_targets}
    assert got == {("居民人均可支配收入", "avg_growth>=", 7, "%", 2025), ("常住人口", ">=", 52, "万", 2025)}


def test_a_past_year_outside_the_goal_section_states_a_baseline():
    text = "某县质量发展规划(2021—2025年)\n三、主要任务\n2020年，全县产品质量合格率为92%。力争到2024年，培育质量标杆企业8家。\n"
    plan = extract_text(text)
    assert [(b.indicator, b.value, b.year) for b in plan.baselines] == [("产品质量合格率", 92, 2020)]
    assert [(t.indicator, t.value, t.year) for t in plan.numeric_targets] == [("质量标杆企业", 8, 2024)]


def test_markdown_table_with_base_and_target_year_columns():
    text = (
        GOAL + "| 指标 | 单位 | 2020年 | 2025年 | 属性 |\n|---|---|---|---|---|\n"
        "| 食品抽检合格率 | % | 97.8 | ≥98 | 约束性 |\n| 高价值发明专利拥有量 | 件 | 1.1 | 3 | 预期性 |\n"
    )
    plan = extract_text(text)
    assert {(t.indicator, t.value, t.year, t.attribute) for t in plan.numeric_targets} == {
        ("食品抽检合格率", 98, 2025, "约束性"),
        ("高价值发明专利拥有量", 3, 2025, "预期性"),
    }
    assert {(b.indicator, b.value, b.year) for b in plan.baselines} == {
        ("食品抽检合格率", 97.8, 2020),
        ("高价值发明专利拥有量", 1.1, 2020),
    }


LONGER_PLAN = (
    "南湖市“十四五”质量强市建设规划\n"
    "一、发展基础\n"
    "“十三五”时期，全市质量工作取得明显成效，制造业产品质量合格率达到93.6%，新增中国质量奖提名奖1个。\n"
    "二、发展目标\n"
    "到2025年，全市制造业产品质量合格率达到94%以上，食品安全评价性抽检合格率达到98.5%，药品抽检合格率保持在99%以上，主要农产品质量安全例行监测合格率稳定在98%以上。\n"
    "空气质量优良天数比率达到88.6%，细颗粒物（PM2.5）平均浓度控制在32微克/立方米以内，地表水国控断面水质优良（达到或优于Ⅲ类）比例达到90%。\n"
    "单位地区生产总值能源消耗和二氧化碳排放分别下降14%和18%。\n"
    "每万人口高价值发明专利拥有量达到8件，有效注册商标总量突破6万件，新增地理标志产品5个。\n"
    "培育省级以上质量奖获奖企业10家以上，主导或参与制定国际标准3项、国家标准50项、行业标准80项。\n"
    "全市检验检测机构营业收入年均增长10%左右，新建社会公用计量标准20项。\n"
    "城镇新建建筑中绿色建筑面积占比达到100%，农村生活污水治理率提高到50%，人均公园绿地面积达到15平方米。\n"
    "顾客满意度指数保持在80以上，人均预期寿命达到80岁，万元GDP用水量下降到40立方米。\n"
    "森林覆盖率达到40.5%（约束性），质量竞争型产业规模占工业经济比重达到50%左右，R&D经费投入强度达到2.8%，5G基站数量达到5000个，PM10年均浓度下降到60微克/立方米。\n"
    "二氧化硫、氮氧化物排放总量较2020年分别减少10%、12%，重点工程合格率≥99%。\n"
    "“十四五”期间，累计培育“品字标”品牌企业30家。全市食品抽检合格率2025年达到98.5%。\n"
    "三、重点任务\n"
    "推动120家企业开展质量提升行动，组织开展质量诊断。\n"
)


def test_a_longer_plan_written_for_the_tests_is_read_whole():
    """Thirty-three targets stated in the ways plans state them, two baselines, and nothing else."""
    plan = extract_text(LONGER_PLAN)
    got = {(t.indicator, t.comparator, t.value, t.unit, t.year) for t in plan.numeric_targets}
    assert got == {
        ("制造业产品质量合格率", ">=", 94, "%", 2025),
        ("食品安全评价性抽检合格率", ">=", 98.5, "%", 2025),
        ("药品抽检合格率", "maintain>=", 99, "%", 2025),
        ("主要农产品质量安全例行监测合格率", "maintain>=", 98, "%", 2025),
        ("空气质量优良天数比率", ">=", 88.6, "%", 2025),
        ("细颗粒物（PM2.5）平均浓度", "<=", 32, "µg/m³", 2025),
        ("地表水国控断面水质优良（达到或优于Ⅲ类）比例", ">=", 90, "%", 2025),
        ("单位地区生产总值能源消耗", "reduce_by_pct", 14, "%", 2025),
        ("二氧化碳排放", "reduce_by_pct", 18, "%", 2025),
        ("每万人口高价值发明专利拥有量", ">=", 8, "件", 2025),
        ("有效注册商标总量", ">=", 6, "万件", 2025),
        ("地理标志产品", ">=", 5, "个", 2025),
        ("省级以上质量奖获奖企业", ">=", 10, "家", 2025),
        ("主导或参与制定国际标准", ">=", 3, "项", 2025),
        ("国家标准", ">=", 50, "项", 2025),
        ("行业标准", ">=", 80, "项", 2025),
        ("检验检测机构营业收入", "avg_growth>=", 10, "%", 2025),
        ("新建社会公用计量标准", ">=", 20, "项", 2025),
        ("城镇新建建筑中绿色建筑面积占比", ">=", 100, "%", 2025),
        ("农村生活污水治理率", ">=", 50, "%", 2025),
        ("人均公园绿地面积", ">=", 15, "m²", 2025),
        ("顾客满意度指数", "maintain>=", 80, "", 2025),
        ("人均预期寿命", ">=", 80, "岁", 2025),
        ("万元GDP用水量", "<=", 40, "立方米", 2025),
        ("森林覆盖率", ">=", 40.5, "%", 2025),
        ("质量竞争型产业规模占工业经济比重", "about", 50, "%", 2025),
        ("R&D经费投入强度", ">=", 2.8, "%", 2025),
        ("5G基站数量", ">=", 5000, "个", 2025),
        ("PM10年均浓度", "<=", 60, "µg/m³", 2025),
        ("二氧化硫排放总量", "reduce_by_pct", 10, "%", 2025),
        ("氮氧化物排放总量", "reduce_by_pct", 12, "%", 2025),
        ("重点工程合格率", ">=", 99, "%", 2025),
        ("“品字标”品牌企业", ">=", 30, "家", 2025),
    }
    assert len(plan.numeric_targets) == len(got)
    assert {(b.indicator, b.value, b.year, b.comparator) for b in plan.baselines} == {
        ("制造业产品质量合格率", 93.6, 2020, "=="),
        ("中国质量奖提名奖", 1, 2020, "=="),
    }
    assert all(t.quote in LONGER_PLAN for t in plan.targets + plan.baselines)


def test_numbered_rows_and_an_empty_base_cell_in_a_flattened_table():
    text = (
        GOAL + "表1 主要指标\n序号 指标 单位 2020年 2025年 属性\n1 食品抽检合格率 % 97.8 98 约束性\n"
        "2 新增省级以上名牌产品 个 — 20 预期性\n3 单位GDP能耗降低 % — 13.5 约束性\n三、主要任务\n"
    )
    plan = extract_text(text)
    assert {(t.indicator, t.comparator, t.value, t.unit, t.attribute) for t in plan.numeric_targets} == {
        ("食品抽检合格率", ">=", 98, "%", "约束性"),
        ("新增省级以上名牌产品", ">=", 20, "个", "预期性"),
        ("单位GDP能耗降低", "reduce_by_pct", 13.5, "%", "约束性"),
    }
    assert [(b.indicator, b.value, b.year) for b in plan.baselines] == [("食品抽检合格率", 97.8, 2020)]


def test_a_table_pasted_one_cell_per_line():
    cells = [
        "指标",
        "单位",
        "2020年",
        "2025年",
        "属性",
        "食品抽检合格率",
        "%",
        "97.8",
        "98",
        "约束性",
        "新增省级以上名牌产品",
        "个",
        "—",
        "20",
        "预期性",
    ]
    text = GOAL + "表1 主要指标\n" + "\n".join(cells) + "\n三、主要任务\n推动企业提升质量。\n"
    plan = extract_text(text)
    assert {(t.indicator, t.value, t.unit, t.year, t.attribute) for t in plan.numeric_targets} == {
        ("食品抽检合格率", 98, "%", 2025, "约束性"),
        ("新增省级以上名牌产品", 20, "个", 2025, "预期性"),
    }
    assert [(b.indicator, b.value, b.year) for b in plan.baselines] == [("食品抽检合格率", 97.8, 2020)]
    assert all(t.quote in text for t in plan.targets + plan.baselines)


def test_unnumbered_headings_set_the_section():
    text = (
        "发展现状\n2020年，全市产品质量合格率为93%。\n主要目标\n到2025年，产品质量合格率达到95%。\n"
        "重点任务\n每年开展质量培训20场，合格率达标企业数量增长。\n"
    )
    plan = extract_text(text)
    assert [(b.value, b.year) for b in plan.baselines] == [(93, 2020)]
    assert [(t.value, t.year) for t in plan.numeric_targets] == [(95, 2025)]


def test_a_paragraph_hard_wrapped_mid_number_reads_whole():
    text = (
        GOAL
        + "到2025年，全市主要农产品质量安全例行监测合格率稳定在9\n    8.5%以上，食品评价性抽检合格率不低\n于98%。\n"
    )
    plan = extract_text(text)
    got = {(t.indicator, t.comparator, t.value) for t in plan.numeric_targets}
    assert got == {("主要农产品质量安全例行监测合格率", "maintain>=", 98.5), ("食品评价性抽检合格率", ">=", 98)}
    assert all(t.quote in text for t in plan.targets)


@settings(max_examples=60, deadline=None)
@given(name=names, value=values, year=years, template=st.sampled_from(TEMPLATES), data=st.data())
def test_a_line_break_anywhere_after_the_first_line_changes_nothing(name, value, year, template, data):
    pattern, comparator = template
    sentence = "全市质量工作扎实推进，" + pattern.format(name=name, value=f"{value:g}", year=year)
    cut = data.draw(st.integers(min_value=15, max_value=len(sentence) - 2))
    text = "三、主要任务\n" + sentence[:cut] + "\n  " + sentence[cut:]
    t = only_target(text)
    assert (t.value, t.year, t.comparator, t.indicator) == (value, year, comparator, name)
    assert t.quote in text


def test_title_from_the_issuing_notice_and_a_section_of_main_indicators():
    text = (
        "关于印发《白沙县“十四五”质量发展规划》的通知\n各乡镇：现印发给你们。\n二、主要指标\n产品质量合格率达到95%。\n"
    )
    plan = extract_text(text)
    assert (plan.plan_title, plan.region, plan.period) == ("白沙县“十四五”质量发展规划", "白沙县", (2021, 2025))
    assert [(t.value, t.year) for t in plan.numeric_targets] == [(95, 2025)]


def test_a_value_the_plan_schema_refuses_is_kept_as_qualitative_with_a_note(tmp_path):
    from forecast.extract import write_plan_yaml
    from forecast.targets.plans import load_plan

    plan = extract_text(GOAL + "到2025年，不合格产品数量较2020年下降120%。")
    [t] = plan.targets
    assert (t.comparator, t.value) == ("qualitative", 120) and "refuses" in t.note
    assert load_plan(write_plan_yaml(plan, tmp_path / "p.yaml")).targets[0].comparator.value == "qualitative"


@settings(max_examples=40, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            [
                "到2030年，",
                "质量合格率",
                "浓度",
                "较2020年下降",
                "年均增长",
                "稳定在",
                "达到",
                "不低于",
                "以上",
                "左右",
                "120%",
                "95%",
                "35微克/立方米",
                "8个",
                "、",
                "，",
                "。",
                "\n",
                "二、发展目标\n",
                "分别",
                "和",
            ]
        ),
        max_size=30,
    )
)
def test_every_extracted_file_loads_as_a_plan(tmp_path_factory, parts):
    from forecast.extract import write_plan_yaml
    from forecast.targets.plans import load_plan

    plan = extract_text("".join(parts))
    out = tmp_path_factory.mktemp("plans") / "p.yaml"
    assert len(load_plan(write_plan_yaml(plan, out)).targets) == len(plan.targets)


def test_from_to_gives_the_starting_level_as_a_baseline():
    text = (
        "某市质量发展规划(2021—2025年)\n"
        + GOAL
        + "到2025年，城镇生活污水集中处理率由2020年的91%提高到95%，万元产值能耗从0.62吨标准煤降低到0.55吨标准煤。"
    )
    plan = extract_text(text)
    assert {(t.indicator, t.comparator, t.value, t.unit, t.year) for t in plan.numeric_targets} == {
        ("城镇生活污水集中处理率", ">=", 95, "%", 2025),
        ("万元产值能耗", "<=", 0.55, "吨标准煤", 2025),
    }
    assert {(b.indicator, b.value, b.year) for b in plan.baselines} == {
        ("城镇生活污水集中处理率", 91, 2020),
        ("万元产值能耗", 0.62, 2020),
    }


def test_an_indicator_that_is_a_growth_rate_and_accumulated_counts():
    plan = extract_text(GOAL + "到2025年，规上工业增加值年均增速保持在7%左右，有效发明专利累计达到3000件。")
    assert {(t.indicator, t.comparator, t.value, t.unit) for t in plan.numeric_targets} == {
        ("规上工业增加值年均增速", "avg_growth>=", 7, "%"),
        ("有效发明专利", ">=", 3000, "件"),
    }


def test_the_level_of_an_earlier_year_beside_a_target_is_a_baseline():
    plan = extract_text(GOAL + "到2025年，产品质量合格率达到95%（2020年为93.1%），森林覆盖率达到46%。")
    assert {(t.indicator, t.value, t.year) for t in plan.numeric_targets} == {
        ("产品质量合格率", 95, 2025),
        ("森林覆盖率", 46, 2025),
    }
    assert [(b.indicator, b.value, b.year, b.comparator) for b in plan.baselines] == [
        ("产品质量合格率", 93.1, 2020, "==")
    ]
