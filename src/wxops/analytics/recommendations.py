"""What the analysis tells the calendar: a weight per category, with the reason in words.

From the read rates of the articles sent in the last half year (WeChat's figures joined to
the pushes), each active category gets a Beta posterior of its read rate and a weight — its
posterior mean ÷ the account's read rate — written as ``editorial.Recommendation`` rows for
the next two weeks. The planner multiplies the weight by a draw from the posterior (Thompson
sampling), so the categories readers care about come more often and the others are still
tried (see :mod:`wxops.editorial.planner`).

How much one article tells about its category is measured, not assumed:

* **Articles differ.** Two articles of one category are read differently (title, topic,
  day), so an article is one noisy observation of its category's read rate: the noise of
  its followers reached (binomial) plus the spread between articles of one category.
  That spread is estimated from the account's own articles (how far each article's read
  rate lies from its category's, beyond the binomial noise — a method-of-moments
  estimate), held towards ``DEFAULT_ARTICLE_TRIALS`` with the weight of
  ``PRIOR_DEGREES`` articles while there are few. An article then counts as
  ``p(1−p) ÷ (p(1−p) ÷ reached + spread)`` trials: thousands when articles hardly differ,
  a few dozen when they differ a lot — a thousand followers reading one article are not a
  thousand observations of the category unless its articles are read alike.
* **Older evidence counts less.** Articles of the last ``EVIDENCE_DAYS`` count, each
  halved every ``HALF_LIFE_DAYS`` of age: a category carried rarely (the planner still
  tries it every few weeks) keeps its history, and a change in readers' interests shows
  within weeks.
* The prior is the account's read rate, worth ``PRIOR_ARTICLES`` articles.

The reason in words speaks of the last four weeks, as an editor reads them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from wxops.accounts.models import Account, Category
from wxops.analytics.metrics import ArticleLine, article_lines

#: How far back the evidence reaches, how fast it fades, and how long the weights apply.
EVIDENCE_DAYS = 182
HALF_LIFE_DAYS = 56
APPLIES_DAYS = 14
#: The period the reason in words speaks of.
REASON_DAYS = 28
#: The prior is worth this many articles at the account's read rate.
PRIOR_ARTICLES = 2
#: Until the account's own articles say otherwise, an article counts as this many trials.
DEFAULT_ARTICLE_TRIALS = 40
#: ... and that assumption weighs as much as this many articles' spread.
PRIOR_DEGREES = 4
#: Read rate assumed when the account has no figures at all (WeChat's usual order of magnitude).
DEFAULT_READ_RATE = 0.05
#: Weights are kept within these bounds, so no category is pushed out by one bad fortnight.
MIN_WEIGHT, MAX_WEIGHT = 0.2, 5.0
SOURCE = "analytics"


@dataclass(frozen=True)
class CategoryWeight:
    """One category's evidence and the weight it earns. ``articles``, ``readers`` and ``reached``
    are the last four weeks' (the reason's); ``history`` counts the articles behind the posterior."""

    category_id: int
    name: str
    articles: int
    readers: int
    reached: int
    alpha: float
    beta: float
    baseline: float
    history: int = 0

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def weight(self) -> float:
        return round(min(MAX_WEIGHT, max(MIN_WEIGHT, self.mean / self.baseline)), 2)

    @property
    def reason(self) -> str:
        """The reason in words, e.g. «人力资源管理：近四周阅读率为平均的 2.1 倍（3 篇，阅读 315 / 送达 1500）»."""
        if not self.history:
            return f"{self.name}：近半年没有推送、尚无阅读数据，保持轮换以了解读者兴趣。"
        estimate = f"据近半年 {self.history} 篇估计阅读率 {self.mean:.1%}（平均 {self.baseline:.1%}）"
        if not self.articles:
            return f"{self.name}：近四周没有推送；{estimate}。"
        own = self.readers / self.reached if self.reached else 0.0
        return (f"{self.name}：近四周阅读率为平均的 {own / self.baseline:.1f} 倍"
                f"（{self.articles} 篇，阅读 {self.readers} / 送达 {self.reached}，阅读率 {own:.1%}）；{estimate}。")


def category_weights(account: Account, until: dt.date, *, days: int = EVIDENCE_DAYS,
                     now: dt.datetime | None = None) -> list[CategoryWeight]:
    """Every active category's evidence over the ``days`` up to ``until`` (inclusive), best first."""
    start = until - dt.timedelta(days=days - 1)
    lines = [a for a in article_lines(account, start, until) if a.has_data and a.delivered]
    return weights_from_lines(account, lines, until)


def weights_from_lines(account: Account, lines: list[ArticleLine], until: dt.date) -> list[CategoryWeight]:
    """The posteriors from article lines (each with figures and followers reached) up to ``until``."""
    fades = [0.5 ** (max((until - line.sent_on).days, 0) / HALF_LIFE_DAYS) for line in lines]
    reached = sum(fade * line.delivered for fade, line in zip(fades, lines, strict=True))
    readers = sum(fade * min(line.read_user, line.delivered) for fade, line in zip(fades, lines, strict=True))
    baseline = readers / reached if reached and readers else DEFAULT_READ_RATE
    variance = baseline * (1 - baseline)
    spread = article_spread(lines, variance / DEFAULT_ARTICLE_TRIALS)
    trials = [fade * variance / (variance / line.delivered + spread) for fade, line in zip(fades, lines, strict=True)]
    prior = PRIOR_ARTICLES * (sum(trials) / sum(fades) if lines else DEFAULT_ARTICLE_TRIALS)
    recent_from = until - dt.timedelta(days=REASON_DAYS - 1)
    by_name = defaultdict(list)
    for line, weight in zip(lines, trials, strict=True):
        by_name[line.category].append((line, weight))
    result = []
    for category in Category.objects.filter(account=account, active=True).order_by("position", "name"):
        own = by_name.get(category.name, [])
        alpha, beta = prior * baseline, prior * (1 - baseline)
        for line, weight in own:
            share = min(1.0, line.read_user / line.delivered)
            alpha += weight * share
            beta += weight * (1 - share)
        recent = [line for line, _weight in own if line.sent_on >= recent_from]
        result.append(CategoryWeight(category.pk, category.name, len(recent), sum(a.read_user for a in recent),
                                     sum(a.delivered for a in recent), round(alpha, 4), round(max(beta, 1e-3), 4),
                                     baseline, history=len(own)))
    return sorted(result, key=lambda w: (-w.weight, w.name))


def article_spread(lines: list[ArticleLine], assumed: float) -> float:
    """The variance of read rates between articles of one category beyond the binomial noise of
    their followers reached, estimated from ``lines`` (method of moments, categories with two
    articles or more) and held towards ``assumed`` with the weight of ``PRIOR_DEGREES`` articles."""
    by_name = defaultdict(list)
    for line in lines:
        by_name[line.category].append(line)
    squares = noise = degrees = 0.0
    for own in by_name.values():
        if len(own) < 2:
            continue
        total = sum(a.delivered for a in own)
        rate = sum(min(a.read_user, a.delivered) for a in own) / total
        concentration = sum(a.delivered ** 2 for a in own) / total ** 2
        for line in own:
            squares += (min(line.read_user, line.delivered) / line.delivered - rate) ** 2
            noise += rate * (1 - rate) * (1 / line.delivered - 1 / total)
            degrees += 1 - 2 * line.delivered / total + concentration
    measured = max(0.0, (squares - noise) / degrees) if degrees > 0 else 0.0
    return (degrees * measured + PRIOR_DEGREES * assumed) / (degrees + PRIOR_DEGREES)
