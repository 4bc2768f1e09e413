"""Quality of the sources pipeline, in figures.

1. Near-duplicate precision/recall (pairwise, "same story") on generated rewrites:
   reordered sentences, changed punctuation, inserted boilerplate, a dropped sentence.
2. Cross-feed duplicates in the real feeds of ``DATA/feeds/`` (the same article in two
   feeds): found by content alone (MinHash, links and GUIDs hidden), and false groupings.
   Also: items lost to URL canonicalisation (entries of one feed merged into another
   entry by their canonical URL), with and without keeping identifying fragments, and
   items lost to the pool's exact de-duplication as ingestion runs it (canonical URL or
   guid), feed by feed and across all feeds, each poll twice (the second must add nothing).
3. Article extraction against the gold texts in ``DATA/pages/``: character-bag
   precision/recall/F1, title, and the non-article page refused.
4. Classification accuracy by 5-fold cross-validation on the shipped seed examples, and
   how many real feed items fall below the relevance threshold (filed as other).

    .venv/bin/python benchmarks/sources_eval.py --data ../shared/data

``--data`` is the folder of real-world data (not part of the project); without it, parts
2 and 3 are skipped.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wxops.sources import synthetic  # noqa: E402
from wxops.sources.canonical_urls import canonical_of, canonical_url, with_identity  # noqa: E402
from wxops.sources.classifier import build_pipeline, seed_examples  # noqa: E402
from wxops.sources.extraction import NotAnArticle, extract_page  # noqa: E402
from wxops.sources.feeds import parse_feed  # noqa: E402
from wxops.sources.pipeline import Pool  # noqa: E402
from wxops.sources.text import html_to_text  # noqa: E402


def pairs(groups: list[int]) -> set[tuple[int, int]]:
    members = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    return {pair for items in members.values() for pair in itertools.combinations(sorted(items), 2)}


def precision_recall(predicted: set, truth: set) -> tuple[float, float]:
    hits = len(predicted & truth)
    return (hits / len(predicted) if predicted else 1.0), (hits / len(truth) if truth else 1.0)


def stories(documents) -> list[int]:
    pool = Pool()
    return [pool.add(index, document, classify=False).story for index, document in enumerate(documents)]


def generated_rewrites(size: int, share: float) -> None:
    documents, truth = synthetic.corpus(size, share, seed=21)
    predicted = stories(documents)
    precision, recall = precision_recall(pairs(predicted), pairs(truth))
    print(f"[near-duplicates, generated] {size} documents, {share:.0%} rewrites: "
          f"precision {precision:.3f}, recall {recall:.3f}")


def lost_to_canonicalisation(entries, key) -> int:
    """Entries of one feed that a canonical URL would merge into another, different entry (lost items)."""
    first_title: dict[str, str] = {}
    lost = 0
    for entry in entries:
        url = key(entry)
        if not url:
            continue
        if url in first_title and first_title[url] != entry.title:
            lost += 1
        first_title.setdefault(url, entry.title)
    return lost


def lost_to_deduplication(pool: Pool, entries, start: int) -> tuple[int, int]:
    """Feed ``entries`` to ``pool``'s exact de-duplication (canonical URL or guid, as ingestion
    does): (entries merged into an entry with another title — lost, stored — the new ones)."""
    lost = stored = 0
    for offset, entry in enumerate(map(with_identity, entries)):
        existing = pool.exact_duplicate(entry)
        if existing is not None:
            lost += pool.story_of[existing] != entry.title
            continue
        key = start + offset
        pool.remember(key, url=canonical_of(entry), guid=entry.guid, signature=None, story=0)
        pool.story_of[key] = entry.title
        stored += 1
    return lost, stored


def canonicalisation(folder: Path) -> None:
    now, before, worst, unreadable = 0, 0, [], []
    feeds = []
    for path in sorted(folder.glob("*/*.xml")):
        try:
            entries = parse_feed(path.read_bytes()).documents
        except ValueError:
            unreadable.append(path.name)
            continue
        feeds.append((path.name, entries))
        lost = lost_to_canonicalisation(entries, canonical_of)
        plain = lost_to_canonicalisation(entries, lambda entry: canonical_url(entry.url))
        now, before = now + lost, before + plain
        if plain:
            worst.append(f"{path.name} {plain} → {lost}")
    print(f"[canonicalisation] items lost to URL canonicalisation on the shared feeds: {now} "
          f"(dropping every #fragment would lose {before}: {', '.join(worst) or 'none'})")
    per_feed, again, everything = 0, 0, Pool()
    across, key = 0, 0
    for _name, entries in feeds:
        pool = Pool()
        lost, _stored = lost_to_deduplication(pool, entries, 0)
        per_feed += lost
        second_lost, second_stored = lost_to_deduplication(pool, entries, len(entries))
        again += second_stored + second_lost
        lost, _stored = lost_to_deduplication(everything, entries, key)
        across += lost
        key += len(entries)
    total = sum(len(entries) for _name, entries in feeds)
    print(f"[canonicalisation] exact de-duplication (canonical URL or guid) as ingestion runs it: {per_feed} of "
          f"{total} entries lost within their feed, {across} across all feeds; polling every feed a second time "
          f"stores {again} (must be 0); feeds refused as unreadable: {', '.join(unreadable) or 'none'}")


def real_feeds(folder: Path) -> None:
    canonicalisation(folder)
    documents = []
    for path in sorted(folder.glob("*/*.xml")):
        try:
            entries = parse_feed(path.read_bytes()).documents
        except ValueError:
            continue
        documents += [replace(entry, source_name=path.name) for entry in entries]
    # Truth: the same title in two different feeds is the same article.
    by_title = defaultdict(set)
    for index, document in enumerate(documents):
        by_title[re.sub(r"\s+", "", document.title)].add(index)
    truth = {pair for indexes in by_title.values() if len({documents[i].source_name for i in indexes}) > 1
             for pair in itertools.combinations(sorted(indexes), 2)}
    def cross(found: set) -> set:
        return {(a, b) for a, b in found if documents[a].source_name != documents[b].source_name}

    content_only = [replace(d, url="", guid="", title="") for d in documents]
    predicted = pairs(stories(content_only))
    precision, recall = precision_recall(cross(predicted), truth)
    print(f"[near-duplicates, real feeds] {len(documents)} items in {len(list(folder.glob('*/*.xml')))} feeds, "
          f"{len(truth)} cross-feed duplicate pairs; by content alone (links, GUIDs, titles hidden): "
          f"precision {precision:.3f}, recall {recall:.3f} ({len(cross(predicted) & truth)} found, "
          f"{len(cross(predicted) - truth)} false cross-feed groupings)")
    within = predicted - cross(predicted)
    identical = sum(1 for a, b in within if documents[a].text == documents[b].text)
    print(f"    within one feed, {len(within)} pairs grouped as well ({identical} with identical text: "
          f"software listings repeating one description for several versions)")
    with_links = cross(pairs(stories(documents)))
    precision, recall = precision_recall(with_links, truth)
    print(f"[near-duplicates, real feeds] with links, GUIDs and titles: precision {precision:.3f}, recall {recall:.3f}")


def bag(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace() and ch not in "，。、：；！？“”（）,.:;!?\"'()")


def prf(extracted: str, gold: str) -> tuple[float, float, float]:
    got, want = bag(extracted), bag(gold)
    overlap = sum((got & want).values())
    precision = overlap / max(1, sum(got.values()))
    recall = overlap / max(1, sum(want.values()))
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def extraction(folder: Path) -> None:
    cases = [
        ("newspaper_bbczh__chinese_article.html", (folder / "newspaper_bbczh__chinese.expected.txt").read_text("utf-8"),
         None),
        ("readability_qq__source.html", html_to_text((folder / "readability_qq__expected.html").read_text("utf-8")),
         json.loads((folder / "readability_qq__expected-metadata.json").read_text("utf-8"))["excerpt"]),
    ]
    for name, gold, gold_title in cases:
        document = extract_page((folder / name).read_bytes(), url="https://example.com/article")
        precision, recall, f1 = prf(document.text, gold)
        title = f", title {'matches' if gold_title and gold_title in document.title else repr(document.title)}" \
            if gold_title else f", title {document.title!r}"
        print(f"[extraction] {name}: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}{title}, "
              f"date {document.published.date() if document.published else None}")
    for name in ("galaxy_walker__jb51_homepage_gbk.html",):
        try:
            extract_page((folder / name).read_bytes())
            print(f"[extraction] {name}: WRONGLY accepted as an article")
        except NotAnArticle:
            print(f"[extraction] {name}: refused as not an article (correct)")


def classification() -> None:
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    examples = seed_examples()
    texts, labels = [e.text for e in examples], [e.category for e in examples]
    predicted = cross_val_predict(build_pipeline(), texts, labels, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    accuracy = sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(labels)
    print(f"[classification] 5-fold cross-validation on {len(labels)} seed examples: accuracy {accuracy:.3f}")
    for category in sorted(set(labels)):
        indexes = [i for i, t in enumerate(labels) if t == category]
        right = sum(predicted[i] == category for i in indexes)
        print(f"    {category}: {right}/{len(indexes)}")


def relevance(folder: Path, threshold: float = 0.4) -> None:
    """How many real feed items the seed classifier is unsure of: below the threshold they are
    filed as "other / not relevant" (WXOPS_SOURCES_MIN_CONFIDENCE) instead of a category."""
    from wxops.sources.compact_classifier import CompactClassifier

    classifier = CompactClassifier.seed()
    documents = []
    for path in sorted(folder.glob("*/*.xml")):
        try:
            documents += parse_feed(path.read_bytes()).documents
        except ValueError:
            continue
    doubtful = sum(classifier.classify(f"{d.title}\n{d.text[:3000]}").confidence < threshold for d in documents)
    print(f"[relevance] {doubtful} of {len(documents)} real feed items below {threshold:.0%} confidence: filed as "
          f"other / not relevant, not forced into a category")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="the shared real-world data folder, e.g. ../shared/data")
    parser.add_argument("--size", type=int, default=3000, help="generated documents for part 1")
    args = parser.parse_args()
    generated_rewrites(args.size, 0.3)
    if args.data and (args.data / "feeds").is_dir():
        real_feeds(args.data / "feeds")
        relevance(args.data / "feeds")
    else:
        print("[near-duplicates, real feeds] skipped: give --data ../shared/data")
    if args.data and (args.data / "pages").is_dir():
        extraction(args.data / "pages")
    else:
        print("[extraction] skipped: give --data ../shared/data")
    classification()
    return 0


if __name__ == "__main__":
    sys.exit(main())
