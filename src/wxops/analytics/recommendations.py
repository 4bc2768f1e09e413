"""What the analysis tells the calendar: a weight per category, with the reason in words.

From the read rates of the last four weeks (WeChat's figures joined to the pushes), each
active category gets a Beta posterior of its read rate and a weight — its posterior mean
÷ the account's read rate — written as ``editorial.Recommendation`` rows for the next two
weeks. The planner multiplies the weight by a draw from the posterior (Thompson
sampling), so the categories readers care about come more often and the others are
still tried (see :mod:`wxops.editorial.planner`).

Evidence is counted in articles, not in followers: ``EVIDENCE_PER_ARTICLE`` pseudo-trials
per article sent, on top of a prior at the account's read rate worth ``PRIOR_ARTICLES``
articles. (Counting each follower as a trial would make every posterior a needle after one
push, and Thompson sampling would stop exploring.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from wxops.accounts.models import Account, Category
from wxops.analytics.metrics import ArticleLine, article_lines

#: How far back the evidence reaches, and how long the weights apply.
EVIDENCE_DAYS = 28
APPLIES_DAYS = 14
#: The prior is worth this many articles at the account's read rate.
PRIOR_ARTICLES = 2
#: One article sent counts as this many trials of the category's read rate.
EVIDENCE_PER_ARTICLE = 40
#: Read rate assumed when the account has no figures at all (WeChat's usual order of magnitude).
DEFAULT_READ_RATE = 0.05
#: Weights are kept within these bounds, so no category is pushed out by one bad fortnight.
MIN_WEIGHT, MAX_WEIGHT = 0.2, 5.0
SOURCE = "analytics"


@dataclass(frozen=True)
class CategoryWeight:
    """One category's evidence and the weight it earns."""

    category_id: int
    name: str
    articles: int
    readers: int
    reached: int
    alpha: float
    beta: float
    baseline: float

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def weight(self) -> float:
        return round(min(MAX_WEIGHT, max(MIN_WEIGHT, self.mean / self.baseline)), 2)

    @property
    def reason(self) -> str:
        """The reason in words, e.g. «人力资源管理：近四周阅读率为平均的 2.1 倍（3 篇，阅读 315 / 送达 1500）»."""
        if not self.articles:
            return f"{self.name}：近四周没有推送、尚无阅读数据，保持轮换以了解读者兴趣。"
        own = self.readers / self.reached if self.reached else 0.0
        return (f"{self.name}：近四周阅读率为平均的 {own / self.baseline:.1f} 倍"
                f"（{self.articles} 篇，阅读 {self.readers} / 送达 {self.reached}，阅读率 {own:.1%}）。")


def category_weights(account: Account, until: dt.date, *, days: int = EVIDENCE_DAYS,
                     now: dt.datetime | None = None) -> list[CategoryWeight]:
    """Every active category's evidence over the ``days`` up to ``until`` (inclusive), best first."""
    start = until - dt.timedelta(days=days - 1)
    lines = [a for a in article_lines(account, start, until) if a.has_data and a.delivered]
    return weights_from_lines(account, lines)


def weights_from_lines(account: Account, lines: list[ArticleLine]) -> list[CategoryWeight]:
    """The posteriors from article lines (each with figures and followers reached)."""
    reached, readers = sum(a.delivered for a in lines), sum(a.read_user for a in lines)
    baseline = readers / reached if reached and readers else DEFAULT_READ_RATE
    by_name = defaultdict(list)
    for line in lines:
        by_name[line.category].append(line)
    result = []
    for category in Category.objects.filter(account=account, active=True).order_by("position", "name"):
        own = by_name.get(category.name, [])
        alpha = PRIOR_ARTICLES * EVIDENCE_PER_ARTICLE * baseline
        beta = PRIOR_ARTICLES * EVIDENCE_PER_ARTICLE * (1 - baseline)
        for line in own:
            share = min(1.0, line.read_user / line.delivered)
            alpha += EVIDENCE_PER_ARTICLE * share
            beta += EVIDENCE_PER_ARTICLE * (1 - share)
        result.append(CategoryWeight(category.pk, category.name, len(own), sum(a.read_user for a in own),
                                     sum(a.delivered for a in own), round(alpha, 4), round(max(beta, 1e-3), 4),
                                     baseline))
    return sorted(result, key=lambda w: (-w.weight, w.name))
