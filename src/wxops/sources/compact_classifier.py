"""The fitted seed classifier as plain numpy arrays, for answers without importing scikit-learn.

``wxops sources classify FILE`` should answer in well under 2 s; importing scikit-learn
alone costs ~1.4 s of CPU. A fitted :class:`~wxops.sources.classifier.Classifier` is a
TF-IDF over jieba words, a TF-IDF over character 2–3-grams and a logistic regression:
its vocabularies, IDF weights and coefficients are exported once into an ``.npz`` file
(no pickle) beside the cached model, and :class:`CompactClassifier` recomputes the same
probabilities with numpy alone — equal to scikit-learn's to 1e-9 (a test compares them).

No Django imports.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .classifier import Classification, cache_folder, seed_fingerprint
from .segmentation import analyser

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` analyser: n-grams inside words padded with a space."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        word = f" {word} "
        length = len(word)
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[offset:offset + n])
            while offset + n < length:
                offset += 1
                grams.append(word[offset:offset + n])
            if offset == 0:  # the word is shorter than n: one n-gram is enough
                break
    return grams


def _tfidf(terms: list[str], vocabulary: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    counts = Counter(vocabulary[term] for term in terms if term in vocabulary)
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    indexes = np.fromiter(counts, dtype=np.int64, count=len(counts))
    values = np.array([(1.0 + math.log(counts[i])) * idf[i] for i in indexes])  # sublinear tf × idf
    norm = np.linalg.norm(values)
    return indexes, values / norm if norm else values


@dataclass(frozen=True)
class CompactClassifier:
    """Same answers as the fitted pipeline, from arrays. ``classify(text)`` → :class:`Classification`."""

    classes: tuple[str, ...]
    word_vocabulary: dict[str, int]
    word_idf: np.ndarray
    char_vocabulary: dict[str, int]
    char_idf: np.ndarray
    char_range: tuple[int, int]
    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def from_pipeline(cls, pipeline) -> CompactClassifier:
        features = dict(pipeline.named_steps["features"].transformer_list)
        words, chars, model = features["words"], features["chars"], pipeline.named_steps["model"]
        return cls(tuple(str(c) for c in model.classes_), dict(words.vocabulary_), np.asarray(words.idf_),
                   dict(chars.vocabulary_), np.asarray(chars.idf_), tuple(chars.ngram_range),
                   np.asarray(model.coef_), np.asarray(model.intercept_))

    def save(self, path: Path) -> None:
        def terms(vocabulary: dict[str, int]) -> np.ndarray:
            ordered = sorted(vocabulary, key=vocabulary.__getitem__)
            return np.array(ordered, dtype=str)

        partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(partial, classes=np.array(self.classes, dtype=str), words=terms(self.word_vocabulary),
                 word_idf=self.word_idf, chars=terms(self.char_vocabulary), char_idf=self.char_idf,
                 char_range=np.array(self.char_range), coef=self.coef, intercept=self.intercept)
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path) -> CompactClassifier:
        with np.load(path, allow_pickle=False) as data:
            return cls(tuple(str(c) for c in data["classes"]),
                       {str(term): index for index, term in enumerate(data["words"])}, data["word_idf"],
                       {str(term): index for index, term in enumerate(data["chars"])}, data["char_idf"],
                       tuple(int(n) for n in data["char_range"]), data["coef"], data["intercept"])

    @classmethod
    def seed(cls, cache: Path | None = None) -> CompactClassifier:
        """The seed classifier's arrays, exported once from the fitted (and cached) seed model."""
        from .classifier import Classifier

        folder = cache or cache_folder()
        path = folder / f"seed-classifier-{seed_fingerprint()}.npz"
        if path.is_file() and path.stat().st_uid == os.getuid():
            try:
                return cls.load(path)
            except (OSError, ValueError, KeyError):
                pass  # unreadable: export again
        compact = cls.from_pipeline(Classifier.seed(folder).pipeline)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            compact.save(path)
        except OSError:
            pass  # a read-only home: answer anyway, slower next time
        return compact

    def probabilities(self, text: str) -> np.ndarray:
        word_index, word_values = _tfidf(analyser(text), self.word_vocabulary, self.word_idf)
        char_index, char_values = _tfidf(char_wb_ngrams(text, *self.char_range), self.char_vocabulary, self.char_idf)
        offset = len(self.word_vocabulary)
        decision = self.coef[:, word_index] @ word_values + self.coef[:, char_index + offset] @ char_values
        decision = decision + self.intercept
        if len(self.classes) == 2:  # binary logistic regression: one column of coefficients
            positive = 1.0 / (1.0 + math.exp(-decision[0]))
            return np.array([1.0 - positive, positive])
        exponent = np.exp(decision - decision.max())
        return exponent / exponent.sum()

    def classify(self, text: str) -> Classification:
        scores = {name: float(p) for name, p in zip(self.classes, self.probabilities(text), strict=True)}
        best = max(scores, key=scores.__getitem__)
        return Classification(best, scores[best], scores)
