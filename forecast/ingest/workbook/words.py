"""The workbook's wording in Chinese (default) and English: sheet names, headings, the how-to text.

Sheet names and the yes-words are read back by the importer in either language, so a workbook
written in one language imports whatever the importer's default is.
"""
from __future__ import annotations

WORDS = {
    "zh": {
        "annual": "年度数据", "monthly": "月度数据", "howto": "填写说明",
        "title": "{title} — 指标数据填报表", "title_monthly": "{title} — 月度数据填报表",
        "subtitle": "在浅黄色单元格中填写数值;空白表示该年没有数据(不会当作 0)。填写方法见“填写说明”表。",
        "no": "序号", "indicator": "指标", "unit": "单位", "direction": "方向", "range": "取值范围", "status": "状态",
        "source": "数据来源", "stand_in": "替代数据(是/否)", "year": "年份",
        "higher": "越高越好", "lower": "越低越好", "any": "不限",
        "in_store": "已有数据(已预填)", "to_fill": "待填写", "monthly_only": "按月填写,见“月度数据”表",
        "also_monthly": "也可按月填写(“月度数据”表)",
        "target_line": "目标 {goal}", "month": "{m}月",
        "prompt_title": "{name}", "prompt": "单位:{unit};{range};{direction}。空白表示无数据。",
        "error_title": "数值超出范围", "error": "{name}:请填写{range}的数值(单位:{unit})。",
        "unit_prompt": "规划未写明单位:请填写本行数值的单位。",
        "yes": "是", "no_word": "否",
        "howto_lines": [
            "{title}:数据填报说明",
            "",
            "1. 本工作簿列出规划中每个量化目标所用的指标,每个指标一行;同一指标的多个目标列在该行下方(可折叠)。",
            "2. 在“{annual}”表的年份列中填写各年数值(浅黄色单元格)。没有数据的年份留空:空白表示缺失,绝不当作 0。",
            "3. 单位已按规划填好并锁定,请按该单位填写;规划未写明单位的行,请在“单位”列写明。",
            "4. 每个单元格只接受取值范围内的数值(例如合格率只接受 0–100)。粘贴的数值不受 Excel 检查,导入时会再次检查,超出范围的单元格会按工作表、行、列报出,整个文件不会导入。",
            "5. “数据来源”写明数值出处(如《江油市统计年鉴2016》、统计公报网址)。若数值不是本地区的(例如用全省或全国数据代替),在“替代数据”列选“是”。",
            "6. PM2.5 等浓度指标也可在“{monthly}”表中按月填写;一年至少 11 个月有值才计算年均值。按月和按年都填时,采用能给出更多年份的那一种。",
            "7. 标为“已有数据(已预填)”的行来自数据库,可以补充或修改;导入时只写入新的或改动的数值。",
            "8. 不要增删行列或改动隐藏列(其中的编号把每行与规划目标对应起来)。",
            "",
            "填好后导入并评估:",
            "  forecast data import {file}",
            "  forecast run {plan_id}",
        ],
    },
    "en": {
        "annual": "Annual data", "monthly": "Monthly data", "howto": "How to fill",
        "title": "{title} — indicator data", "title_monthly": "{title} — monthly data",
        "subtitle": "Type values in the light-yellow cells; a blank cell is a year without data (never read as 0). See the 'How to fill' sheet.",
        "no": "No.", "indicator": "Indicator", "unit": "Unit", "direction": "Direction", "range": "Valid range",
        "status": "Status", "source": "Source", "stand_in": "Stand-in (yes/no)", "year": "Year",
        "higher": "higher is better", "lower": "lower is better", "any": "any value",
        "in_store": "in the store (prefilled)", "to_fill": "to fill", "monthly_only": "monthly: see 'Monthly data'",
        "also_monthly": "or month by month ('Monthly data')",
        "target_line": "target {goal}", "month": "M{m:02d}",
        "prompt_title": "{name}", "prompt": "Unit: {unit}; {range}; {direction}. Leave blank when there is no value.",
        "error_title": "Value out of range", "error": "{name}: type a value {range} (unit: {unit}).",
        "unit_prompt": "The plan gives no unit: write the unit of this row's values.",
        "yes": "yes", "no_word": "no",
        "howto_lines": [
            "{title}: how to fill this workbook",
            "",
            "1. One row per indicator that a numeric target of the plan needs; the targets on it are listed below it (a row group).",
            "2. Type each year's value in the year columns of '{annual}' (light-yellow cells). Leave a year blank when there is no value: a blank is missing, never 0.",
            "3. The unit comes from the plan and is locked: type values in that unit. Where the plan gives none, write the unit in the Unit column.",
            "4. Each cell accepts values in its valid range only (a pass rate 0-100). Pasted values skip Excel's check; the import checks again and refuses the whole file, naming sheet, row and column, when a value is out of range.",
            "5. Name where each value comes from in 'Source' (a yearbook, a bulletin's address). When the values are not this region's own (a provincial or national series standing in), choose 'yes' under 'Stand-in'.",
            "6. Concentrations such as PM2.5 can also be typed month by month in '{monthly}'; a year needs at least 11 months for its annual mean. When both are filled, the one giving more years is used.",
            "7. Rows marked 'in the store (prefilled)' come from the database: add or correct values; the import writes only new or changed ones.",
            "8. Do not insert or delete rows or columns or edit the hidden column (its ids tie each row to the plan's targets).",
            "",
            "Then import and assess:",
            "  forecast data import {file}",
            "  forecast run {plan_id}",
        ],
    },
}

YES = {"是", "yes", "y", "true", "1", "√", "✓"}
