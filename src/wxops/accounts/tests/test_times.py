"""The one helper for times on an account's screens (wxops.accounts.times)."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from wxops.accounts import times
from wxops.accounts.models import Account

AT = datetime(2026, 11, 30, 0, 57, tzinfo=UTC)


def test_a_template_shows_the_account_s_time_whatever_the_person_s_zone():
    account = Account(name="纽约", app_id="wx00112233445566ff", time_zone="America/New_York")
    template = Template('{% load account_times %}{{ at|account_time:account|date:"Y-m-d H:i" }} {{ at|date:"H:i" }}')
    with timezone.override("Europe/London"):
        shown = template.render(Context({"at": AT, "account": account}))
    assert shown == "2026-11-29 19:57 00:57"  # the account's time; an unconverted one is the person's


def test_what_belongs_to_no_account_keeps_the_person_s_zone():
    assert times.local(AT, object()) is AT
    assert times.local(None, Account(time_zone="Asia/Shanghai")) is None
    assert times.zone_of(None) is None


def test_a_new_account_takes_the_site_s_time_zone(settings):
    assert Account().time_zone == "Asia/Shanghai"  # WXOPS_TIME_ZONE's default
    settings.TIME_ZONE = "Asia/Urumqi"
    assert Account().time_zone == "Asia/Urumqi"


def test_a_time_in_a_message_is_written_in_the_desk_s_one_date_style():
    """Conversations wrote 2026-11-28 05:31 while the lists wrote 2026年11月28日: one style, the language's."""
    from django.utils import translation

    account = Account(name="纽约", app_id="wx00112233445566ff", time_zone="America/New_York")
    with translation.override("zh-hans"):
        assert times.shown(AT, account) == "2026年11月29日 19:57"
    with translation.override("en"):
        assert times.shown(AT, account) == "Nov. 29, 2026, 7:57 p.m."
    assert times.shown(None, account) == ""


def test_a_day_alone_is_written_in_the_same_style():
    from datetime import date

    from django.utils import translation

    with translation.override("zh-hans"):
        assert times.shown_day(date(2026, 3, 2)) == "2026年3月2日"
    with translation.override("en"):
        assert times.shown_day(date(2026, 3, 2)) == "March 2, 2026"
    assert times.shown_day(None) == ""


def test_a_day_without_its_year_is_written_in_the_same_style():
    """Charts, report gaps and slot advice each wrote f"{d.month}月{d.day}日" by hand; Django's
    zh MONTH_DAY_FORMAT would write 03月2日, unlike its 2026年3月2日."""
    from datetime import date

    from django.utils import translation

    with translation.override("zh-hans"):
        assert times.shown_month_day(date(2026, 3, 2)) == "3月2日"
        assert times.shown_month_day(datetime(2026, 12, 25, 11, 30)) == "12月25日"
        assert times.shown_month_day(date(2026, 3, 2)) in times.shown_day(date(2026, 3, 2))
    with translation.override("en"):
        assert times.shown_month_day(date(2026, 3, 2)) == "March 2"
    assert times.shown_month_day(None) == ""


@pytest.mark.django_db
def test_a_command_s_summary_line_is_in_the_accounts_zone_or_names_the_site_s(settings):
    """`wxops publishing status` wrote "since 2026-11-28 05:31 UTC": a command's line about every
    account uses their zone when they share one, else the site's, named."""
    from django.utils import translation

    settings.TIME_ZONE = "Asia/Shanghai"
    Account.objects.create(name="纽约", app_id="wx00112233445566ff", time_zone="America/New_York")
    with translation.override("zh-hans"):
        assert times.shown_for_all(AT) == "2026年11月29日 19:57"
        Account.objects.create(name="上海", app_id="wx00112233445566fe", time_zone="Asia/Shanghai")
        assert times.shown_for_all(AT) == "2026年11月30日 08:57 (Asia/Shanghai)"
    assert times.shown_for_all(None) == ""


def test_a_time_zone_may_stand_for_the_account():
    from zoneinfo import ZoneInfo

    from django.utils import translation

    with translation.override("zh-hans"):
        assert times.shown(AT, ZoneInfo("Asia/Shanghai")) == "2026年11月30日 08:57"
    assert times.zone_of(ZoneInfo("Asia/Tokyo")) == ZoneInfo("Asia/Tokyo")
