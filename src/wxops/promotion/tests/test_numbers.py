"""The figures: first touch, returned and lost, scans apart, retention, targets, growth by day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wxops.core import clock
from wxops.promotion import numbers
from wxops.promotion.actions import attribution, staff
from wxops.promotion.models import Branch, CodeKind, CodeStatus, Employee, PromoCode, Target

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = numbers.Period(date(2026, 3, 1), date(2026, 3, 31))


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def scenes(account, branches):
    for branch in branches.values():
        PromoCode.objects.create(account=account, scene_str=f"b:{branch.code}", branch=branch, status=CodeStatus.READY,
                                 kind=CodeKind.PERMANENT, url=f"http://weixin.qq.com/q/{branch.code}")
        for employee in branch.employees.all():
            PromoCode.objects.create(account=account, scene_str=f"b:{branch.code}:e:{employee.staff_number}",
                                     branch=branch, employee=employee, status=CodeStatus.READY,
                                     kind=CodeKind.PERMANENT, url=f"http://weixin.qq.com/q/{employee.staff_number}")


def follow(account, openid, scene, when):
    return attribution.subscribed(account_id=account.pk, openid=openid, scene=scene, at=when)


def leave(account, openid, when):
    attribution.unsubscribed(account_id=account.pk, openid=openid, at=when)


def lines(account, by="branch", period=MARCH, **options):
    return {line.label: line for line in numbers.leaderboard(account, Branch.objects.all(), period, by=by, **options)}


def test_first_touch_returned_lost_and_scans(account, branches, scenes):
    follow(account, "o1", "b:sz:e:S001", at(2))
    follow(account, "o1", "b:sz:e:S001", at(2))  # the same event again: counted once
    leave(account, "o1", at(3))
    leave(account, "o1", at(3))
    follow(account, "o1", "b:gz", at(4))  # comes back through 广州: still 深圳's, as returned
    attribution.scanned(account_id=account.pk, openid="o1", scene="b:gz:e:G001", at=at(5))
    follow(account, "o2", "b:gz:e:G001", at(6))
    by_branch = lines(account)
    assert (by_branch["深圳分公司"].new, by_branch["深圳分公司"].lost, by_branch["深圳分公司"].returned,
            by_branch["深圳分公司"].net, by_branch["深圳分公司"].scans) == (1, 1, 1, 1, 0)
    assert (by_branch["广州分公司"].new, by_branch["广州分公司"].scans) == (1, 1)
    by_person = lines(account, by="employee")
    assert (by_person["张三"].new, by_person["王五"].new, by_person["王五"].scans, by_person["李四"].new) == (1, 1, 1, 0)
    # A day's figures: only what happened that day.
    day_three = lines(account, period=numbers.Period.of("day", date(2026, 3, 3)))
    assert (day_three["深圳分公司"].new, day_three["深圳分公司"].lost) == (0, 1)


def test_unknown_scenes_and_followers_without_a_code_are_kept_apart(account, branches, scenes):
    follow(account, "o1", "b:closed:e:X9", at(2))
    follow(account, "o2", "", at(2))
    all_lines = lines(account, include_unattributed=True)
    assert {line.key: line.new for line in all_lines.values() if line.new} == {
        numbers.UNKNOWN: 1, numbers.WITHOUT_CODE: 1}
    assert all(line.new == 0 for line in lines(account).values())  # a branch view never shows them


def test_a_left_employees_code_still_counts_for_them(account, branches, scenes, people):
    zhang = Employee.objects.get(staff_number="S001")
    staff.deactivate_employee(zhang, user=people["shenzhen"])
    follow(account, "o1", "b:sz:e:S001", at(9))
    line = lines(account, by="employee")["张三"]
    assert (line.new, line.active) == (1, False)


def test_retention_counts_only_followers_old_enough_to_tell(account, branches, scenes):
    with clock.frozen(at(31, 23)):
        follow(account, "kept", "b:sz", at(1))
        follow(account, "left-early", "b:sz", at(1))
        leave(account, "left-early", at(3))
        follow(account, "left-late", "b:sz", at(1))
        leave(account, "left-late", at(20))
        follow(account, "too-young", "b:sz", at(28))
        line = lines(account)["深圳分公司"]
    assert line.retention_7 == pytest.approx(2 / 3)  # too-young is only 3 days old
    assert line.retention_30 == pytest.approx(1 / 3)
    assert lines(account)["广州分公司"].retention_7 is None


def test_targets_and_growth_by_day(account, branches, scenes):
    Target.objects.create(branch=branches["sz"], period_start=date(2026, 3, 1), period_end=date(2026, 3, 31),
                          new_followers=4)
    for n, day in enumerate((2, 2, 5)):
        follow(account, f"o{n}", "b:sz", at(day))
    leave(account, "o0", at(6))
    line = lines(account, period=numbers.Period(date(2026, 3, 1), date(2026, 3, 10)))["深圳分公司"]
    assert (line.target, line.target_new, line.progress) == (4, 3, 0.75)
    series = numbers.growth(account, Branch.objects.all(), numbers.Period(date(2026, 3, 1), date(2026, 3, 7)))
    assert [value for _day, value in series["深圳分公司"]] == [0, 2, 2, 2, 3, 2, 2]
    assert [value for _day, value in series["广州分公司"]] == [0] * 7


def test_periods_are_whole_days_weeks_and_months():
    assert numbers.Period.of("week", date(2026, 3, 4)) == numbers.Period(date(2026, 3, 2), date(2026, 3, 8))
    assert numbers.Period.of("month", date(2026, 2, 14)) == numbers.Period(date(2026, 2, 1), date(2026, 2, 28))
    start, end = numbers.Period.of("day", date(2026, 3, 4)).bounds(SHANGHAI)
    assert end - start == timedelta(days=1) and start.hour == 0
    with pytest.raises(ValueError):
        numbers.Period.of("year", date(2026, 3, 4))


@pytest.mark.django_db(transaction=True)
def test_attribution_works_outside_a_transaction(account, branches, scenes):
    """An import or a script calls it in autocommit: PostgreSQL refused its row lock there."""
    follow(account, "o-auto", "b:sz:e:S001", at(3))
    leave(account, "o-auto", at(4))
    follower = attribution.Follower.objects.get(openid="o-auto")
    assert (follower.following, follower.employee.staff_number) == (False, "S001")
