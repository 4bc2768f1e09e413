"""The planner's exploration: Thompson sampling over the categories' read-rate posteriors."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from wxops.editorial import planner
from wxops.editorial.models import Recommendation

pytestmark = pytest.mark.django_db

PERIOD = (date(2026, 11, 30), date(2027, 6, 30))


def posteriors(account, **by_name):
    """Analytics-like rows: name → (weight, alpha, beta)."""
    for name, (weight, alpha, beta) in by_name.items():
        Recommendation.objects.create(account=account, category=account.categories.get(name=name), weight=weight,
                                      alpha=alpha, beta=beta, period_start=PERIOD[0], period_end=PERIOD[1],
                                      reason=f"{name}：近四周阅读率为平均的 {weight:.1f} 倍")


def run(account, slots: int, seed: int) -> list[str]:
    history, names = [], {c.pk: c.name for c in account.categories.all()}
    for n in range(slots):
        day = PERIOD[0] + timedelta(days=n)
        suggestion = planner.suggest(account, history, day, rng=planner.slot_rng(account, day, seed))
        history.append([suggestion.category.pk])
    return [names[ids[0]] for ids in history]


def test_thompson_sampling_is_deterministic_for_a_seed(account):
    posteriors(account, 人力资源管理=(2.1, 6.3, 13.7), 财务管理=(0.5, 1.0, 19.0), 行业信息=(1.0, 1.0, 9.0))
    assert run(account, 40, seed=7) == run(account, 40, seed=7)
    assert run(account, 40, seed=7) != run(account, 40, seed=8)


def test_engagement_leads_and_no_category_starves_over_many_draws(account):
    # HR reads 4× as well as finance; industry news is uncertain (little evidence)
    posteriors(account, 人力资源管理=(2.0, 8.0, 32.0), 财务管理=(0.5, 1.0, 39.0), 企业管理=(1.0, 4.0, 36.0),
               行业信息=(1.0, 0.4, 3.6), 公司融智综合服务体系=(0.6, 1.2, 38.8))
    names = run(account, 150, seed=1)
    counts = Counter(names)
    assert counts["人力资源管理"] == max(counts.values())
    assert counts["人力资源管理"] > 2 * counts["财务管理"]
    assert set(counts) == {c.name for c in account.categories.all()}
    # never starved: every category comes back within a bounded number of slots
    for name in counts:
        positions = [n for n, chosen in enumerate(names) if chosen == name]
        gaps = [b - a for a, b in zip([-1, *positions], [*positions, len(names)], strict=True)]
        assert max(gaps) <= planner.STARVE_SLOTS + 1, (name, max(gaps))


def test_the_factor_is_bounded_and_averages_near_one():
    rng = random.Random(3)
    draws = [planner.thompson_factor(rng, 2.0, 18.0) for _ in range(4000)]
    assert min(draws) >= planner.EXPLORE_FLOOR and max(draws) <= planner.EXPLORE_CAP
    assert 0.85 < sum(draws) / len(draws) < 1.15


def test_an_editors_row_wins_over_analytics_and_zero_excludes(account):
    posteriors(account, 财务管理=(3.0, 9.0, 11.0))
    finance = account.categories.get(name="财务管理")
    Recommendation.objects.create(account=account, category=finance, weight=0, period_start=PERIOD[0],
                                  period_end=PERIOD[1], reason="本月暂停财务类", source="张编辑")
    weights, reasons = planner.weights_for(account, PERIOD[0])
    assert weights[finance.pk] == 0 and reasons[finance.pk] == "本月暂停财务类"
    assert finance.pk not in planner.posteriors_for(account, PERIOD[0])
    assert "财务管理" not in run(account, 30, seed=2)
