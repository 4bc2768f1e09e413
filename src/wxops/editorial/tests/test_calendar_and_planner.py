"""Slots from the schedule, bent by holidays and one-off changes; the planner's suggestions and warnings."""

from datetime import date, datetime, time

import pytest

from wxops.accounts.models import AccountType
from wxops.core import clock
from wxops.editorial import actions, planner, public_holidays
from wxops.editorial.models import (
    DayKind,
    HolidayOverride,
    HolidayPolicy,
    PushStatus,
    Recommendation,
    SlotChange,
)
from wxops.editorial.schedule import schedule_for, slots_between

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db

NATIONAL_DAY_WEEKS = (date(2026, 9, 28), date(2026, 10, 16))


def days_of(slots):
    return [s.at.astimezone(SHANGHAI).strftime("%m-%d %H:%M") for s in slots]


def with_policy(account, policy):
    schedule = schedule_for(account)
    schedule.holiday_policy = policy
    schedule.save()
    return schedule


def test_the_plan_is_monday_wednesday_friday_at_11_30(account):
    slots, skipped = slots_between(account, date(2026, 11, 30), date(2026, 12, 6))
    assert days_of(slots) == ["11-30 11:30", "12-02 11:30", "12-04 11:30"] and skipped == []
    assert schedule_for(account).review_deadline == time(10, 0)


def test_national_day_slots_move_to_free_working_days_and_say_why(account):
    with_policy(account, HolidayPolicy.MOVE)
    slots, skipped = slots_between(account, *NATIONAL_DAY_WEEKS)
    # Friday 09-25 (中秋节) moves into the range too, past Monday's own slot
    assert days_of(slots) == ["09-28 11:30", "09-29 11:30", "09-30 11:30", "10-08 11:30", "10-09 11:30",
                              "10-10 11:30", "10-12 11:30", "10-13 11:30", "10-14 11:30", "10-16 11:30"]
    moved = {s.at.astimezone(SHANGHAI).strftime("%m-%d"): s.why for s in slots if s.regular_at}
    assert moved["10-08"] == "由 10月2日 顺延：国庆节（法定节假日，来自 chinesecalendar）"
    assert moved["09-29"] == "由 9月25日 顺延：中秋（法定节假日，来自 chinesecalendar）"
    assert skipped == []


def test_skip_and_keep_follow_the_accounts_policy(account):
    with_policy(account, HolidayPolicy.SKIP)
    slots, skipped = slots_between(account, *NATIONAL_DAY_WEEKS)
    assert days_of(slots) == ["09-28 11:30", "09-30 11:30", "10-09 11:30", "10-12 11:30", "10-14 11:30",
                              "10-16 11:30"]
    assert [s.why for s in skipped] == ["不推送：国庆节（法定节假日，来自 chinesecalendar）"] * 3
    with_policy(account, HolidayPolicy.KEEP)
    slots, skipped = slots_between(account, *NATIONAL_DAY_WEEKS)
    assert len(slots) == 9 and skipped == [] and slots[2].why.startswith("照常推送：国庆节")


def test_a_cancelled_and_an_extra_slot(account, editor):
    monday = datetime(2026, 11, 30, 11, 30, tzinfo=SHANGHAI)
    SlotChange.objects.create(account=account, kind="cancelled", slot_at=monday, note="年会")
    SlotChange.objects.create(account=account, kind="extra", slot_at=monday.replace(day=1, month=12), note="快讯")
    slots, skipped = slots_between(account, date(2026, 11, 30), date(2026, 12, 6))
    assert days_of(slots) == ["12-01 11:30", "12-02 11:30", "12-04 11:30"]
    assert slots[0].why == "加推：快讯" and [s.why for s in skipped] == ["已取消：年会"]


