"""Per-document analysis: pure functions from a Document to an Analysis."""

from quotegraph.analyse.pipeline import Settings, analyse

__all__ = ["Settings", "analyse"]
