"""Ingest throughput: 10,000 generated feed items (20 % near-duplicate reprints) parsed,
de-duplicated, grouped into stories, classified and ranked — the work ``wxops ingest``
does per item, without the database.

Prints items/s, peak memory (the process's max RSS) and, measured in the same
process, a baseline — jieba tokenisation alone of the same texts — so the ratio can be
compared across machines. Target (issue 5): under 60 s on 2 cores.

    .venv/bin/python benchmarks/ingest_throughput.py [--items 10000] [--share 0.2] [--database]

``--database`` also stores the same items through Django (``sources.ingestion.ingest``, one
transaction per item) into a fresh SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import html
import resource
import sys
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import jieba  # noqa: E402

from wxops.sources import synthetic  # noqa: E402
from wxops.sources.classifier import Classifier  # noqa: E402
from wxops.sources.feeds import parse_feed  # noqa: E402
from wxops.sources.pipeline import Pool, classify_many, score  # noqa: E402
from wxops.sources.segmentation import tokens  # noqa: E402

ITEMS_PER_FEED = 100


def feeds_of(documents) -> list[bytes]:
    """RSS 2.0 feeds of 100 items each; every other feed GB18030-encoded, as Chinese portals do."""
    feeds = []
    for start in range(0, len(documents), ITEMS_PER_FEED):
        encoding = "gb18030" if (start // ITEMS_PER_FEED) % 2 else "utf-8"
        items = "".join(
            f"<item><title>{html.escape(d.title)}</title><link>{html.escape(d.url)}</link>"
            f"<guid>{html.escape(d.guid)}</guid><pubDate>{format_datetime(d.published or datetime.now(UTC))}</pubDate>"
            f"<description>{html.escape(d.text)}</description></item>"
            for d in documents[start:start + ITEMS_PER_FEED]
        )
        xml = (f'\n<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
               f"<title>Feed {start // ITEMS_PER_FEED}</title>{items}</channel></rss>")
        feeds.append(xml.encode(encoding))
    return feeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--share", type=float, default=0.2, help="share of near-duplicate reprints")
    parser.add_argument("--database", action="store_true", help="also ingest through Django into SQLite")
    args = parser.parse_args()

    documents, truth = synthetic.corpus(args.items, args.share, seed=7)
    feeds = feeds_of(documents)
    classifier = Classifier.from_seed()
    tokens("预热")  # load jieba's dictionary outside the timed part, as a running worker has

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    pool = Pool(classifier=classifier)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    statuses = {"new": 0, "near_duplicate": 0, "duplicate": 0}
    parsed = 0
    key = 0
    story_of_index: list[int] = []
    for feed in feeds:
        _, entries = parse_feed(feed)
        parsed += len(entries)
        for entry, classification in zip(entries, classify_many(classifier, entries), strict=True):
            outcome = pool.add(key, entry, classification=classification)
            score(entry, outcome, now)
            statuses[outcome.status] += 1
            story_of_index.append(outcome.story)
            key += 1
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    baseline_started = time.perf_counter()
    for document in documents:
        jieba.lcut(f"{document.title}\n{document.text}"[:3000])  # uncached: the bare segmentation cost
    baseline = time.perf_counter() - baseline_started

    grouped = sum(1 for i, original in enumerate(truth) if i != original and story_of_index[i] == story_of_index[original])
    reprints = sum(1 for i, original in enumerate(truth) if i != original)
    print(f"items: {parsed} in {len(feeds)} feeds ({args.share:.0%} near-duplicate reprints)")
    print(f"outcomes: new {statuses['new']}, near-duplicate {statuses['near_duplicate']}, duplicate {statuses['duplicate']}")
    print(f"reprints grouped with their original: {grouped}/{reprints} ({grouped / max(1, reprints):.1%})")
    print(f"time: {elapsed:.1f} s  →  {parsed / elapsed:.0f} items/s  (target: under 60 s)")
    print(f"peak memory (max RSS of the process): {peak / 1024:.0f} MiB (before ingesting: {rss_before / 1024:.0f} MiB)")
    seen: set[int] = set()
    wrong = 0
    for i, original in enumerate(truth):
        wrong += i == original and story_of_index[i] in seen
        seen.add(story_of_index[i])
    print(f"originals wrongly joined to an earlier story: {wrong}")
    print(f"baseline (jieba segmentation only, same texts): {baseline:.1f} s → {len(documents) / baseline:.0f} items/s")
    print(f"ratio full pipeline / tokenisation baseline: {elapsed / baseline:.2f}×")
    if args.database:
        through_database(feeds)
    return 0


def through_database(feeds: list[bytes]) -> None:
    """The same feeds stored by the Django side into a fresh SQLite database."""
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="wxops-bench-")
    os.environ["WXOPS_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from wxops.accounts.models import DEFAULT_CATEGORIES, Account, Category
    from wxops.sources.ingestion import ingest

    account = Account.objects.create(name="bench", app_id="wx0123456789abcdef")
    for position, name in enumerate(DEFAULT_CATEGORIES):
        Category.objects.create(account=account, name=name, position=position)
    entries = [entry for feed in feeds for entry in parse_feed(feed)[1]]
    started = time.perf_counter()
    summary = ingest(account, entries)
    elapsed = time.perf_counter() - started
    print(f"through Django + SQLite ({folder}): {summary.new} new, {summary.near_duplicate} near-duplicate, "
          f"{summary.failed} failed in {elapsed:.1f} s → {len(entries) / elapsed:.0f} items/s")


if __name__ == "__main__":
    sys.exit(main())
