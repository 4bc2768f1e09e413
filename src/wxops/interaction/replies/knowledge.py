"""Retrieval over the knowledge base: which approved answer fits a follower's question, and how surely.

Each question of each active entry becomes a TF-IDF vector of character n-grams (single
characters and pairs for Chinese, whole words for Latin letters and digits) after
normalising (NFKC, case folded, punctuation and spaces removed — the same as keyword rules).
A follower's text is compared by cosine similarity with every question; the best score is
the *confidence* (0–1). Only a confidence at or above the account's threshold answers.

Pure Python and small: an account's knowledge base has tens to hundreds of entries, an
index of them builds in milliseconds, and no heavy library is imported on the callback's
path. The index is cached per process and rebuilt when the entries change.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Runs of Latin letters or digits are one token; everything else goes character by character.
_WORD = re.compile(r"[a-z0-9]+")
#: The words of asking itself (请问, 什么时候, 怎么, 如何…) say little about *what* is asked: a question
#: that shares only them with an entry must not look like it. Their n-grams weigh this much.
FUNCTION_WEIGHT = 0.15
FUNCTION_CHARACTERS = frozenset("请问什么时候怎么样如何哪里儿个吗呢吧啊呀的了是在有我你您们他她它这那一下想要能可以会和与及或就都也还")


@dataclass(frozen=True)
class Candidate:
    """One question of one entry, as the index holds it."""

    entry_id: int
    question: str
    answer: str


@dataclass(frozen=True)
class Match:
    """The best entry for a text: its id, the question that matched, the answer and the confidence."""

    entry_id: int
    question: str
    answer: str
    confidence: float


def _clean(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch if (ch.isalnum() or ch == " ") else " " for ch in folded)


def features(text: str) -> Counter:
    """The n-gram counts of ``text``: CJK characters and their pairs, Latin/digit words."""
    counts: Counter = Counter()
    for chunk in _clean(text).split():
        pieces: list[str] = []
        position = 0
        for word in _WORD.finditer(chunk):
            pieces.extend(chunk[position:word.start()])
            pieces.append(word.group())
            position = word.end()
        pieces.extend(chunk[position:])
        counts.update(pieces)
        counts.update(a + "\x1f" + b for a, b in zip(pieces, pieces[1:], strict=False))
    return counts


def _weight(term: str) -> float:
    """Down-weights n-grams made only of the words of asking (FUNCTION_CHARACTERS)."""
    characters = term.replace("\x1f", "")
    return FUNCTION_WEIGHT if characters and all(ch in FUNCTION_CHARACTERS for ch in characters) else 1.0


@dataclass
class Index:
    """A TF-IDF index of questions; :meth:`best` finds the closest one."""

    candidates: list[Candidate]
    idf: dict[str, float] = field(default_factory=dict)
    vectors: list[dict[str, float]] = field(default_factory=list)

    @classmethod
    def build(cls, candidates: Iterable[Candidate]) -> Index:
        chosen = [c for c in candidates if features(c.question)]
        documents = [features(c.question) for c in chosen]
        frequency: Counter = Counter()
        for counts in documents:
            frequency.update(counts.keys())
        total = len(documents)
        idf = {term: math.log((1 + total) / (1 + df)) + 1.0 for term, df in frequency.items()}
        index = cls(chosen, idf)
        index.vectors = [index._vector(counts) for counts in documents]
        return index

    def _vector(self, counts: Counter) -> dict[str, float]:
        # Unknown terms weigh as the rarest ones: they make an unrelated question less similar.
        unseen = math.log(1 + len(self.candidates)) + 1.0
        weights = {term: (1 + math.log(n)) * self.idf.get(term, unseen) * _weight(term) for term, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    def best(self, text: str) -> Match | None:
        """The closest question to ``text`` with its confidence, or None for an empty index or text."""
        counts = features(text)
        if not counts or not self.candidates:
            return None
        query = self._vector(counts)
        scored = ((sum(weight * vector.get(term, 0.0) for term, weight in query.items()), position)
                  for position, vector in enumerate(self.vectors))
        score, position = max(scored, key=lambda pair: (pair[0], -pair[1]))
        chosen = self.candidates[position]
        return Match(chosen.entry_id, chosen.question, chosen.answer, round(min(score, 1.0), 4))
