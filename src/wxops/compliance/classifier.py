"""The trained offensive-language classifier: what words alone cannot catch (insults, stereotypes).

A linear model over character 1–3-grams (TF-IDF, sublinear tf, L2 norm — the same features
as scikit-learn's ``TfidfVectorizer(analyzer="char")``, computed here with numpy), trained on the
COLD benchmark (thu-coai/COLDataset, Apache-2.0; see ``data/offensive_cold.md`` for the
provenance, the licence and the figures). Two heads share the features:

- ``offensive``: the probability that a sentence is offensive (COLD label 1);
- ``target``: what COLD's topic says it is about — ``race``, ``region`` or ``gender`` —
  so a finding names clause 1.4 (ethnic and regional discrimination) or 1.8 (insult).

Inference is numpy and a dictionary lookup per n-gram: no scikit-learn at run time, no
download, about a second to load nothing but a few MB shipped in the package. Trained by
``benchmarks/compliance_train_offensive.py``; the file holds everything needed to score.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from importlib import resources

import numpy

MODEL_FILE = "data/offensive_cold.npz"
_WHITESPACE = re.compile(r"\s\s+")
_load_lock = threading.Lock()


@dataclass(frozen=True)
class Score:
    offensive: float  # probability, 0–1
    target: str  # "race", "region" or "gender"


class OffensiveClassifier:
    """Scores sentences; load with :func:`classifier` (once per process)."""

    def __init__(self, codes: dict[int, tuple], idf, offensive_weights, offensive_bias: float, target_weights,
                 target_bias, targets: list[str], ngram_range: tuple[int, int]):
        #: n → (sorted n-gram codes, their feature positions): see :func:`vocabulary_codes`.
        self.codes = codes
        self.idf = idf.astype(numpy.float64)
        self.weights = numpy.vstack([offensive_weights, target_weights]).astype(numpy.float64).T  # (features, 1 + k)
        self.offensive_bias = float(offensive_bias)
        self.target_bias = numpy.asarray(target_bias, dtype=numpy.float64)
        self.targets = list(targets)
        self.ngram_range = ngram_range

    @classmethod
    def from_arrays(cls, arrays) -> OffensiveClassifier:
        low, high = (int(v) for v in arrays["ngram_range"])
        codes = {n: (arrays[f"codes_{n}"], arrays[f"positions_{n}"]) for n in range(low, high + 1)}
        return cls(codes, arrays["idf"], arrays["offensive_weights"],
                   float(arrays["offensive_bias"]), arrays["target_weights"], arrays["target_bias"],
                   str(arrays["targets"]).split(","), (low, high))

    def score(self, sentence: str) -> Score:
        return self.score_many([sentence])[0]

    def score_many(self, sentences: list[str]) -> list[Score]:
        """Score many sentences at once, every step vectorised (tens of MB/s of n-grams)."""
        if not sentences:
            return []
        positions, owners = self._features(sentences)
        count = len(sentences)
        raw = numpy.zeros((count, self.weights.shape[1]))
        if len(positions):
            width = len(self.idf)
            keys, tallies = numpy.unique(owners * width + positions, return_counts=True)
            rows, columns = keys // width, keys % width
            values = (1 + numpy.log(tallies)) * self.idf[columns]
            norms = numpy.sqrt(numpy.bincount(rows, values * values, minlength=count))
            values /= norms[rows]
            contributions = values[:, None] * self.weights[columns]
            for head in range(raw.shape[1]):
                raw[:, head] = numpy.bincount(rows, contributions[:, head], minlength=count)
        offensive = 1 / (1 + numpy.exp(-(raw[:, 0] + self.offensive_bias)))
        targets = numpy.argmax(raw[:, 1:] + self.target_bias, axis=1)
        return [Score(float(p), self.targets[int(t)]) for p, t in zip(offensive, targets, strict=True)]


    def _features(self, sentences: list[str]):
        """(vocabulary position, sentence number) of every known n-gram of every sentence."""
        joined = "\x00".join(_WHITESPACE.sub(" ", s.replace("\x00", "").lower()) for s in sentences)
        points = numpy.frombuffer(joined.encode("utf-32-le"), dtype=numpy.uint32).astype(numpy.int64)
        breaks = points == 0
        sentence_of = numpy.cumsum(breaks)
        found_positions, found_owners = [], []
        low, high = self.ngram_range
        size = len(points)
        for n in range(low, high + 1):
            if size < n:
                break
            windows = size - n + 1
            code = numpy.zeros(windows, dtype=numpy.int64)
            crosses = numpy.zeros(windows, dtype=bool)
            for k in range(n):
                code = (code << 21) | points[k:k + windows]
                crosses |= breaks[k:k + windows]
            known_codes, known_positions = self.codes[n]
            if not len(known_codes):
                continue
            at = numpy.minimum(numpy.searchsorted(known_codes, code), len(known_codes) - 1)
            hit = (known_codes[at] == code) & ~crosses
            found_positions.append(known_positions[at[hit]])
            found_owners.append(sentence_of[:windows][hit])
        if not found_positions:
            empty = numpy.zeros(0, dtype=numpy.int64)
            return empty, empty
        return numpy.concatenate(found_positions), numpy.concatenate(found_owners)


def gram_code(gram: str) -> int:
    """An n-gram as one integer, 21 bits a code point (a trigram fits in 63 bits)."""
    code = 0
    for char in gram:
        code = (code << 21) | ord(char)
    return code


def vocabulary_codes(vocabulary: list[str], ngram_range: tuple[int, int]) -> dict[str, numpy.ndarray]:
    """The arrays the model file stores for ``vocabulary`` (feature position = list index)."""
    arrays = {}
    for n in range(ngram_range[0], ngram_range[1] + 1):
        chosen = sorted((gram_code(gram), position) for position, gram in enumerate(vocabulary) if len(gram) == n)
        arrays[f"codes_{n}"] = numpy.array([c for c, _p in chosen], dtype=numpy.int64)
        arrays[f"positions_{n}"] = numpy.array([p for _c, p in chosen], dtype=numpy.int32)
    return arrays


_classifier: OffensiveClassifier | None = None


def classifier() -> OffensiveClassifier:
    """The shipped classifier, loaded once per process (thread-safe)."""
    global _classifier
    if _classifier is None:
        with _load_lock:
            if _classifier is None:
                with (resources.files("wxops.compliance").joinpath(MODEL_FILE).open("rb") as handle,
                      numpy.load(handle, allow_pickle=False) as arrays):
                    _classifier = OffensiveClassifier.from_arrays(arrays)
    return _classifier
