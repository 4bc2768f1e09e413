"""The dashboard is the desk's, not Wagtail's stock home: each role sees what it needs today."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wxops.core import clock
from wxops.editorial.actions import plan_push, transition
from wxops.editorial.models import PushStatus
from wxops.interaction.models import HandledStatus, InboundKind, InboundMessage
from wxops.site.demo import load_demo, read_logins
from wxops.sources.models import Source, SourceKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Monday 8:00 in Shanghai: the week's first slot is at 11:30, its review deadline at 10:00.
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo(db):
    with clock.frozen(MONDAY_8):
        account, _logins = load_demo()
        yield account


def login(client, username):
    password = {row.username: row.password for row in read_logins()}[username]
    assert client.login(username=username, password=password)


def text_of(html: str) -> str:
    main = html.split('data-wxops-dashboard', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def desk_day(demo):
    """A push in review on Monday, one planned on Wednesday, a follower's question, a failing source."""
    monday = plan_push(demo, datetime(2026, 11, 30, 11, 30, tzinfo=SHANGHAI))
    transition(monday, PushStatus.DRAFTING)
    transition(monday, PushStatus.IN_REVIEW)
    plan_push(demo, datetime(2026, 12, 2, 11, 30, tzinfo=SHANGHAI))
    InboundMessage.objects.create(
        account=demo, kind=InboundKind.TEXT, msg_type="text", from_openid="oFollower0000abc123",
        dedupe_key="msg:1", msg_id="1", content="请问社保基数什么时候调整？", xml="<xml/>",
        received_at=datetime(2026, 11, 30, 0, 57, tzinfo=UTC), status=HandledStatus.NEW)
    Source.objects.create(account=demo, name="人社部新闻", kind=SourceKind.FEED, location="https://example.com/rss",
                          consecutive_failures=3, last_error="连接超时（30 秒）",
                          last_error_at=datetime(2026, 11, 30, 0, 30, tzinfo=UTC))
    return demo


def test_the_reviewer_sees_what_waits_for_review_and_its_deadline(desk_day, client):
    login(client, "reviewer")
    with clock.frozen(MONDAY_8):
        page = client.get("/admin/")
    assert page.status_code == 200
    text = text_of(page.text)
    waiting = text.split("等待我审核", 1)[1].split("接下来的推送", 1)[0]
    assert "11月30日" in waiting and "11:30" in waiting and "审核中" in waiting and "10:00" in waiting
    # stock Wagtail home is gone: no page search, no page or document counts
    assert "搜索所有页面" not in page.text and "Search all pages" not in page.text
    assert "个文档" not in page.text and "个页面" not in page.text


def test_the_editor_sees_next_slots_unanswered_messages_and_failing_sources(desk_day, client):
    login(client, "editor")
    with clock.frozen(MONDAY_8):
        text = text_of(client.get("/admin/").text)
    assert "等待我审核" not in text  # editors do not approve
    slots = text.split("接下来的推送", 1)[1]
    assert slots.index("11月30日") < slots.index("12月2日")
    assert "已计划" in slots
    # the follower's message at 00:57 UTC is 08:57 in the account's time zone
    assert "1 条粉丝消息等待回复" in text and "08:57" in text and "请问社保基数什么时候调整" in text
    assert "粉丝 " in text and "oFollower0000abc123" not in text  # a short label, never the openid
    assert "人社部新闻" in text and "连续失败 3 次" in text and "08:30" in text and "连接超时" in text


def test_the_branch_administrator_sees_none_of_the_content_panels(desk_day, client):
    login(client, "branch")
    with clock.frozen(MONDAY_8):
        page = client.get("/admin/")
    assert page.status_code == 200
    text = text_of(page.text)
    for heading in ("等待我审核", "接下来的推送", "未回复的消息", "出错的来源"):
        assert heading not in text


def test_the_director_sees_the_week_at_a_glance(desk_day, client):
    login(client, "director")
    with clock.frozen(MONDAY_8):
        text = text_of(client.get("/admin/").text)
    assert "接下来的推送" in text and "未回复的消息" in text and "出错的来源" in text
    assert "等待我审核" not in text


def test_an_empty_desk_says_there_is_nothing_to_do(demo, client):
    login(client, "admin")
    with clock.frozen(MONDAY_8 + timedelta(days=30)):
        text = text_of(client.get("/admin/").text)
    assert "未来七天没有计划推送" in text
    assert "粉丝消息都已回复或留存" in text
    assert "所有来源都读取正常" in text


def test_every_admin_tab_ends_in_the_product_name_not_wagtails(demo, client):
    login_page = client.get("/admin/login/").content.decode()
    login(client, "editor")
    dashboard = client.get("/admin/").content.decode()
    for page in (login_page, dashboard):
        title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
        assert title.strip().endswith("wxops 运营平台"), title
        assert "Wagtail" not in title
