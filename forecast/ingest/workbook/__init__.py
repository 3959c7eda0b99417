"""The fill-in workbook: from a plan to a spreadsheet a planner fills in, and back into the store.

`plan_layout` decides the rows (one per indicator the plan's numeric targets need), `write_workbook`
writes them with openpyxl, `import_workbook` reads a filled copy back in one transaction and links
each target to its row's series.
"""

from forecast.ingest.workbook.layout import Layout, Row, plan_layout
from forecast.ingest.workbook.read import WorkbookImport, import_workbook, is_workbook
from forecast.ingest.workbook.write import write_workbook

__all__ = ["Layout", "Row", "WorkbookImport", "import_workbook", "is_workbook", "plan_layout", "write_workbook"]
