"""Every time a person sees on an account's screens is in the account's time zone, whatever their own.

The person here lives in London (their Wagtail profile), one account in Shanghai (UTC+8), another
in New York (UTC−5 in November): a time shown in London time would be the bug seen in issue 16
(the inbox list said 20:57, the same message's detail 12:57).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from wxops.accounts.models import Account
from wxops.core import clock
from wxops.editorial.actions import plan_push
from wxops.editorial.models import Push
from wxops.interaction.models import HandledStatus, InboundKind, InboundMessage
from wxops.publishing.models import Delivery
from wxops.site.demo import load_demo, read_logins

NEW_YORK = ZoneInfo("America/New_York")
#: Monday 00:00 UTC: 08:00 in Shanghai, Sunday 19:00 in New York.
MONDAY = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


@pytest.fixture
def two_zones(db):
    with clock.frozen(MONDAY):
        shanghai, _ = load_demo()
    new_york = Account.objects.create(name="纽约办事处", app_id="wx00112233445566ff", time_zone="America/New_York")
    return shanghai, new_york


@pytest.fixture
def london_admin(client, django_user_model):
    user = django_user_model.objects.get(username="admin")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language, profile.current_time_zone = "zh-hans", "Europe/London"
    profile.save()
    password = {row.username: row.password for row in read_logins()}["admin"]
    assert client.login(username="admin", password=password)
    return client


def message(account, n: int, at: datetime) -> InboundMessage:
    return InboundMessage.objects.create(
        account=account, kind=InboundKind.TEXT, msg_type="text", from_openid=f"oFollower{n:04d}abcdef123",
        dedupe_key=f"msg:{n}", msg_id=str(n), content=f"第 {n} 条留言", xml="<xml/>", sent_at=at, received_at=at,
        status=HandledStatus.NEW)


def row_of(listing: str, text: str) -> str:
    return next(row for row in re.findall(r"<tr.*?</tr>", listing, re.S) if text in row)


def test_a_utc_message_shows_the_same_local_time_in_the_inbox_list_and_detail(two_zones, london_admin):
    shanghai, _ = two_zones
    stored = message(shanghai, 1, datetime(2026, 11, 30, 12, 57, tzinfo=UTC))
    listing = london_admin.get(reverse("inbox:index")).text
    detail = london_admin.get(reverse("inbox:inspect", args=[stored.pk])).text
    assert "20:57" in row_of(listing, "第 1 条留言") and "12:57" not in listing
    assert detail.count("20:57") == 2 and "12:57" not in detail  # 发送时间 and 接收时间


def test_an_account_in_another_time_zone_shows_its_own(two_zones, london_admin):
    shanghai, new_york = two_zones
    at = datetime(2026, 11, 30, 0, 57, tzinfo=UTC)
    message(shanghai, 1, at)
    far = message(new_york, 2, at)
    listing = london_admin.get(reverse("inbox:index")).text
    assert "08:57" in row_of(listing, "第 1 条留言")
    assert "19:57" in row_of(listing, "第 2 条留言") and "29日" in row_of(listing, "第 2 条留言")  # Sunday evening
    assert "00:57" not in listing
    detail = london_admin.get(reverse("inbox:inspect", args=[far.pk])).text
    assert "19:57" in detail and "00:57" not in detail and "08:57" not in detail


def test_calendar_push_send_record_and_dashboard_show_the_account_s_slot_time(two_zones, london_admin):
    """11:30 in New York is 16:30 in London; the deadline 10:00 is 15:00 there."""
    _, new_york = two_zones
    with clock.frozen(MONDAY):
        push = plan_push(new_york, datetime(2026, 11, 30, 11, 30, tzinfo=NEW_YORK))
        calendar = london_admin.get(reverse("editorial_calendar"), {"account": new_york.pk, "date": "2026-11-30"}).text
        detail = london_admin.get(reverse("editorial_push", args=[push.pk])).text
        dashboard = london_admin.get(reverse("wagtailadmin_home")).text
    assert "11:30" in calendar and "16:30" not in calendar
    assert "2026年11月30日 11:30" in detail and "10:00" in detail and "16:30" not in detail and "15:00" not in detail
    slots = dashboard.split("data-wxops-dashboard", 1)[1]
    assert "纽约办事处" in slots and "16:30" not in slots and "15:00" not in slots

    delivery = Delivery.objects.create(push=push, account=new_york, clientmsgid="tz-test-1",
                                       claimed_at=datetime(2026, 11, 30, 16, 31, tzinfo=UTC))
    record = london_admin.get(reverse("publishing_delivery:inspect", args=[delivery.pk])).text
    assert "11:31" in record and "16:31" not in record
    assert Push.objects.get(pk=push.pk).local_slot.strftime("%H:%M") == "11:30"


def test_the_account_form_offers_the_time_zones_and_says_what_the_zone_governs(two_zones, london_admin):
    _, new_york = two_zones
    page = london_admin.get(reverse("wagtailsnippets_accounts_account:edit", args=[new_york.pk])).text
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="([^"]+)"', select)
    assert options[0] == "Asia/Shanghai" and "America/New_York" in options and len(options) > 300
    assert re.search(r'<option value="America/New_York"[^>]*selected', select)
    assert "都按此时区显示" in page


def test_the_push_page_names_its_account_and_still_offers_the_articles_to_add(two_zones, london_admin):
    """Naming ``account`` in the push page's context once emptied 加入这次推送: the line that added
    it ended in a comment which swallowed the ``candidates`` after it (commit ae5a329)."""
    from wxops.materials.models import Article

    _, new_york = two_zones
    with clock.frozen(MONDAY):
        push = plan_push(new_york, datetime(2026, 11, 30, 11, 30, tzinfo=NEW_YORK))
        Article.objects.create(account=new_york, title="纽约年终报税提醒", body="<p>正文</p>")
        response = london_admin.get(reverse("editorial_push", args=[push.pk]))
    assert response.context["account"] == new_york
    add = re.search(r'<form[^>]*id="wxops-add-article".*?</form>', response.text, re.S).group(0)
    assert "纽约年终报税提醒" in add
    assert "2026年11月30日 11:30" in response.text and "16:30" not in response.text and "15:00" not in response.text


def test_a_slot_change_is_typed_and_shown_in_the_account_s_time_zone(two_zones, london_admin):
    """The person is in London, the account in New York: 11:30 typed is 11:30 in New York (16:30 in
    London), and the form shows it back as 11:30, saying which zone it is in."""
    from wxops.editorial.models import SlotChange

    _, new_york = two_zones
    page = london_admin.get(reverse("editorial_slot_change:add")).text
    assert "公众号所在时区" in page
    response = london_admin.post(reverse("editorial_slot_change:add"), {
        "account": new_york.pk, "kind": "extra", "slot_at": "2026-12-02 11:30", "note": "年终加推"})
    assert response.status_code == 302, response.text[-2000:]
    change = SlotChange.objects.get(note="年终加推")
    assert change.slot_at == datetime(2026, 12, 2, 11, 30, tzinfo=NEW_YORK)
    form = london_admin.get(reverse("editorial_slot_change:edit", args=[change.pk])).text
    field = re.search(r'<input[^>]*name="slot_at"[^>]*>', form).group(0)
    assert "11:30" in field and "16:30" not in field and "America/New_York" in form


def test_the_inbox_detail_shows_what_an_operator_needs_and_folds_the_technical_fields(two_zones, london_admin):
    shanghai, _ = two_zones
    stored = message(shanghai, 7, datetime(2026, 11, 30, 12, 57, tzinfo=UTC))
    detail = london_admin.get(reverse("inbox:inspect", args=[stored.pk])).text
    shown, folded = detail.split('id="wxops-technical"', 1)
    assert "第 7 条留言" in shown and "2026年11月30日 20:57" in shown
    assert "msg:7" not in shown and "&lt;xml/&gt;" not in shown and "oFollower0007abcdef123" not in shown
    assert "技术细节" in folded and "msg:7" in folded and "&lt;xml/&gt;" in folded
