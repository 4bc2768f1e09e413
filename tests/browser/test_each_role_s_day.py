"""Each role walks its daily path in a real browser; every screen on the way is kept as a
screenshot (``test-artifacts/``) and shows no English, no refusal and no broken image.

- editor: dashboard → sources → candidate pool → 转为图文 → cover and save → push → submit
- reviewer: dashboard (waiting for my review) → the push → approve → notices
- branch administrator: dashboard → every entry of their menu
- director: dashboard → next pushes, unanswered messages, failing sources → calendar → inbox

Everything waits for conditions (a selector, a URL, a status), with generous timeouts: the
machine running the suite may be five times slower than an idle one.
"""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image

from wxops.core import clock
from wxops.editorial.actions import add_article, plan_push, submit
from wxops.editorial.models import Push, PushStatus
from wxops.interaction.models import HandledStatus, InboundKind, InboundMessage
from wxops.materials.actions import after_picture_saved
from wxops.materials.models import Article, Picture
from wxops.materials.models.picture import Licence
from wxops.site.demo import load_demo
from wxops.sources.candidates import Document
from wxops.sources.ingestion import ingest
from wxops.sources.models import Source, SourceKind, Story

from .desk_screens import ScreenChecker, artefacts_folder
from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)
MONDAY_1130 = MONDAY_8.replace(hour=11, minute=30)
TIMEOUT_MS = 45_000


@pytest.fixture
def desk(db):
    with clock.frozen(MONDAY_8):
        account, _logins = load_demo()
    return account


@pytest.fixture
def screens(request):
    return ScreenChecker(artefacts_folder(request.node.name))


def open_as(browser, base: str, username: str):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return log_in(page, base, username)


def a_picture(title: str, colour=(30, 110, 180)) -> Picture:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 383), colour).save(buffer, "PNG")
    picture = Picture.objects.create(title=title, file=ImageFile(buffer, name="cover.png"), licence=Licence.OWN)
    after_picture_saved(picture)  # as an upload leaves it: its renditions made and its text read by the worker
    return picture


def an_article(account, title: str) -> Article:
    article = Article.objects.create(account=account, title=title, cover=a_picture(f"{title}封面"),
                                     category=account.categories.get(name="财务管理"),
                                     body="<p>今年的个税汇算有五个变化。</p>")
    article.save_revision()
    return article


def a_follower_question(account) -> InboundMessage:
    return InboundMessage.objects.create(
        account=account, kind=InboundKind.TEXT, msg_type="text", from_openid="oFollower0000abc123",
        dedupe_key="msg:1", msg_id="1", content="请问社保基数什么时候调整？", xml="<xml/>",
        sent_at=datetime(2026, 11, 30, 0, 57, tzinfo=UTC), received_at=datetime(2026, 11, 30, 0, 57, tzinfo=UTC),
        status=HandledStatus.NEW)


def test_the_editor_goes_from_a_source_to_a_submitted_push(desk, live_server, browser, screens):
    base = live_server.url
    with clock.frozen(MONDAY_8):
        Source.objects.create(account=desk, name="税务总局新闻", kind=SourceKind.FEED,
                              location="https://www.chinatax.gov.cn/rss.xml")
        ingest(desk, [Document(title="税务总局：小规模纳税人增值税优惠延续", url="https://news.example.com/tax/1.html",
                               text="税务总局发布公告，小规模纳税人增值税优惠政策延续执行至 2027 年底。" * 4,
                               source_name="税务总局新闻")])
        a_picture("增值税封面")
        page = open_as(browser, base, "editor")
        screens.look(page, "dashboard")

        page.goto(f"{base}/admin/snippets/sources/source/")
        assert "税务总局新闻" in screens.look(page, "sources")

        page.goto(f"{base}/admin/sources/pool/")
        screens.look(page, "pool")
        story = Story.objects.get()
        page.get_by_role("row", name=story.title).get_by_role("button", name="转为图文").click()
        page.wait_for_url(re.compile(r".*/admin/snippets/materials/article/edit/\d+/$"))
        screens.look(page, "article-from-the-story")

        page.click("#id_cover-chooser button.action-choose, [data-chooser-action-choose]")
        page.locator(".modal-content [data-chooser-modal-choice]", has_text="增值税封面").first.click()
        page.wait_for_selector(".modal-content", state="detached")
        started = time.perf_counter()
        page.get_by_role("button", name="保存草稿").first.click()
        page.wait_for_selector(".messages .success, .messages [class*=success]")
        print(f"\n保存草稿 with a picture cover answered in {time.perf_counter() - started:.2f} s")
        screens.look(page, "article-saved")
        article = Article.objects.get(title=story.title)
        assert article.get_latest_revision_as_object().cover.title == "增值税封面"

        page.goto(f"{base}/admin/snippets/materials/article/")
        row = page.get_by_role("row", name=re.compile(story.title[:10]))
        assert row.locator("[data-article-status]").inner_text() == "草稿"
        screens.look(page, "articles")

        page.goto(f"{base}/admin/editorial/calendar/?account={desk.pk}&view=week&date=2026-11-30")
        screens.look(page, "calendar")
        date_input = page.locator("input[name=date]").first
        assert date_input.get_attribute("type") == "text"  # Wagtail's picker, not the browser's mm/dd/yyyy
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_input.input_value())
        page.locator('td[data-date="2026-11-30"] a.wxops-push').click()
        page.select_option("#wxops-add-article select[name=article]", str(article.pk))
        page.click("#wxops-add-article button[type=submit]")
        page.wait_for_selector("#wxops-push-articles li[data-article]")
        page.click("#wxops-submit")
        page.wait_for_selector('#wxops-push-status[data-status="in_review"]')
        screens.look(page, "push-submitted")
        page.goto(f"{base}/admin/snippets/materials/article/?status=in_review")
        assert page.locator("[data-article-status]").all_inner_texts() == ["审核中"]
        screens.look(page, "articles-in-review")
        page.context.close()
    push = Push.objects.get(account=desk, slot_at=MONDAY_1130)
    assert (push.status, push.submitted_by.username) == (PushStatus.IN_REVIEW, "editor")
    print(f"\nscreens kept in {screens.folder}: {screens.seen}")


