"""Store documents in the candidate pool: de-duplicate, group into stories, classify, rank.

Called by :mod:`wxops.sources.actions` for every kind of source. Each document is
stored in its own transaction, so a bad one never leaves half an item behind and never
stops the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from wxops.core import clock

from . import minhash
from .candidates import Document, Problem
from .canonical_urls import canonical_of, with_identity
from .classifier import Classifier
from .models import ClassifierModel, Item, ReprintStatus, Source, Story
from .pipeline import Pool, classify_many
from .ranking import rank

logger = logging.getLogger(__name__)

#: Documents are classified in batches of this many (one by one is several times slower).
BATCH = 200
#: Near-duplicates are looked for among the items of this many recent days.
POOL_DAYS = 30


@dataclass
class Summary:
    """What one ingestion did. ``problems`` say, per document or row, what went wrong;
    ``warnings`` what was read only in part; ``sources_failed`` counts sources (or URLs,
    files) that could not be read at all."""

    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: int = 0
    sources_failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    items: list[int] = field(default_factory=list)

    def add(self, other: Summary) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.near_duplicate += other.near_duplicate
        self.failed += other.failed
        self.sources_failed += other.sources_failed
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)
        self.items.extend(other.items)

    @property
    def everything_failed(self) -> bool:
        """Nothing was read: every source failed, or every document did."""
        read = self.new + self.near_duplicate + self.duplicate
        return read == 0 and (self.sources_failed > 0 or self.failed > 0)

    def line(self) -> str:
        return gettext("new %(new)d, near-duplicate %(near)d, duplicate %(duplicate)d, failed %(failed)d") % {
            "new": self.new, "near": self.near_duplicate, "duplicate": self.duplicate, "failed": self.failed}


def classifier_for(account) -> Classifier:
    """The account's newest trained classifier, else one trained on the seed examples."""
    stored = ClassifierModel.objects.filter(account=account).first()
    if stored is not None:
        return Classifier.loads(bytes(stored.data))
    return _seed_classifier()


_seed: Classifier | None = None


def _seed_classifier() -> Classifier:
    global _seed
    if _seed is None:
        _seed = Classifier.seed()
    return _seed


def load_pool(account, classifier: Classifier | None = None) -> Pool:
    """A :class:`Pool` holding the account's items of the last :data:`POOL_DAYS` days."""
    pool = Pool(classifier=classifier or classifier_for(account))
    since = clock.now() - timedelta(days=POOL_DAYS)
    rows = Item.objects.filter(account=account, fetched_at__gte=since).values_list(
        "pk", "canonical_url", "guid", "signature", "story_id")
    for pk, url, guid, signature, story in rows.iterator():
        pool.remember(pk, url=url, guid=guid, signature=minhash.from_bytes(bytes(signature)) if signature else None,
                      story=story)
    # Exact duplicates are checked against everything ever stored, not just the window.
    return pool


def ingest(account, documents, *, source: Source | None = None, pool: Pool | None = None,
           submitted_by=None, findings=None, progress=None) -> Summary:
    """Store every :class:`Document` (and count every :class:`Problem`) in ``documents``."""
    pool = pool or load_pool(account)
    categories = {category.name: category for category in account.categories.all()}
    summary = Summary()
    documents = [with_identity(d) if isinstance(d, Document) else d for d in documents]
    batch: dict[int, object] = {}
    for index, document in enumerate(documents):
        if index % BATCH == 0:
            chunk = [d for d in documents[index:index + BATCH] if isinstance(d, Document)]
            batch = {id(d): c for d, c in zip(chunk, classify_many(pool.classifier, chunk), strict=True)}
        if isinstance(document, Problem):
            if document.warning:
                summary.warnings.append(document)
            else:
                summary.failed += 1
                summary.problems.append(document)
        else:
            try:
                _store(account, document, source, pool, categories, summary, submitted_by, findings,
                       batch.get(id(document)))
            except Exception as error:  # one bad document never stops the others
                logger.exception("could not store %r", document.title)
                summary.failed += 1
                summary.problems.append(Problem(document.url or document.title, "%(error)s",
                                                {"error": f"{type(error).__name__}: {error}"}))
        if progress is not None:
            progress(1)
    return summary


def _exact_in_database(account, document: Document, canonical: str):
    # order_by() without fields: the default ordering (-fetched_at) would make SQLite walk the
    # fetched_at index instead of the (account, url) one — 2 ms a lookup at 10,000 items.
    # Compared as stored: the columns keep the first 1,000 and 500 characters.
    for column, value in (("canonical_url", canonical[:1000]), ("guid", document.guid[:500])):
        if value:
            found = list(Item.objects.filter(account=account, **{column: value}).order_by().values_list("pk", flat=True)[:1])
            if found:
                return found[0]
    return None


