"""In a real browser: the editor plans Monday's 11:30 push from the calendar and submits it;
the reviewer is told, opens it from the notices and approves it; the calendar shows it approved.
At (moved) 11:30 the minute's send tick sends it to the simulator's followers; WeChat's
MASSSENDJOBFINISH comes back and the calendar shows it sent with the delivery counts.
"""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.images import ImageFile
from PIL import Image

from wxops.core import clock
from wxops.editorial.models import Push, PushStatus
from wxops.materials.models import Article, Picture
from wxops.materials.models.picture import Licence
from wxops.publishing.actions import delivery_for, run_due_sends
from wxops.simulator.testing import running_simulator
from wxops.site.demo import load_demo, read_logins
from wxops.site.simulator_link import simulator_config

from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MONDAY_1130 = MONDAY_8.replace(hour=11, minute=30)
FOLLOWERS = 12


def an_article_with_a_cover(account):
    buffer = io.BytesIO()
    Image.new("RGB", (900, 383), (200, 60, 40)).save(buffer, "PNG")
    cover = Picture.objects.create(title="个税封面", file=ImageFile(buffer, name="tax.png"), licence=Licence.OWN)
    article = Article.objects.create(account=account, title="年终个税汇算五个要点", cover=cover,
                                     category=account.categories.get(name="财务管理"),
                                     body="<p>今年的个税汇算有五个变化。</p>")
    article.save_revision()
    return article


@pytest.fixture
def simulator_with_followers(live_server):
    """The demo account on the simulator (callbacks to the live server), with a few followers."""
    account, _logins = load_demo()
    with running_simulator(start=MONDAY_8.isoformat()) as sim:
        account.api_base = sim.url
        account.save(update_fields=["api_base"])
        sim.control("POST", "/accounts", **simulator_config(account, live_server.url))
        sim.control("POST", f"/accounts/{account.app_id}/audience", followers=FOLLOWERS, daily_new_followers=0,
                    daily_unsubscribe_rate=0, daily_messages=0)
        yield sim


def test_the_editor_plans_and_submits_and_the_reviewer_approves(live_server, browser, simulator_with_followers):
    sim = simulator_with_followers
    account, _logins = load_demo()
    passwords = {row.username: row.password for row in read_logins()}
    article = an_article_with_a_cover(account)
    base = live_server.url
    with clock.frozen(MONDAY_8):
        editor = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
        editor.set_default_timeout(20_000)
        log_in(editor, base, "editor", passwords["editor"])
        editor.goto(f"{base}/admin/editorial/calendar/?account={account.pk}&view=week&date=2026-11-30")
        monday = editor.locator('td[data-date="2026-11-30"] a.wxops-push')
        assert "11:30" in monday.inner_text() and "已计划" in monday.inner_text()
        monday.click()
        editor.select_option("#wxops-add-article select[name=article]", str(article.pk))
        editor.click("#wxops-add-article button[type=submit]")
        editor.wait_for_selector("#wxops-push-articles li[data-article]")
        assert "年终个税汇算五个要点" in editor.locator("#wxops-push-articles").inner_text()
        editor.click("#wxops-submit")
        editor.wait_for_selector('#wxops-push-status[data-status="in_review"]')
        assert "已提交审核，已通知审核人" in editor.content()

        reviewer = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
        reviewer.set_default_timeout(20_000)
        log_in(reviewer, base, "reviewer", passwords["reviewer"])
        reviewer.goto(f"{base}/admin/editorial/notices/")
        assert "有一次推送等待您审核" in reviewer.content()
        reviewer.get_by_role("link", name="打开推送").first.click()
        reviewer.click("#wxops-approve")
        reviewer.wait_for_selector('#wxops-push-status[data-status="approved"]')

        reviewer.goto(f"{base}/admin/editorial/calendar/?account={account.pk}&view=week&date=2026-11-30")
        cell = reviewer.locator('td[data-date="2026-11-30"] a.wxops-push')
        assert "已通过" in cell.inner_text() and "年终个税汇算五个要点" in cell.inner_text()
        editor.context.close()
    push = Push.objects.get(account=account, slot_at=MONDAY_1130)
    assert (push.status, push.submitted_by.username, push.approved_by.username) == (
        PushStatus.APPROVED, "editor", "reviewer")
    assert push.items.get().approved_revision == Article.objects.get(pk=article.pk).latest_revision
    assert sim.inspect(f"/accounts/{account.app_id}/sends")["sends"] == []  # nothing before the slot

    with clock.frozen(MONDAY_1130):
        sim.set_clock(MONDAY_1130.isoformat())
        run_due_sends()  # the minute's send tick, as the worker runs it
        sim.advance(5)  # WeChat finishes the job …
        sim.drain()  # … and calls back MASSSENDJOBFINISH, which reaches the live server
        reviewer.goto(f"{base}/admin/editorial/calendar/?account={account.pk}&view=week&date=2026-11-30")
        cell = reviewer.locator('td[data-date="2026-11-30"] a.wxops-push')
        assert "已发送" in cell.inner_text()
        assert cell.get_attribute("data-status") == "sent"
        assert f"{FOLLOWERS} 人中送达 {FOLLOWERS} 人，失败 0 人" in cell.inner_text()
        reviewer.context.close()
    sends = sim.inspect(f"/accounts/{account.app_id}/sends")["sends"]
    assert [send["titles"] for send in sends] == [["年终个税汇算五个要点"]]
    reach = sim.inspect(f"/accounts/{account.app_id}/reach", msg_id=sends[0]["msg_id"])
    assert reach["exactly_once"] and reach["reached"] == FOLLOWERS
    assert delivery_for(Push.objects.get(pk=push.pk)).msg_id == str(sends[0]["msg_id"])
