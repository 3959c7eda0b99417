"""No document makes extraction crash: arbitrary bytes in any supported file type either extract
(every quote a substring of the text read, the review page built) or fail with ExtractError naming
the file; plan-like text with random Chinese numerals, tables and years extracts."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.extract import ExtractError, extract_plan
from forecast.extract.review import review_html, review_table

PIECES = [
    "到2028年,",
    "2026年",
    "百分之九十五",
    "九成以上",
    "翻一番",
    "两个百分点",
    "基本消除",
    "分别达到",
    "96%",
    "12家",
    "和",
    "、",
    "。",
    "\n",
    "\n\n",
    "序号",
    "分类",
    "指标",
    "2028年目标",
    "约束性",
    "|",
    " | ",
    "合格率",
    "(含90分)",
    "以上",
    "这3个指标分别是",
    "主要目标,",
    "一是",
    "超过500亿元的",
    "<td>",
    "</tr>",
    "&amp;",
    "\ufeff",
    "\x00",
]


def _check(path):
    try:
        plan = extract_plan(path)
    except ExtractError as exc:
        assert path.name in str(exc)
        return
    for item in plan.targets + plan.baselines:
        assert item.quote in plan.text
    review_table(plan)
    review_html(plan)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".docx", ".md"]))
def test_arbitrary_bytes_never_crash(tmp_path, data, suffix):
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(data)
    _check(path)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.sampled_from(PIECES), max_size=60),
    suffix=st.sampled_from([".txt", ".html"]),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
)
def test_plan_like_text_never_crashes(tmp_path, parts, suffix, encoding):
    path = tmp_path / f"plan{suffix}"
    path.write_bytes("".join(parts).replace("\x00", "").encode(encoding, errors="replace"))
    _check(path)
