"""MinHash signatures over jieba tokens, and an LSH index that groups reprints into stories.

A story reprinted by several portals keeps most of its words but changes punctuation,
reorders sentences, drops one, adds a "来源：…" line or a disclaimer. The Jaccard
similarity of the two token *sets* stays high (≥ 0.6 on the evaluation's rewrites)
while two different stories in the same trade jargon stay low (≤ 0.3). MinHash estimates
that similarity from 128 numbers per document; locality-sensitive hashing (32 bands of
4) finds the candidates with dictionary lookups, and only they are compared.

(SimHash was tried first: 64-bit SimHash spreads reprints over 2–19 bits and unrelated
stories from 12 bits up, so no threshold separated them; see docs/sources.md.)

Vectorised with numpy; no Django imports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
#: Estimated Jaccard similarity from which two documents are the same story. Chosen on
#: ``benchmarks/sources_eval.py`` (generated rewrites and the real cross-feed copies).
DEFAULT_THRESHOLD = 0.5

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_rng = np.random.default_rng(20261126)
_XORS = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_MULTIPLIERS = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_token_hashes: dict[str, int] = {}
EMPTY = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)


def _hash(token: str) -> int:
    value = _token_hashes.get(token)
    if value is None:
        value = int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_token_hashes) < 2_000_000:
            _token_hashes[token] = value
    return value


def signature(tokens: Iterable[str]) -> np.ndarray:
    """The MinHash signature (``PERMUTATIONS`` uint64 values) of a token set."""
    unique = set(tokens)
    if not unique:
        return EMPTY.copy()
    hashes = np.fromiter((_hash(t) for t in unique), dtype=np.uint64, count=len(unique))
    with np.errstate(over="ignore"):
        # Multiply-xor permutations modulo 2**64: cheap, and good enough for MinHash.
        permuted = ((hashes[:, None] ^ _XORS[None, :]) * _MULTIPLIERS[None, :]) & _MASK64
    return permuted.min(axis=0)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two token sets behind ``a`` and ``b``."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def to_bytes(value: np.ndarray) -> bytes:
    return value.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


class MinhashIndex:
    """Find stored signatures whose estimated similarity is at least ``threshold``.

    >>> index = MinhashIndex()
    >>> index.add("a", signature("甲 乙 丙 丁 戊".split()))
    >>> [key for key, _ in index.near(signature("甲 乙 丙 丁 戊 己".split()))]
    ['a']
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self._buckets: list[dict[bytes, list]] = [{} for _ in range(BANDS)]
        self._values: dict[object, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._values)

    def _bands(self, value: np.ndarray):
        raw = value.tobytes()
        width = ROWS * 8
        return (raw[i * width:(i + 1) * width] for i in range(BANDS))

    def add(self, key: object, value: np.ndarray) -> None:
        if np.array_equal(value, EMPTY):
            return
        self._values[key] = value
        for bucket, band in zip(self._buckets, self._bands(value), strict=True):
            bucket.setdefault(band, []).append(key)

    def rename(self, old: object, new: object) -> None:
        """Store ``old``'s signature under ``new`` (a provisional key replaced by a database id)."""
        value = self._values.pop(old, None)
        if value is None:
            return
        self._values[new] = value
        for bucket, band in zip(self._buckets, self._bands(value), strict=True):
            keys = bucket[band]
            keys[keys.index(old)] = new

    def remove(self, key: object) -> None:
        value = self._values.pop(key, None)
        if value is None:
            return
        for bucket, band in zip(self._buckets, self._bands(value), strict=True):
            bucket[band].remove(key)

    def near(self, value: np.ndarray) -> list[tuple[object, float]]:
        """Keys at or above the threshold, most similar first, as ``(key, similarity)``."""
        if np.array_equal(value, EMPTY):
            return []
        candidates: dict[object, None] = {}
        for bucket, band in zip(self._buckets, self._bands(value), strict=True):
            for key in bucket.get(band, ()):
                candidates.setdefault(key, None)
        found = []
        for key in candidates:
            score = similarity(value, self._values[key])
            if score >= self.threshold:
                found.append((key, score))
        return sorted(found, key=lambda item: -item[1])
