"""Per-document analysis: pure functions from a Document to an Analysis.

The pipeline (and spaCy with it) is imported on first use of ``analyse`` or ``Settings``, not by
importing this package: modules such as ``analyse.text`` serve verification and the web, which never
run the pipeline, and importing it cost them half a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quotegraph.analyse.pipeline import Settings, analyse

__all__ = ["Settings", "analyse"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from quotegraph.analyse import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
