"""Simulated feedback windows with their planted topics known, and the score of a core-issue finder on them.

The simulator's demo audience profile plants ``feedback_topics`` (texts by category); its
followers rephrase them (``wxops.simulator.phrasing``: greetings, synonyms, punctuation,
sign-offs, short praise). Here each push of a simulated week draws comments and messages
the way the simulator does after a push (``behaviour.plan_push``: read, then comment or
write with the category's rates), on an audience large enough for a real window's volume,
and every text keeps the planted text it came from. Used by ``test_feedback_eval.py`` and
``benchmarks/feedback_topics.py``.

Score: a planted text that occurs at least twice in a window must appear as one of that
window's core issues — a group whose majority came from that text, quoted with one of them.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from wxops.interaction.feedback.clustering import MAX_ISSUES, MIN_VOLUME, Feedback, Issue, find_core_issues
from wxops.simulator import audience, phrasing

PUSH_DAYS_PER_WEEK = 3


@dataclass(frozen=True)
class Window:
    feedback: tuple[Feedback, ...]
    labels: tuple[str | None, ...]  # the planted text each feedback came from (None: praise)


def demo_profile() -> audience.Profile:
    data = json.loads(resources.files("wxops.simulator").joinpath("data/profiles/demo.json").read_text("utf-8"))
    return audience.parse(data)


def simulated_windows(weeks: int = 8, *, followers: int = 30000, seed: int = 7) -> list[Window]:
    """``weeks`` × 3 pushes of 1–3 articles in the profile's categories, each one window of feedback."""
    profile = demo_profile()
    draw = random.Random(seed)
    categories = list(profile.categories)
    windows = []
    for _push in range(weeks * PUSH_DAYS_PER_WEEK):
        feedback: list[Feedback] = []
        labels: list[str | None] = []
        for article_id in range(1, draw.randint(1, 3) + 1):
            category = draw.choice(categories)
            rates = profile.rates(category)
            topics = profile.topics_for(category)
            texts = tuple(t for topic in topics for t in topic.texts)
            readers = sum(draw.random() < rates.read_rate for _ in range(followers))
            reader_rate = max(rates.read_rate, 1e-9)
            for _reader in range(readers):
                if draw.random() < rates.comment_rate / reader_rate:
                    planted = draw.choice(texts) if draw.random() < 0.7 else None
                    text = phrasing.vary(planted, draw) if planted else draw.choice(phrasing.PRAISE)
                    feedback.append(Feedback(text, article_id=article_id, is_comment=True))
                    labels.append(planted)
                if draw.random() < rates.message_rate / reader_rate:
                    planted = draw.choice(texts)
                    feedback.append(Feedback(phrasing.vary(planted, draw)))
                    labels.append(planted)
        for _message in range(round(draw.gauss(profile.daily_messages or 3, 1))):  # the day's unprompted messages
            topic = audience.pick_topic(profile.feedback_topics, draw)
            planted = draw.choice(topic.texts)
            feedback.append(Feedback(phrasing.vary(planted, draw)))
            labels.append(planted)
        windows.append(Window(tuple(feedback), tuple(labels)))
    return windows


@dataclass(frozen=True)
class Score:
    planted: int  # (window, planted text) pairs with at least MIN_VOLUME texts
    found: int
    issues: int
    windows: int

    @property
    def share(self) -> float:
        return self.found / self.planted if self.planted else 0.0


Finder = Callable[[list[Feedback]], list[Issue]]


def score(windows: list[Window], finder: Finder = find_core_issues) -> Score:
    planted = found = issues_total = 0
    for window in windows:
        support = Counter(label for label in window.labels if label)
        wanted = {label for label, n in support.items() if n >= MIN_VOLUME}
        planted += len(wanted)
        issues = finder(list(window.feedback))
        issues_total += len(issues)
        label_of_text = {item.text.strip(): label for item, label in zip(window.feedback, window.labels, strict=True)}
        credited = set()
        for issue in issues:
            majority, count = Counter(window.labels[i] for i in issue.members).most_common(1)[0]
            if majority is None or count * 2 <= issue.volume:
                continue
            if any(label_of_text.get(quote.strip()) == majority for quote in issue.quotes):
                credited.add(majority)
        found += len(wanted & credited)
    return Score(planted, found, issues_total, len(windows))


def exact_text_baseline(feedback: list[Feedback]) -> list[Issue]:
    """The same words counted together (what a most-asked-texts table does): identical texts form an issue."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(feedback):
        groups.setdefault(item.text.strip(), []).append(i)
    ranked = sorted((g for g in groups.values() if len(g) >= MIN_VOLUME), key=lambda g: (-len(g), g[0]))
    return [Issue(rank, feedback[g[0]].text, (), tuple(g), (feedback[g[0]].text,), 0.0, 0, 0, None)
            for rank, g in enumerate(ranked[:MAX_ISSUES], start=1)]


def one_per_message_baseline(feedback: list[Feedback]) -> list[Issue]:
    """Every message its own issue (as many as a document lists): quotes without grouping."""
    return [Issue(rank, item.text, (), (i,), (item.text,), 0.0, 0, 0, None)
            for rank, (i, item) in enumerate(list(enumerate(feedback))[:MAX_ISSUES], start=1)]
