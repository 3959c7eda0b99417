"""Indicator tables as web pages flatten them, found by their shape: headers without 指标/单位/属性,
one cell per line with blank lines between, category cells split over two lines, rows of unequal
length, values with and without units, counts beside rates, rows that cannot be read. Tables written
for these tests (fictional places and figures)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.extract.pipeline import extract_document
from forecast.extract.reading import Document


def extract_text(text: str):
    return extract_document(Document(Path("plan.txt"), text, "text"))


def got(plan) -> set[tuple]:
    return {(t.indicator, t.comparator, t.value, t.unit, t.year) for t in plan.numeric_targets}


GOAL = "某县质量强县实施方案(2024—2028年)\n二、主要目标\n到2028年,全县质量总体水平明显提升。\n\n"

STACKED = (
    GOAL
    + "\n\n".join(
        [
            "序号",
            "分类",
            "工作内容及指标",
            "2028年目标",
            "1",
            "产品\n质量",
            "竹木制品监督抽查合格率",
            "96%",
            "2",
            "茶叶抽检合格率",
            "98.5",  # the category cell spans rows 1-2
            "3",
            "品牌\n建设",
            "省级质量标杆企业",
            "家",
            "12",  # a count, its unit in a cell of its own
            "4",
            "地理标志产品",
            "6个",  # a count with its unit in the value cell
            "5",
            "服务质量顾客满意度",
            "82",
        ]
    )
    + "\n\n三、重点任务\n"
)


def test_a_table_one_cell_per_line_with_a_category_column_and_no_unit_column():
    plan = extract_text(STACKED)
    assert got(plan) == {
        ("竹木制品监督抽查合格率", ">=", 96, "%", 2028),
        ("茶叶抽检合格率", ">=", 98.5, "", 2028),
        ("省级质量标杆企业", ">=", 12, "家", 2028),
        ("地理标志产品", ">=", 6, "个", 2028),
        ("服务质量顾客满意度", ">=", 82, "", 2028),
    }
    assert all(t.source == "table" for t in plan.numeric_targets)
    assert len(plan.tables) == 1 and plan.unread == []


def test_a_header_with_only_the_target_year_and_rows_cut_after_their_value():
    text = (
        GOAL
        + "\n".join(
            ["主要指标", "2028年", "鲜笋抽检合格率", "97%", "县级检测站", "个", "8", "工程质量抽查符合率", "95"]
        )
        + "\n三、重点任务\n"
    )
    assert got(extract_text(text)) == {
        ("鲜笋抽检合格率", ">=", 97, "%", 2028),
        ("县级检测站", ">=", 8, "个", 2028),
        ("工程质量抽查符合率", ">=", 95, "", 2028),
    }


def test_a_base_and_a_target_column_without_the_word_indicator():
    text = (
        GOAL
        + "\n\n".join(
            ["类别", "内容", "2023年", "2028年", "产品", "竹制品合格率", "93.2", "96", "茶园标准化率", "40", "60"]
        )
        + "\n\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert got(plan) == {("竹制品合格率", ">=", 96, "", 2028), ("茶园标准化率", ">=", 60, "", 2028)}
    assert {(b.indicator, b.value, b.year) for b in plan.baselines} == {
        ("竹制品合格率", 93.2, 2023),
        ("茶园标准化率", 40, 2023),
    }


def test_a_row_that_cannot_be_read_is_reported_with_its_lines():
    text = (
        GOAL
        + "\n\n".join(
            [
                "序号",
                "分类",
                "工作内容及指标",
                "2028年目标",
                "1",
                "竹木制品监督抽查合格率",
                "96%",
                "2",
                "质量基础设施",
                "健全完善",  # no value the reader knows
                "3",
                "茶叶抽检合格率",
                "98",
            ]
        )
        + "\n\n三、重点任务\n"
    )
    plan = extract_text(text)
    assert {t.value for t in plan.numeric_targets} == {96, 98}
    assert len(plan.unread) == 1
    assert "质量基础设施" in plan.unread[0].lines and "健全完善" in plan.unread[0].lines
    assert plan.unread[0].lines in plan.text


def test_a_whitespace_laid_out_table_whose_header_is_all_headings():
    text = GOAL + (
        "序号 分类 工作内容及指标 2028年目标\n1 产品质量 竹木制品监督抽查合格率 96%\n"
        "2 茶叶抽检合格率 98.5\n3 品牌建设 省级质量标杆企业 家 12\n三、重点任务\n"
    )
    assert got(extract_text(text)) == {
        ("竹木制品监督抽查合格率", ">=", 96, "%", 2028),
        ("茶叶抽检合格率", ">=", 98.5, "", 2028),
        ("省级质量标杆企业", ">=", 12, "家", 2028),
    }


def test_short_lines_that_are_not_a_table_stay_prose():
    text = GOAL + "\n".join(["主要指标", "见附件", "联系人", "张三", "电话", "5551234"]) + "\n"
    plan = extract_text(text)
    assert plan.tables == [] and plan.numeric_targets == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "序号",
                "分类",
                "指标",
                "2028年目标",
                "1",
                "2",
                "产品",
                "96%",
                "家",
                "12",
                "",
                "|",
                "约束性",
                "—",
                "合格率",
                "到2028年,合格率达到97%。",
            ]
        ),
        max_size=40,
    )
)
def test_any_sequence_of_table_like_cells_extracts_without_error(cells):
    plan = extract_text(GOAL + "\n".join(cells) + "\n")
    for item in plan.targets + plan.baselines:
        assert item.quote in plan.text
    for unread in plan.unread:
        assert unread.lines in plan.text


def test_header_on_one_line_over_rows_one_cell_per_line_with_restarting_serials_and_small_values():
    text = (
        GOAL
        + "序号 类别 指标 单位 2028年\n"
        + "\n".join(
            [
                "1",
                "产品质量",
                "竹木制品合格率",
                "%",
                "96",
                "2",
                "国家级质检中心",
                "个",
                "3",  # a value equal to the next serial
                "1",
                "服务质量",
                "公共服务满意度",
                "分",
                "82",  # numbering restarts under a new category
                "2",
                "县级检测站",
                "个",
                "1",
            ]
        )
        + "\n三、重点任务\n"
    )
    assert got(extract_text(text)) == {
        ("竹木制品合格率", ">=", 96, "%", 2028),
        ("国家级质检中心", ">=", 3, "个", 2028),
        ("公共服务满意度", ">=", 82, "分", 2028),
        ("县级检测站", ">=", 1, "个", 2028),
    }


def test_an_html_table_whose_header_is_only_headings(tmp_path):
    from forecast.extract import extract_plan

    page = tmp_path / "plan.html"
    page.write_text(
        "<h2>二、主要目标</h2><p>到2028年,全县质量水平明显提升。</p><table>"
        "<tr><td>序号</td><td>分类</td><td>内容</td><td>目标</td></tr>"
        "<tr><td rowspan=2>1</td><td rowspan=2>产品质量</td><td>竹木制品合格率</td><td>96%</td></tr>"
        "<tr><td>茶叶抽检合格率</td><td>98.5%</td></tr>"
        "<tr><td>2</td><td>品牌</td><td>省级以上名牌产品</td><td>40个</td></tr></table>",
        encoding="utf-8",
    )
    assert got(extract_plan(page)) == {
        ("竹木制品合格率", ">=", 96, "%", 2028),
        ("茶叶抽检合格率", ">=", 98.5, "%", 2028),
        ("省级以上名牌产品", ">=", 40, "个", 2028),
    }
