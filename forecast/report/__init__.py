"""Feasibility reports (HTML and Markdown) built from a stored run."""
from .build import build_report, write_report

__all__ = ["build_report", "write_report"]
