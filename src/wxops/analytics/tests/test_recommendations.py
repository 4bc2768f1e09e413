"""The loop closed: the analysis weighs categories by their read rates and the planner reads the weights."""

from __future__ import annotations

from wxops.analytics import actions
from wxops.analytics.recommendations import MIN_WEIGHT
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

    suggestion = planner.suggest(world.account, [], day("2026-03-09"))
    assert suggestion.category is not None and "：近四周" in suggestion.reason


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
