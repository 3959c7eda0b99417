"""Target extraction from plan documents: `extract_plan(path)` reads a plan (text, HTML or .docx),
finds every quantified target and baseline with the quote that supports it, and
`write_plan_yaml` writes them as a plan file that `forecast.plans.load_plan` loads.

Modules, each with one job (imports run one way, top to bottom; no circle):
  items        the shared types: Item (a target or baseline), ExtractedPlan, Mention
  reading      documents (text, HTML, .docx) -> one text
  normalise    characters and units, keeping every character where it was
  context      sections and the year that governs a target stated without one
  metadata     title, region, issue date and period
  lexicon      the vocabulary: cue words, direction words, noise, year phrases, clauses
  numerals     numbers written in Chinese (百分之九十五, 九成, 翻一番, 两个百分点)
  mentions     the mention finder: quantified statements in running text
  statements   statements with several numbers or a borrowed subject (由…到, 分别, 这N个指标)
  qualitative  worded targets (coverage, named levels, titles)
  baselines    what is and is not a baseline
  paragraphs   a paragraph's mentions -> items
  cells        the grammar of table cells and headers; the Row type
  flattened    tables flattened into whitespace-laid-out text -> rows
  tables       table rows -> items
  layout       lines rejoined and cut into blocks (paragraphs and the kinds of table)
  merging      restatements merged, ids given
  pipeline     the walk over a document's blocks
  writing      the plan file and the review page
  review       what was found, as a table and as the document with every quote and table marked
  scoring      precision / recall / F1 against hand-checked labels
"""

from .items import ExtractedPlan, Item
from .pipeline import extract_plan
from .reading import ExtractError
from .review import review_table
from .writing import write_plan_yaml, write_review_html

__all__ = [
    "ExtractedPlan",
    "ExtractError",
    "Item",
    "extract_plan",
    "review_table",
    "write_plan_yaml",
    "write_review_html",
]
