"""Target extraction from plan documents: `extract_plan(path)` reads a plan (text, HTML or .docx),
finds every quantified target and baseline with the quote that supports it, and
`write_plan_yaml` writes them as a plan file that `forecast.plans.load_plan` loads.

Modules: reading (documents → text), normalise (characters, units), context (sections and the year
that governs them), phrases (the sentence rules), qualitative, tables (indicator tables and their
value columns), baselines (what is and is not a baseline), merging (restatements, ids), pipeline
(the walk through a document), writing (the plan file).
"""
from .pipeline import ExtractedPlan, Item, extract_plan
from .reading import ExtractError
from .writing import write_plan_yaml

__all__ = ["ExtractedPlan", "ExtractError", "Item", "extract_plan", "write_plan_yaml"]
