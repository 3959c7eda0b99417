"""Reviewing an extraction in one look: the table `forecast plan extract` prints and the --html page
(every quote highlighted, every table outlined, everything from the document escaped)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.extract import extract_plan
from forecast.extract.pipeline import extract_document
from forecast.extract.reading import Document
from forecast.extract.review import review_html, review_table

runner = CliRunner()

PLAN = """某县质量强县实施方案(2024—2028年)
二、主要目标
到2028年,竹木制品监督抽查合格率达到96%以上,<b>茶叶</b>抽检合格率达到98%。A&B 企业 "示范" 不计。

指标名称 单位 2023年基期值 2028年目标值 属性
省级质量标杆企业 家 4 12 预期性
鲜笋抽检合格率 % 95.1 97 约束性

三、重点任务
"""


def plan_of(text: str):
    return extract_document(Document(Path("plan.txt"), text, "text"))


def test_the_review_table_lists_every_item_with_its_columns():
    plan = plan_of(PLAN)
    table = review_table(plan)
    header = table.splitlines()[0].split()
    assert header == ["id", "indicator", "comparator", "value", "unit", "year", "source", "confidence"]
    for item in plan.targets + plan.baselines:
        assert item.id in table
    assert "text" in table and "table" in table and "table (baseline)" in table


def test_the_page_escapes_the_document_and_marks_every_quote_and_table():
    plan = plan_of(PLAN)
    page = review_html(plan)
    assert "<b>茶叶</b>" not in page and "&lt;b&gt;茶叶&lt;/b&gt;" in page
    assert "A&amp;B" in page and "&quot;示范&quot;" in page
    assert page.count('<div class="table">') == len(plan.tables) == 1
    marked = "".join(re.findall(r"<mark[^>]*>(.*?)</mark>", page, flags=re.S))
    for item in plan.targets + plan.baselines:
        assert f'id="q-{html.escape(item.id, quote=True)}"' in page  # every item has its highlighted quote to jump to
        assert html.escape(item.quote.split("\n")[0])[:6] in marked


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&\"'到2028年合格率达到96%以上。\n指标单位属性约束性 |")), max_size=120))
def test_the_page_never_lets_document_text_through_as_markup(text):
    page = review_html(plan_of(text))
    body = page.split('<div class="doc">', 1)[1]
    body = re.sub(r"</?(?:div|mark|span|a)(?: [^>]*)?>", "", body.rsplit("</div></body>", 1)[0])
    assert "<" not in body and ">" not in body  # only our tags; the document's brackets are escaped
    assert html.unescape(body) == text


def test_cli_prints_the_table_and_writes_the_page(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text(PLAN, encoding="utf-8")
    out, page = tmp_path / "plan.yaml", tmp_path / "review.html"
    result = runner.invoke(app, ["plan", "extract", str(doc), "-o", str(out), "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split()[:3] == ["id", "indicator", "comparator"]
    assert "1 tables read" in result.output and f"review page: {page}" in result.output
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    for target in written["targets"]:
        assert target["id"] in result.output
    assert '<div class="table">' in page.read_text(encoding="utf-8")
    again = runner.invoke(app, ["plan", "extract", str(doc), "-o", str(tmp_path / "other.yaml"), "--html", str(page)])
    assert again.exit_code != 0 and "exists" in again.output  # the page is not overwritten without --force


def test_rows_not_read_are_in_the_plan_file_and_the_table(tmp_path):
    text = (
        "二、主要目标\n到2028年,全县质量总体水平明显提升。\n\n"
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
                "健全完善",
                "3",
                "茶叶抽检合格率",
                "98",
            ]
        )
        + "\n"
    )
    doc = tmp_path / "plan.txt"
    doc.write_text(text, encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["plan", "extract", str(doc), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "not read:" in result.output and "质量基础设施" in result.output
    unread = yaml.safe_load(out.read_text(encoding="utf-8"))["unread"]
    assert len(unread) == 1 and "健全完善" in unread[0]["lines"]
    assert len(extract_plan(doc).unread) == 1