def test_a_year_the_package_does_not_know_is_named_until_an_administrator_fills_it(account):
    assert public_holidays.years_without_data(date(2026, 11, 27)) == [2027]
    assert public_holidays.day(date(2027, 2, 8)).why == "2027 年：尚无节假日数据（请手动添加）"
    HolidayOverride.objects.create(date=date(2027, 2, 8), kind=DayKind.HOLIDAY, name="春节")
    assert public_holidays.years_without_data(date(2026, 11, 27)) == []
    assert public_holidays.day(date(2027, 2, 8)).why == "春节（法定节假日，由管理员设定）"


def test_an_override_wins_over_the_package(account):
    HolidayOverride.objects.create(date=date(2026, 12, 2), kind=DayKind.HOLIDAY, name="公司庆典")
    with_policy(account, HolidayPolicy.SKIP)
    slots, skipped = slots_between(account, date(2026, 11, 30), date(2026, 12, 6))
    assert days_of(slots) == ["11-30 11:30", "12-04 11:30"] and "公司庆典" in skipped[0].why


def test_planning_makes_a_row_per_slot_with_a_rotating_category(account, monday):
    pushes = actions.plan_upcoming(account)
    assert len(pushes) == 7  # Mon/Wed/Fri from today's 11:30 to the Monday two weeks on
    pushes = [type(p).objects.get(pk=p.pk) for p in pushes]
    names = [p.suggested_category.name for p in pushes]
    assert names[:5] == ["行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系"]
    assert pushes[0].suggestion_reason == "轮换：「行业信息」最近没有推送过。"
    assert actions.plan_upcoming(account) and type(pushes[0]).objects.count() == 7  # idempotent


def test_a_recommendation_weighs_on_the_rotation(account, monday):
    finance = account.categories.get(name="财务管理")
    Recommendation.objects.create(account=account, category=finance, weight=10, period_start=date(2026, 11, 30),
                                  period_end=date(2026, 12, 13), reason="财务类阅读率最高")
    pushes = [type(p).objects.get(pk=p.pk) for p in actions.plan_upcoming(account)]
    assert pushes[0].suggested_category == finance
    assert "权重 10：财务类阅读率最高" in pushes[0].suggestion_reason


def test_the_editors_choice_overrides_the_suggestion(account, monday, editor):
    push = actions.plan_upcoming(account)[0]
    hr = account.categories.get(name="人力资源管理")
    actions.choose_category(push, hr, user=editor)
    push.refresh_from_db()
    assert push.effective_category == hr


def test_quota_warnings_by_account_type(account):
    mondays_to_fridays = [date(2026, 12, d) for d in (2, 4, 7, 9, 11)]
    assert planner.quota_warnings(account, mondays_to_fridays) == []
    assert planner.quota_warnings(account, [date(2026, 12, 2), date(2026, 12, 2)]) == [
        "2026-12-02：计划群发 2 次，但订阅号每天只能群发一次。"]
    account.account_type = AccountType.SERVICE
    warning, = planner.quota_warnings(account, mondays_to_fridays)
    assert warning.startswith("2026-12：计划群发 5 次，但服务号每月只能群发 4 次")


def test_a_category_absent_for_two_weeks_is_named(account, editor, make_article):
    finance = account.categories.get(name="财务管理")
    with clock.frozen(datetime(2026, 11, 2, 8, tzinfo=SHANGHAI)):
        old = actions.plan_push(account, datetime(2026, 11, 2, 11, 30, tzinfo=SHANGHAI))
        actions.add_article(old, make_article(category=finance), user=editor)
    with clock.frozen(datetime(2026, 11, 16, 8, tzinfo=SHANGHAI)):
        recent = actions.plan_push(account, datetime(2026, 11, 16, 11, 30, tzinfo=SHANGHAI))
        actions.add_article(recent, make_article(title="人事", category=account.categories.get(name="人力资源管理")),
                            user=editor)
    absent = [c.name for c in planner.absent_categories(account, date(2026, 11, 20))]
    assert absent == ["行业信息", "企业管理", "财务管理", "公司融智综合服务体系"]
    assert old.status != PushStatus.CANCELLED