def test_the_reviewer_approves_from_the_dashboard(desk, live_server, browser, screens):
    base = live_server.url
    with clock.frozen(MONDAY_8):
        editor = get_user_model().objects.get(username="editor")
        push = plan_push(desk, MONDAY_1130)
        add_article(push, an_article(desk, "年终个税汇算五个要点"), user=editor)
        submit(push, user=editor)
        page = open_as(browser, base, "reviewer")
        text = screens.look(page, "dashboard")
        assert "等待我审核" in text and "审核截止" in text and "10:00" in text

        page.locator("#awaiting-review-section a", has_text="11:30").first.click()
        page.wait_for_selector("#wxops-approve")
        screens.look(page, "push-to-review")
        page.click("#wxops-approve")
        page.wait_for_selector('#wxops-push-status[data-status="approved"]')
        screens.look(page, "push-approved")

        page.goto(f"{base}/admin/editorial/notices/")
        screens.look(page, "notices")
        page.goto(f"{base}/admin/")
        assert "没有等待您审核的推送" in screens.look(page, "dashboard-after")
        page.context.close()
    push.refresh_from_db()
    assert (push.status, push.approved_by.username) == (PushStatus.APPROVED, "reviewer")


def sidebar_entries(page) -> list[tuple[str, str]]:
    props = json.loads(page.locator("#wagtail-sidebar-props").text_content())
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("url"), str) and node.get("label") and node["url"].startswith("/"):
                found.append((node["label"], node["url"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


def test_the_branch_administrator_opens_every_entry_of_their_menu(desk, live_server, browser, screens):
    base = live_server.url
    with clock.frozen(MONDAY_8):
        page = open_as(browser, base, "branch")
        screens.look(page, "dashboard")
        entries = sidebar_entries(page)
        urls = [url for _label, url in entries]
        assert "/admin/promotion/" in urls and "/admin/sources/pool/" not in urls
        for label, url in entries:
            if url in ("/admin/", "#"):
                continue
            response = page.goto(base + url)
            text = screens.look(page, f"menu-{label}", response=response)
            if url == "/admin/promotion/":  # their own branch, not "nobody made you a branch's administrator"
                assert "广州分公司" in text and "没有可显示的分公司" not in text
                assert "2026年11月1日 – 2026年11月30日" in text  # the desk's one date style
        page.context.close()


def test_the_director_reads_the_dashboard(desk, live_server, browser, screens):
    base = live_server.url
    with clock.frozen(MONDAY_8):
        editor = get_user_model().objects.get(username="editor")
        push = plan_push(desk, MONDAY_1130)
        add_article(push, an_article(desk, "年终个税汇算五个要点"), user=editor)
        submit(push, user=editor)
        a_follower_question(desk)
        Source.objects.create(account=desk, name="人社部新闻", kind=SourceKind.FEED,
                              location="https://www.mohrss.gov.cn/rss.xml", consecutive_failures=3,
                              last_error="无法连接 https://www.mohrss.gov.cn/rss.xml：服务器拒绝连接。",
                              last_error_at=datetime(2026, 11, 30, 0, 30, tzinfo=UTC))
        page = open_as(browser, base, "director")
        text = screens.look(page, "dashboard")
        assert "接下来的推送" in text and "审核中" in text
        assert "1 条粉丝消息等待回复" in text and "08:57" in text
        assert "人社部新闻" in text and "连续失败 3 次" in text

        page.get_by_role("link", name="打开推送日历").click()
        page.wait_for_url(re.compile(r".*/admin/editorial/calendar/.*"))
        screens.look(page, "calendar")
        page.goto(f"{base}/admin/")
        page.get_by_role("link", name="打开收件箱").click()
        page.wait_for_url(re.compile(r".*/admin/inbox/.*"))
        assert "请问社保基数什么时候调整" in screens.look(page, "inbox")
        page.context.close()
