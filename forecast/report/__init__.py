"""Feasibility reports (HTML, Markdown, Excel, PDF) built from a stored run."""

from forecast.report.build import build_report
from forecast.report.write import FORMATS, write_report

__all__ = ["FORMATS", "build_report", "write_report"]
