"""The loop closed: the analysis weighs categories by their read rates and the planner reads the weights."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from wxops.accounts.models import Account, Category
from wxops.analytics import actions, recommendations
from wxops.analytics.metrics import ArticleLine
from wxops.analytics.recommendations import MIN_WEIGHT, weights_from_lines
from wxops.editorial import planner
from wxops.editorial.models import Recommendation

from .conftest import day
from .test_metrics import two_pushes_synced


def test_the_analysis_writes_weights_with_reasons_and_the_planner_follows_them(world):
    two_pushes_synced(world)
    rows = actions.write_recommendations(world.account, day("2026-03-06"))
    by_name = {r.category.name: r for r in Recommendation.objects.filter(account=world.account)}
    assert len(rows) == 5 and set(by_name) == {"行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系"}
    hr, finance, news = by_name["人力资源管理"], by_name["财务管理"], by_name["行业信息"]
    assert (hr.period_start, hr.period_end) == (day("2026-03-07"), day("2026-03-20"))
    assert hr.weight > 1 > finance.weight >= MIN_WEIGHT  # read rate 0.3 against 0.08 in the audience profile
    assert hr.reason.startswith("人力资源管理：近四周阅读率为平均的 ") and "倍（1 篇，阅读 " in hr.reason
    assert news.weight == 1.0 and "尚无阅读数据" in news.reason  # no evidence: the prior, as usual
    assert hr.alpha / (hr.alpha + hr.beta) > finance.alpha / (finance.alpha + finance.beta)
    assert all(r.source == "analytics" for r in rows)

    # idempotent: the same analysis again replaces its rows
    actions.write_recommendations(world.account, day("2026-03-06"))
    assert Recommendation.objects.filter(account=world.account).count() == 5

    # The planner samples (Thompson): which category one slot gets depends on the draw, seeded by
    # the account's id — another on PostgreSQL. It says why in the analysis's words, and over many
    # draws leans to the category the readers preferred.
    suggestion = planner.suggest(world.account, [], day("2026-03-09"))
    written = Recommendation.objects.get(account=world.account, category=suggestion.category)
    assert written.reason in suggestion.reason
    draws = [planner.suggest(world.account, [], day("2026-03-09"), rng=random.Random(seed)).category.name
             for seed in range(200)]
    assert draws.count("人力资源管理") > draws.count("财务管理")


def test_an_editors_row_survives_the_analysis(world):
    two_pushes_synced(world)
    finance = world.account.categories.get(name="财务管理")
    Recommendation.objects.create(account=world.account, category=finance, weight=3, period_start=day("2026-03-07"),
                                  period_end=day("2026-03-20"), reason="季度报税，多推财务", source="王编辑")
    actions.write_recommendations(world.account, day("2026-03-06"))
    assert Recommendation.objects.filter(account=world.account, source="王编辑").count() == 1
    weights, reasons = planner.weights_for(world.account, day("2026-03-09"))
    assert weights[finance.pk] == 3 and reasons[finance.pk] == "季度报税，多推财务"


def test_no_figures_at_all_gives_every_category_the_usual_weight(world):
    rows = actions.write_recommendations(world.account, day("2026-01-31"))
    assert {r.weight for r in rows} == {1.0}
    assert all("尚无阅读数据" in r.reason for r in rows)


def lines_of(category: str, reads: list[int], *, reached: int = 1000, sent_on=None) -> list[ArticleLine]:
    sent_on = sent_on or day("2026-03-02")
    return [ArticleLine(1, sent_on, 0, f"{category}{n}", category, reached, read, read, 0, 0, 0, True)
            for n, read in enumerate(reads)]


@pytest.fixture
def account(db):
    account = Account.objects.create(name="权重测试号", app_id="wxweights0000001")
    for position, name in enumerate(("人力资源管理", "财务管理", "行业信息")):
        Category.objects.create(account=account, name=name, position=position)
    return account


def test_how_much_an_article_tells_is_measured_from_the_accounts_own_articles():
    assumed = 0.05 * 0.95 / recommendations.DEFAULT_ARTICLE_TRIALS
    alike = lines_of("人力资源管理", [90, 91, 89, 90, 92, 88]) + lines_of("财务管理", [70, 71, 69, 70, 72, 68])
    scattered = lines_of("人力资源管理", [10, 190, 40, 150, 5, 145]) + lines_of("财务管理", [140, 5, 120, 10, 100, 45])
    assert recommendations.article_spread(alike, assumed) < assumed / 2  # read alike: measured, not assumed
    assert recommendations.article_spread(scattered, assumed) > assumed * 2
    assert recommendations.article_spread([], assumed) == assumed  # nothing measured: the assumption


def test_articles_read_alike_make_a_narrow_posterior_and_scattered_ones_a_wide_one(account):
    until = day("2026-03-08")
    alike = {w.name: w for w in weights_from_lines(
        account, lines_of("人力资源管理", [90, 91, 89, 90, 92, 88]) + lines_of("财务管理", [70, 71, 69, 70, 72, 68]),
        until)}
    scattered = {w.name: w for w in weights_from_lines(
        account, lines_of("人力资源管理", [10, 190, 40, 150, 5, 145]) + lines_of("财务管理", [140, 5, 120, 10, 100, 45]),
        until)}
    assert alike["人力资源管理"].mean == pytest.approx(0.09, abs=0.005)
    assert alike["人力资源管理"].weight > 1 > alike["财务管理"].weight
    assert alike["人力资源管理"].alpha + alike["人力资源管理"].beta > 5 * (
        scattered["人力资源管理"].alpha + scattered["人力资源管理"].beta)
    assert "尚无阅读数据" in alike["行业信息"].reason and alike["行业信息"].weight == 1.0


def test_older_articles_count_less_and_a_category_pushed_long_ago_keeps_its_history(account):
    until = day("2026-06-28")
    recent = lines_of("人力资源管理", [90, 90], sent_on=until)
    old = lines_of("财务管理", [90, 90], sent_on=until - dt.timedelta(days=recommendations.HALF_LIFE_DAYS))
    weights = {w.name: w for w in weights_from_lines(account, recent + old, until)}
    hr, finance, untried = weights["人力资源管理"], weights["财务管理"], weights["行业信息"]
    prior = untried.alpha + untried.beta
    # the same articles, eight weeks (a half-life) older: half the evidence
    assert hr.alpha + hr.beta - prior == pytest.approx(2 * (finance.alpha + finance.beta - prior), rel=1e-3)
    assert (finance.articles, finance.history) == (0, 2)
    assert finance.reason.startswith("财务管理：近四周没有推送；据近半年 2 篇估计阅读率")
    assert hr.reason.startswith("人力资源管理：近四周阅读率为平均的 1.0 倍（2 篇，") and "据近半年 2 篇" in hr.reason
