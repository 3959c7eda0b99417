"""Reading plan documents (text in UTF-8 or GB18030, HTML, .docx with tables) and the CLI command."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.extract import ExtractError, extract_plan, write_plan_yaml
from forecast.extract.reading import read_document
from forecast.targets.plans import load_plan

runner = CliRunner()

PLAN_TEXT = (
    "云溪市“十四五”质量发展规划\n"
    "2021年6月8日\n"
    "一、发展现状\n"
    "“十三五”期间，全市产品质量监督抽查合格率达到93.2%。\n"
    "二、发展目标\n"
    "到2025年，食品评价性抽检合格率不低于98%，城区PM2.5年均浓度控制在35微克/立方米以下。\n"
    "专栏1 主要指标\n"
    "  指标名称 单位 2025年目标 指标属性\n"
    "  地区生产总值   亿元 820 预期性\n"
    "质量基础 研究与试验发展经   % 2.6 预期性\n"
    "  费投入强度\n"
    "       \n"
    "  乡镇污水处理设施   全覆盖 约束性\n"
    "\n"
    "三、主要任务\n"
    "推动企业提升质量管理水平。\n"
)


def test_plain_text_plan_extracts_targets_tables_and_baselines(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    plan = extract_plan(path)
    assert (plan.plan_title, plan.region, plan.issued, plan.period) == (
        "云溪市“十四五”质量发展规划",
        "云溪市",
        "2021-06-08",
        (2021, 2025),
    )
    got = {(t.indicator, t.comparator, t.value, t.unit, t.year, t.source) for t in plan.numeric_targets}
    assert got == {
        ("食品评价性抽检合格率", ">=", 98, "%", 2025, "text"),
        ("城区PM2.5年均浓度", "<=", 35, "µg/m³", 2025, "text"),
        ("地区生产总值", ">=", 820, "亿元", 2025, "table"),
        ("研究与试验发展经费投入强度", ">=", 2.6, "%", 2025, "table"),
    }
    assert [(q.indicator, q.attribute) for q in plan.qualitative_targets] == [("乡镇污水处理设施", "约束性")]
    assert [(b.value, b.year, b.comparator) for b in plan.baselines] == [(93.2, 2020, "==")]


def test_gb18030_text_reads_like_utf8(tmp_path):
    utf8, gbk = tmp_path / "a.txt", tmp_path / "b.txt"
    utf8.write_text(PLAN_TEXT, encoding="utf-8")
    gbk.write_bytes(PLAN_TEXT.encode("gb18030"))
    a, b = extract_plan(utf8), extract_plan(gbk)
    assert [(t.indicator, t.value, t.quote) for t in a.targets] == [(t.indicator, t.value, t.quote) for t in b.targets]


def test_html_tables_keep_rows_and_short_rows_align_right(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(
        "<html><head><style>td{}</style><script>var x=95;</script></head><body>"
        "<h2>二、主要目标</h2><p>到2025年，<b>主要农产品</b>质量安全监测合格率稳定在98%以上。</p>"
        "<table><tr><th>类别</th><th>指标</th><th>单位</th><th>2020年基期值</th><th>2025年目标值</th><th>属性</th></tr>"
        "<tr><td rowspan='2'>产品质量</td><td>制造业质量竞争力指数</td><td>-</td><td>84.5</td><td>86</td><td>预期性</td></tr>"
        "<tr><td>食品抽检合格率</td><td>%</td><td>98.2</td><td>≥98.5</td><td>约束性</td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert "var x" not in doc.text and "食品抽检合格率 | % | 98.2 | ≥98.5 | 约束性" in doc.text
    plan = extract_plan(path)
    got = {(t.indicator, t.comparator, t.value, t.unit, t.year, t.attribute) for t in plan.numeric_targets}
    assert got == {
        ("主要农产品质量安全监测合格率", "maintain>=", 98, "%", 2025, None),
        ("制造业质量竞争力指数", ">=", 86, "", 2025, "预期性"),
        ("食品抽检合格率", ">=", 98.5, "%", 2025, "约束性"),
    }
    assert {(b.indicator, b.value, b.year) for b in plan.baselines} == {
        ("制造业质量竞争力指数", 84.5, 2020),
        ("食品抽检合格率", 98.2, 2020),
    }
    assert all(t.quote in doc.text for t in plan.targets + plan.baselines)


def test_docx_paragraphs_and_tables(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("江岸区质量强区建设方案(2022—2026年)")
    document.add_paragraph("二、工作目标")
    document.add_paragraph("到2026年，区域环境噪声达标率不低于90%，新增省级标准化示范项目3个以上。")
    table = document.add_table(rows=3, cols=4)
    for cell, text in zip(table.rows[0].cells, ["指标", "单位", "2026年目标", "属性"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["工业产品监督抽查合格率", "%", "95", "约束性"]):
        cell.text = text
    for cell, text in zip(table.rows[2].cells, ["细颗粒物年均浓度", "μg/m3", "30", "约束性"]):
        cell.text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    plan = extract_plan(path)
    assert plan.period == (2022, 2026)
    got = {(t.indicator, t.comparator, t.value, t.unit, t.year, t.source) for t in plan.numeric_targets}
    assert got == {
        ("区域环境噪声达标率", ">=", 90, "%", 2026, "text"),
        ("省级标准化示范项目", ">=", 3, "个", 2026, "text"),
        ("工业产品监督抽查合格率", ">=", 95, "%", 2026, "table"),
        ("细颗粒物年均浓度", "<=", 30, "µg/m³", 2026, "table"),
    }
    text = read_document(path).text
    assert all(t.quote in text for t in plan.targets)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("plan.pdf", b"%PDF-1.4", "unsupported document type .pdf"),
        ("plan.txt", b"\x00\x01\x02\xff\xfe\x00", "not a text document in UTF-8 or GB18030"),
        ("plan.docx", b"not a zip", "not a readable .docx file"),
    ],
)
def test_unreadable_documents_name_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractError, match=message) as err:
        extract_plan(path)
    assert str(path) in str(err.value)


def test_written_plan_loads_as_is(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="utf-8")
    out = write_plan_yaml(extract_plan(src), tmp_path / "plan.yaml")
    plan = load_plan(out)
    assert plan.title == "云溪市“十四五”质量发展规划" and plan.period == (2021, 2025)
    assert {t.comparator.value for t in plan.targets} == {">=", "<=", "qualitative"}
    assert len({t.id for t in plan.targets}) == len(plan.targets) == 5
    with pytest.raises(FileExistsError):
        write_plan_yaml(extract_plan(src), out)


def test_cli_extract_writes_summary_refuses_overwrite_and_reports_bad_files(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["plan", "extract", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 targets, 1 baselines, 1 qualitative" in result.output
    assert len(load_plan(out).targets) == 5
    out.write_text("keep me", encoding="utf-8")
    refused = runner.invoke(app, ["plan", "extract", str(src), "-o", str(out)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = runner.invoke(app, ["plan", "extract", str(src), "-o", str(out), "--force"])
    assert forced.exit_code == 0 and len(load_plan(out).targets) == 5
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF")
    failed = runner.invoke(app, ["plan", "extract", str(bad), "-o", str(tmp_path / "x.yaml")])
    assert failed.exit_code == 1 and str(bad) in failed.output and "unsupported" in failed.output
    assert not (tmp_path / "x.yaml").exists()
    ws = tmp_path / "ws"
    imported = runner.invoke(app, ["--workspace", str(ws), "plan", "import", str(out)])
    assert imported.exit_code == 0 and "5 targets" in imported.output


def test_html_two_row_header_and_names_broken_by_markup(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(
        "<html><body><p>二、主要目标</p><table>"
        "<tr><td rowspan='2'>类别</td><td rowspan='2'>指标名称</td><td rowspan='2'>单位</td><td>基期值</td>"
        "<td>目标值</td><td rowspan='2'>属性</td></tr><tr><td>2020年</td><td>2025年</td></tr>"
        "<tr><td rowspan='2'>质量</td><td><p>制造业产品</p><p>质量合格率</p></td><td>%</td><td>93.2</td>"
        "<td>94</td><td>预期性</td></tr>"
        "<tr><td>万人高价值发明专利拥有量</td><td>件</td><td>2.1</td><td>5.5</td><td>预期性</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    plan = extract_plan(path)
    assert {(t.indicator, t.value, t.unit, t.year) for t in plan.numeric_targets} == {
        ("制造业产品质量合格率", 94, "%", 2025),
        ("万人高价值发明专利拥有量", 5.5, "件", 2025),
    }
    assert {(b.indicator, b.value, b.year) for b in plan.baselines} == {
        ("制造业产品质量合格率", 93.2, 2020),
        ("万人高价值发明专利拥有量", 2.1, 2020),
    }


def test_unit_written_into_the_indicator_name_of_a_table(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "二、发展目标\n| 指标 | 2025年目标 | 属性 |\n|---|---|---|\n| 森林覆盖率（%） | 46.5 | 约束性 |\n"
        "| 细颗粒物年均浓度（微克/立方米） | 30 | 约束性 |\n",
        encoding="utf-8",
    )
    plan = extract_plan(path)
    assert {(t.value, t.unit, t.comparator, t.year) for t in plan.numeric_targets} == {
        (46.5, "%", ">=", 2025),
        (30, "µg/m³", "<=", 2025),
    }