def _store(account, document: Document, source, pool: Pool, categories, summary: Summary, submitted_by,
           findings, classification=None) -> None:
    canonical = canonical_of(document)
    if pool.exact_duplicate(document) is not None or _exact_in_database(account, document, canonical):
        summary.duplicate += 1
        return
    now = clock.now()
    # The pool learns the document under a provisional key, replaced by the database id
    # once stored; if storing fails, the pool forgets it again.
    placeholder_key = object()
    try:
        item, story, outcome = _create(account, document, source, pool, categories, submitted_by, findings,
                                       canonical, now, placeholder_key, classification)
    except Exception:
        _rekey(pool, placeholder_key, None, None, canonical, document.guid)
        raise
    # Swap the provisional key for the stored one, so later documents point at real rows.
    _rekey(pool, placeholder_key, item.pk, story.pk, canonical, document.guid)
    summary.items.append(item.pk)
    if outcome.status == "new":
        summary.new += 1
    else:
        summary.near_duplicate += 1


def _create(account, document, source, pool, categories, submitted_by, findings, canonical, now, placeholder_key,
            classification):
    with transaction.atomic():
        outcome = pool.add(placeholder_key, document, classification=classification)
        classification = outcome.classification
        # Staff chose to submit it: internal material is relevant by definition, only its category is guessed.
        category = _category(classification, categories, 0.0 if submitted_by is not None else min_confidence())
        if outcome.status == "new":
            story = Story.objects.create(
                account=account, title=document.title[:300], category=category,
                confidence=classification.confidence if classification else 0.0,
                first_seen_at=now, published_at=document.published,
            )
        else:
            story = Story.objects.select_for_update().get(pk=outcome.story)
        item = Item.objects.create(
            account=account, source=source, source_name=(document.source_name or (source.name if source else ""))[:200],
            story=story, title=document.title[:300], text=document.text, html=document.html,
            url=document.url[:1000], canonical_url=canonical[:1000], guid=document.guid[:500],
            author=document.author[:100], published_at=document.published, fetched_at=now,
            signature=minhash.to_bytes(outcome.signature), similarity=outcome.similarity,
            category=category, confidence=classification.confidence if classification else 0.0,
            scores=classification.scores if classification else {}, keywords=list(outcome.keywords),
            submitted_by=submitted_by, findings=findings or [],
            reprint=document.reprint or ReprintStatus.QUOTED, pictures=list(document.pictures),
        )
        item.rank = rank(document.published, now, item.confidence, 1, first_seen=now)
        Item.objects.filter(pk=item.pk).update(rank=item.rank)
        _rerank(story, now)
    return item, story, outcome


def _rekey(pool: Pool, old, new: int | None, story: int | None, url: str, guid: str) -> None:
    """Replace the provisional key ``old`` by ``new``; ``new=None`` forgets it."""
    for mapping, key in ((pool.by_url, url), (pool.by_guid, guid)):
        if key and mapping.get(key) is old:
            if new is None:
                del mapping[key]
            else:
                mapping[key] = new
    pool.story_of.pop(old, None)
    if new is None:
        pool.index.remove(old)
    else:
        pool.story_of[new] = story
        pool.index.rename(old, new)


def _rerank(story: Story, now) -> None:
    sources = story.items.values("source_name").distinct().count()
    story.source_count = max(1, sources)
    if story.published_at is None:  # a later copy may say when the story was published
        story.published_at = story.items.exclude(published_at=None).order_by("published_at").values_list(
            "published_at", flat=True).first()
    story.rank = rank(story.published_at, now, story.confidence, story.source_count, first_seen=story.first_seen_at)
    Story.objects.filter(pk=story.pk).update(source_count=story.source_count, rank=story.rank,
                                             published_at=story.published_at)


def min_confidence() -> float:
    """Below this confidence a story is "other / not relevant" (``WXOPS_SOURCES_MIN_CONFIDENCE``)."""
    return getattr(settings, "WXOPS_SOURCES_MIN_CONFIDENCE", 0.4)


def _category(classification, categories: dict, threshold: float):
    """The account's category for a classification, or None for "other / not relevant"."""
    if classification is None or classification.confidence < threshold:
        return None
    return categories.get(classification.category)  # the learnt OTHER class matches no category
