"""Rules for targets as web pages and news releases state them, on text written for these tests
(fictional places and figures, not from any plan): target passages without headings, years in odd
places, thresholds inside names, counts of the plan's own structure, Chinese numerals."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecast.extract.lexicon import target_years
from forecast.extract.numerals import chinese_number
from forecast.extract.pipeline import extract_document
from forecast.extract.reading import Document


def extract_text(text: str):
    return extract_document(Document(Path("plan.txt"), text, "text"))


def numeric(text: str) -> set[tuple]:
    return {(t.indicator, t.comparator, t.value, t.unit, t.year) for t in extract_text(text).numeric_targets}


# ---------------------------------------------------------------- target passages without headings


def test_a_paragraph_announcing_the_main_targets_gives_its_year_to_the_list_after_it():
    text = (
        "近日,省政府印发《某省质量工作意见》。\n"
        "《意见》明确主要目标,到2027年,质量总体水平稳步提高。\n"
        "一是产业质量明显提升。茶叶加工合格率达到97%,竹木制品抽检合格率达到95%以上。\n"
        "二是服务质量明显改善。公共服务满意度达到82。\n"
        "他表示,去年全省共抽检样品3200批次。\n"
    )
    got = numeric(text)
    assert ("茶叶加工合格率", ">=", 97, "%", 2027) in got
    assert ("竹木制品抽检合格率", ">=", 95, "%", 2027) in got
    assert ("公共服务满意度", ">=", 82, "", 2027) in got
    assert not any(v == 3200 for _, _, v, _, _ in got)  # the list is over: a past count is no target


def test_a_year_before_the_words_specific_targets_governs_the_answer():
    text = "[答]:2026年具体目标是:林下种植标准化普及率超过40%,鲜果抽检合格率稳定在96%以上。\n"
    assert numeric(text) == {
        ("林下种植标准化普及率", ">=", 40, "%", 2026),
        ("鲜果抽检合格率", "maintain>=", 96, "%", 2026),
    }


def test_a_paragraph_listing_more_of_the_plans_indicators_takes_the_target_year_stated_before():
    text = (
        "规划提出,到2026年,水产品抽检合格率达到98%。\n"
        "根据规划,将着力提升服务质量。\n"
        "规划提出的具体量化指标还包括:建成渔业标准化示范区12个、认证示范基地30个等。\n"
    )
    got = numeric(text)
    assert ("渔业标准化示范区", ">=", 12, "个", 2026) in got
    assert ("认证示范基地", ">=", 30, "个", 2026) in got


def test_with_a_goal_as_the_aim_of_a_task_is_no_target_passage():
    text = "以提升果品质量安全水平为目标,坚持标准引领。\n共建成检测站点7个。\n"
    assert all(t.year is None for t in extract_text(text).numeric_targets)


def test_headings_run_into_the_text_on_one_line_still_open_their_sections():
    text = (
        "结合我县实际,制定本方案。一、指导思想以新发展理念为指导,全力创建示范县。二、创建目标2027年6月底前,"
        "各项创建指标全部达标。(一)质量安全水平明显提高。鲜果抽检合格率达到98%以上,问题产品处置率达到100%。\n"
    )
    got = numeric(text)
    assert ("鲜果抽检合格率", ">=", 98, "%", 2027) in got
    assert ("问题产品处置率", ">=", 100, "%", 2027) in got


def test_a_deadline_with_a_month_is_a_target_year():
    assert [y for _, y in target_years("2027年6月底前,各项指标达标")] == [2027]
    assert [y for _, y in target_years("力争2026年9月前完成")] == [2026]


def test_a_year_opening_a_headline_is_the_year_of_its_target_and_the_text_restates_it():
    text = (
        "某市印发质量强市方案\n\n2028年竹产业质量竞争力指数达88\n\n"
        "《方案》提出,到2028年,竹产业质量竞争力指数达到88,鲜笋抽检合格率达到97%以上。\n"
    )
    plan = extract_text(text)
    index = [t for t in plan.numeric_targets if t.value == 88]
    assert len(index) == 1 and index[0].year == 2028 and index[0].alt_quotes  # one target, two quotes


# ---------------------------------------------------------------- what is not a target


def test_a_threshold_inside_a_name_is_not_a_target():
    text = "到2026年,年营业收入超过500亿元的龙头企业达到6家,占地面积1万平方米以上的物流园区达到4个。\n"
    got = numeric(text)
    assert ("年营业收入超过500亿元的龙头企业", ">=", 6, "家", 2026) in got
    assert not any(v in (500, 1) for _, _, v, _, _ in got)


def test_counts_of_the_plans_own_parts_and_partners_are_not_targets():
    text = (
        "某市监管局会同14个部门印发《行动方案》,从提升农产品质量、促进服务品质大幅提升3个方面明确任务,"
        "提出5项措施和12项重点任务。到2026年,蜂产品抽检合格率达到97%。\n"
    )
    assert numeric(text) == {("蜂产品抽检合格率", ">=", 97, "%", 2026)}


def test_a_handling_rate_of_bad_things_is_better_when_higher():
    got = numeric("二、主要目标\n到2026年,不合格产品处置率达到100%,事故隐患整改率达到98%。\n")
    assert ("不合格产品处置率", ">=", 100, "%", 2026) in got
    assert ("事故隐患整改率", ">=", 98, "%", 2026) in got


def test_an_inclusive_note_between_the_number_and_its_bound_is_read_through():
    got = numeric("到2027年,考核评价总分在85分(含85分)以上。\n")
    assert got == {("考核评价总分", ">=", 85, "分", 2027)}


def test_a_per_person_unit_is_one_unit():
    assert numeric("到2027年,全员劳动生产率达到18万元/人。\n") == {("全员劳动生产率", ">=", 18, "万元/人", 2027)}


def test_two_statements_that_differ_only_by_the_place_name_in_front_are_one_target():
    text = (
        "到2026年,某省鲜茶抽检合格率要保持在96%以上。\n"
        "《意见》提出,到2026年,本地鲜茶抽检合格率保持在96%以上,茶园标准化率超过40%。\n"
    )
    tea = [t for t in extract_text(text).numeric_targets if t.value == 96]
    assert len(tea) == 1 and len(tea[0].alt_quotes) == 1


def test_levels_named_back_by_these_n_indicators_are_baselines_of_those_indicators():
    text = (
        "规划提出到2026年,竹制品质量竞争力指数要达到86,竹制品抽检合格率要达到95%。"
        "而在2021年,这2个指标分别是84.2和93.1%。\n"
    )
    plan = extract_text(text)
    assert {(b.indicator, b.value, b.unit, b.year) for b in plan.baselines} == {
        ("竹制品质量竞争力指数", 84.2, "", 2021),
        ("竹制品抽检合格率", 93.1, "%", 2021),
    }
    assert {(t.value, t.year) for t in plan.numeric_targets} == {(86, 2026), (95, 2026)}


# ---------------------------------------------------------------- Chinese numerals and wordings


@pytest.mark.parametrize(
    "text, value",
    [
        ("九十五", 95),
        ("十", 10),
        ("两", 2),
        ("一百", 100),
        ("九十五点五", 95.5),
        ("三", 3),
        ("二十", 20),
        ("一千二百", 1200),
    ],
)
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("到2026年,鲜果抽检合格率达到百分之九十五以上。", ("鲜果抽检合格率", ">=", 95, "%", 2026)),
        (
            "到2026年,规模以上企业九成以上通过质量管理体系认证。",
            ("规模以上企业通过质量管理体系认证", ">=", 90, "%", 2026),
        ),
        ("到2026年,绿色食品认证数量比2021年翻一番。", ("绿色食品认证数量", "increase_by_pct", 100, "%", 2026)),
    ],
)
def test_chinese_numerals_in_targets(sentence, expected):
    assert expected in numeric("二、发展目标\n" + sentence + "\n")


def test_points_in_words_are_points():
    plan = extract_text("二、发展目标\n到2026年,鲜果抽检合格率比2021年提高两个百分点。\n")
    t = plan.targets[0]
    assert (t.comparator, t.value, t.unit, t.year, t.base_year) == ("qualitative", 2, "个百分点", 2026, 2021)


def test_a_chinese_numeral_outside_these_frames_is_no_number():
    text = "二、发展目标\n到2026年,打造一批质量标杆,形成三个方面的工作格局,一成不变的做法要改。\n"
    assert extract_text(text).numeric_targets == []


@pytest.mark.parametrize(
    "sentence, indicator",
    [
        ("到2026年,城区黑臭水体基本消除。", "城区黑臭水体"),
        ("到2026年,全面消除劣Ⅴ类水体。", "劣Ⅴ类水体"),
    ],
)
def test_elimination_is_a_qualitative_target(sentence, indicator):
    plan = extract_text("二、发展目标\n" + sentence + "\n")
    assert [(t.indicator, t.comparator, t.year) for t in plan.targets] == [(indicator, "qualitative", 2026)]


def test_two_years_and_two_values_after_fenbie_pair_in_order():
    got = numeric("二、发展目标\n鲜茶抽检合格率到2024年和2026年分别达到96%和98%。\n")
    assert got == {("鲜茶抽检合格率", ">=", 96, "%", 2024), ("鲜茶抽检合格率", ">=", 98, "%", 2026)}


def test_a_word_with_ji_inside_is_one_name_and_directions_in_words_are_qualitative():
    plan = extract_text(
        "二、发展目标\n到2026年,林下种植标准化普及率稳步提升,服务质量满意度全面提升,单位产值资源消耗不断下降。\n"
    )
    assert {(t.indicator, t.comparator, t.year) for t in plan.targets} == {
        ("林下种植标准化普及率", "qualitative", 2026),
        ("服务质量满意度", "qualitative", 2026),
        ("单位产值资源消耗", "qualitative", 2026),
    }


def test_a_page_served_in_traditional_characters_reads_like_simplified():
    text = "二、發展目標\n到2026年,鮮茶抽檢合格率達到97%以上,茶園標準化率超過40%,顧客滿意度顯著提高。\n"
    plan = extract_text(text)
    assert numeric(text) == {("鮮茶抽檢合格率", ">=", 97, "%", 2026), ("茶園標準化率", ">=", 40, "%", 2026)}
    assert all(t.quote in text for t in plan.targets)  # quotes keep the page's own characters
    assert ("顧客滿意度", "qualitative") in {(t.indicator, t.comparator) for t in plan.targets}


def test_simplified_characters_that_are_also_traditional_forms_stay():
    from forecast.extract.normalise import char_normalise

    assert char_normalise("显著提高著名商标") == "显著提高著名商标"
    assert char_normalise("達到") == "达到"


def test_a_paragraph_opening_with_a_by_year_governs_the_dash_items_after_it():
    text = (
        "到2027年,全县质量总体水平显著提高。\n"
        "——供给质量明显提升。鲜果抽检合格率稳定在97%以上。\n"
        "——品牌建设成效增强。力争注册商标总量达到3万件。\n"
    )
    assert numeric(text) == {("鲜果抽检合格率", "maintain>=", 97, "%", 2027), ("注册商标总量", ">=", 3, "万件", 2027)}


def test_a_count_added_every_year_is_a_target_without_a_year():
    # the name keeps "每年新增": the count is per year
    assert numeric("推进公园建设,每年新增城市口袋公园6个。\n") == {("每年新增城市口袋公园", ">=", 6, "个", None)}


def test_pinyin_a_mirror_site_writes_after_characters_is_dropped_on_reading(tmp_path):
    from forecast.extract import extract_plan

    doc = tmp_path / "page.txt"
    doc.write_text("到2027年,鲜果抽检合格率穩(wěn)定在97%以上,茶產(chǎn)品合格率達(dá)到95%。\n", encoding="utf-8")
    plan = extract_plan(doc)
    assert {(t.indicator, t.comparator, t.value) for t in plan.numeric_targets} == {
        ("鲜果抽检合格率", "maintain>=", 97),
        ("茶產品合格率", ">=", 95),
    }
    assert "(wěn)" not in plan.text and "(2027)" not in plan.text


def test_the_worst_water_class_share_is_better_when_lower():
    assert numeric("二、发展目标\n到2026年,劣Ⅴ类水体比例达到0。\n") == {("劣Ⅴ类水体比例", "<=", 0, "", 2026)}


def test_what_exists_already_is_no_target_and_a_staffing_count_is():
    got = numeric("二、发展目标\n依托现有18个水质自动监测站点开展监测,每个乡镇至少配备3名专职检查人员。\n")
    assert got == {("专职检查人员", ">=", 3, "名", None)}  # no plan period, no year stated


def test_a_rate_per_thousand_people_is_one_unit_in_a_list_with_two_years():
    got = numeric("二、发展目标\n食品抽检量2024年、2026年分别达到4.5批次/千人、5批次/千人。\n")
    assert got == {("食品抽检量", ">=", 4.5, "批次/千人", 2024), ("食品抽检量", ">=", 5, "批次/千人", 2026)}


def test_a_serial_after_the_category_cell_is_no_part_of_the_name():
    text = (
        "某县环境方案(2024—2028年)\n二、主要目标\n类别 序号 指标名称 单位 2023年 2028年 属性\n"
        "环境质量  1  细颗粒物浓度  ug/m3  36  ≤31  约束性\n"
        "          2  优良天数比例  %  84  88  约束性\n三、重点任务\n"
    )
    assert numeric(text) == {("细颗粒物浓度", "<=", 31, "µg/m³", 2028), ("优良天数比例", ">=", 88, "%", 2028)}


def test_a_target_passage_goes_on_while_its_paragraphs_state_levels():
    text = (
        "《方案》提出,到2027年,全市质量水平明显提升。鲜果抽检合格率达到97%以上。\n"
        "竹木制品合格率达到95%,茶叶合格率\n稳定在98%以上。\n"  # a list broken into lines, as hard wrapping does
        "他说,去年全市共抽检样品3200批次。\n"
    )
    got = numeric(text)
    assert {(v, y) for _, _, v, _, y in got} == {(97, 2027), (95, 2027), (98, 2027)}


def test_full_width_pinyin_is_dropped_too(tmp_path):
    from forecast.extract import extract_plan

    doc = tmp_path / "page.txt"
    doc.write_text("到2027年,鲜果抽检合格率穩（ｗěｎ）定在97%以上。\n", encoding="utf-8")
    assert {t.value for t in extract_plan(doc).numeric_targets} == {97}


def test_people_and_firms_taking_part_are_no_targets():
    text = (
        "二、发展目标\n到2026年,鲜果抽检合格率达到97%。质量月活动共有1200余人参加,"
        "300多家企业参与质量承诺,培训质量管理人员500人次。\n"
    )
    assert {v for _, _, v, _, _ in numeric(text)} == {97, 500}
