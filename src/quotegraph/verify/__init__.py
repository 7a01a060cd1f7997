"""Quotation verification: is a quotation in its source, word for word, and if not, what changed?

Pure: text in, typed records with character offsets out. ``compare`` diffs a quotation against a
passage; ``verify`` locates the passage in a source and gives the verdict.
"""

from quotegraph.verify.diff import EDIT_TYPES, Comparison, Edit, EditType, compare
from quotegraph.verify.verdict import VERDICTS, Location, Similarity, SourceText, Verdict, Verification, verify

__all__ = [
    "EDIT_TYPES",
    "VERDICTS",
    "Comparison",
    "Edit",
    "EditType",
    "Location",
    "Similarity",
    "SourceText",
    "Verdict",
    "Verification",
    "compare",
    "verify",
]
