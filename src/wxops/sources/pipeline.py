"""The ingestion pipeline without a database: de-duplicate, group into stories, classify, rank.

:class:`Pool` holds what has been seen (URLs, GUIDs, MinHash signatures) and assigns every new
:class:`Document` to a new or an existing story. The Django side loads a ``Pool`` from
the recent items in the database, feeds it new documents and stores the outcomes; the
benchmarks use it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from .candidates import Document
from .canonical_urls import canonical_of
from .classifier import Classification, Classifier
from .minhash import DEFAULT_THRESHOLD, MinhashIndex, signature
from .ranking import rank
from .segmentation import keywords, tokens

#: Only this much of a text is fingerprinted and classified: the lead paragraphs carry
#: the story; the tail of long articles is mostly boilerplate.
TEXT_LIMIT = 3000


@dataclass(frozen=True)
class Outcome:
    """What happened to one document: ``status`` is "new", "near_duplicate" or "duplicate"."""

    status: str
    story: int
    canonical_url: str
    signature: np.ndarray | None = None
    duplicate_of: object | None = None
    similarity: float | None = None
    classification: Classification | None = None
    keywords: tuple[str, ...] = ()


@dataclass
class Pool:
    """Everything already seen, for exact and near-duplicate detection.

    ``story_of`` maps an item key to its story key; new stories get keys from
    ``next_story`` (the Django side passes database ids instead).
    """

    threshold: float = DEFAULT_THRESHOLD
    classifier: Classifier | None = None
    by_url: dict[str, object] = field(default_factory=dict)
    by_guid: dict[str, object] = field(default_factory=dict)
    story_of: dict[object, int] = field(default_factory=dict)
    next_story: int = 1

    def __post_init__(self):
        self.index = MinhashIndex(self.threshold)

    def remember(self, key: object, *, url: str, guid: str, signature: np.ndarray | None, story: int) -> None:
        """Record an item already stored (loading from the database)."""
        if url:
            self.by_url[url] = key
        if guid:
            self.by_guid[guid] = key
        if signature is not None:
            self.index.add(key, signature)
        self.story_of[key] = story
        self.next_story = max(self.next_story, story + 1)

    def exact_duplicate(self, document: Document) -> object | None:
        url = canonical_of(document)
        if url and url in self.by_url:
            return self.by_url[url]
        if document.guid and document.guid in self.by_guid:
            return self.by_guid[document.guid]
        return None

    def add(self, key: object, document: Document, *, classify: bool = True,
            classification: Classification | None = None) -> Outcome:
        """Place ``document`` (stored under ``key``) in a story and return what happened.

        Exact duplicates (same canonical URL or GUID) are not added again. Near
        duplicates join the nearest story; anything else starts a new one. Pass a
        ``classification`` made in a batch (:meth:`classify_many`) to save time.
        """
        url = canonical_of(document)
        existing = self.exact_duplicate(document)
        if existing is not None:
            return Outcome("duplicate", self.story_of[existing], url, duplicate_of=existing)
        body = body_of(document)
        words = tokens(body)
        value = signature(words)
        near = self.index.near(value) if words else []
        if near:
            other, gap = near[0]
            story, status = self.story_of[other], "near_duplicate"
        else:
            other, gap = None, None
            story, status = self.next_story, "new"
        self.remember(key, url=url, guid=document.guid, signature=value, story=story)
        if classification is None and classify and self.classifier:
            classification = self.classifier.classify(body)
        return Outcome(
            status, story, url, value, duplicate_of=other, similarity=gap,
            classification=classification, keywords=tuple(keywords(body, 8)) if classify else (),
        )


def body_of(document: Document) -> str:
    """The part of a document that is fingerprinted and classified."""
    return f"{document.title}\n{document.text}"[:TEXT_LIMIT]


def classify_many(classifier: Classifier | None, documents: list) -> list[Classification | None]:
    """Classify a batch at once (much faster than one by one); None without a classifier."""
    if classifier is None or not documents:
        return [None] * len(documents)
    return classifier.classify_many([body_of(d) for d in documents])


def score(document: Document, outcome: Outcome, now: datetime, source_count: int = 1) -> float:
    """The editor's rank of an item (see :mod:`wxops.sources.ranking`)."""
    confidence = outcome.classification.confidence if outcome.classification else 0.0
    return rank(document.published, now, confidence, source_count)
