"""The calendar and a push in the admin, as an editor and a reviewer use them (Django's test client)."""

import pytest
from django.urls import reverse

from wxops.editorial import actions
from wxops.editorial.models import Push, PushStatus

from .conftest import MONDAY_8

pytestmark = pytest.mark.django_db

SLOT = MONDAY_8.replace(hour=11, minute=30)


def test_the_month_shows_slots_pushes_and_the_missing_years_warning(client, account, monday, editor, make_article):
    push = actions.plan_push(account, SLOT)
    actions.add_article(push, make_article(title="年终税务提醒"), user=editor)
    client.force_login(editor)
    page = client.get(reverse("editorial_calendar"), {"account": account.pk, "date": "2026-11-30"}).content.decode()
    assert "年终税务提醒" in page and 'data-status="drafting"' in page and "编辑中" in page
    assert "2027 年：已安装的节假日数据包（chinesecalendar）还没有" in page
    week = client.get(reverse("editorial_calendar"), {"account": account.pk, "view": "week",
                                                      "date": "2026-12-02"}).content.decode()
    assert week.count('class="wxops-push"') == 3  # Mon, Wed, Fri of that week, planned


def test_the_editor_adds_and_submits_and_the_reviewer_approves_through_the_pages(client, account, monday, editor,
                                                                                 reviewer, make_article):
    article = make_article(title="个税汇算要点")
    push = actions.plan_push(account, SLOT)
    client.force_login(editor)
    client.post(reverse("editorial_push_action", args=[push.pk, "add"]), {"article": article.pk})
    response = client.post(reverse("editorial_push_action", args=[push.pk, "submit"]))
    assert response.status_code == 302
    assert Push.objects.get(pk=push.pk).status == PushStatus.IN_REVIEW
    client.force_login(reviewer)
    page = client.get(reverse("editorial_push", args=[push.pk])).content.decode()
    assert 'id="wxops-approve"' in page
    page = client.post(reverse("editorial_push_action", args=[push.pk, "approve"]), follow=True).content.decode()
    push.refresh_from_db()
    assert (push.status, push.approved_by) == (PushStatus.APPROVED, reviewer)
    # with its day: approved days before, "将于 11:30 发送" alone reads as today's 11:30
    assert "已审核通过，将于 2026年11月30日 11:30 发送。" in page


def test_a_refused_submit_lists_what_to_fix_and_changes_nothing(client, account, monday, editor, make_article):
    push = actions.plan_push(account, SLOT)
    actions.add_article(push, make_article(title="没有封面的文章", cover=None), user=editor)
    client.force_login(editor)
    page = client.post(reverse("editorial_push_action", args=[push.pk, "submit"]), follow=True).content.decode()
    assert "暂时不行：「没有封面的文章」: 没有封面图片；微信要求每篇图文都有封面。" in page
    assert Push.objects.get(pk=push.pk).status == PushStatus.DRAFTING


def test_the_reviewer_asks_for_changes_with_a_comment_per_article(client, account, monday, editor, reviewer,
                                                                  make_article):
    article = make_article()
    push = actions.plan_push(account, SLOT)
    actions.add_article(push, article, user=editor)
    actions.submit(push, user=editor)
    client.force_login(reviewer)
    client.post(reverse("editorial_push_action", args=[push.pk, "request-changes"]),
                {f"comment-{article.pk}": "第二段数据请注明来源"})
    push.refresh_from_db()
    assert push.status == PushStatus.CHANGES_REQUESTED
    assert push.items.get().change_request == "第二段数据请注明来源"
    client.force_login(editor)
    page = client.get(reverse("editorial_push", args=[push.pk])).content.decode()
    assert "审核人： 第二段数据请注明来源" in page


def test_the_phone_preview_shows_the_card_and_each_article(client, account, monday, editor, make_article):
    push = actions.plan_push(account, SLOT)
    actions.add_article(push, make_article(title="头条文章", body="<p>正文第一段</p>"), user=editor)
    actions.add_article(push, make_article(title="次条文章"), user=editor)
    client.force_login(editor)
    page = client.get(reverse("editorial_push_preview", args=[push.pk])).content.decode()
    assert 'id="wxops-phone"' in page and page.index("头条文章") < page.index("次条文章")
    assert "正文第一段" in page and "fill-900x383" in page and "中恒财务" in page


def test_an_article_is_added_to_a_push_from_the_article_list(client, account, monday, editor, make_article):
    article = make_article(title="从列表加入")
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_materials_article:list")).content.decode()
    assert reverse("editorial_add_to_push", args=[article.pk]) in listing
    choose = client.get(reverse("editorial_add_to_push", args=[article.pk])).content.decode()
    assert "2026年11月30日 11:30" in choose
    push = Push.objects.get(slot_at=SLOT)
    client.post(reverse("editorial_add_to_push", args=[article.pk]), {"push": push.pk})
    assert list(push.items.values_list("article__title", flat=True)) == ["从列表加入"]


def test_a_reviewer_saves_the_wechat_id_for_previews(client, reviewer):
    client.force_login(reviewer)
    client.post(reverse("editorial_preview_contact"), {"account": "", "wechat_id": "zhang_san88", "openid": ""})
    assert reviewer.preview_contacts.get().wechat_id == "zhang_san88"
    page = client.post(reverse("editorial_preview_contact"), {"account": "", "wechat_id": "1bad",
                                                              "openid": ""}).content.decode()
    assert "微信号由 6–20 个字母" in page and reviewer.preview_contacts.get().wechat_id == "zhang_san88"


def test_a_story_of_the_candidate_pool_becomes_an_article_of_the_push(client, account, monday, editor):
    import random

    from wxops.sources import actions as sources
    from wxops.sources import synthetic
    from wxops.sources.models import Story

    sources.ingest(account, [synthetic.article(random.Random(2), 1)])
    story = Story.objects.get(account=account)
    push = actions.plan_push(account, SLOT)
    client.force_login(editor)
    page = client.get(reverse("editorial_push", args=[push.pk])).content.decode()
    assert story.title in page
    page = client.post(reverse("editorial_push_action", args=[push.pk, "add-story"]), {"story": story.pk},
                       follow=True).content.decode()
    item = push.items.get()
    assert "没有封面图片" in page  # said now, refused on submit
    story.refresh_from_db()
    assert (story.status, story.article_id) == ("used", item.article_id)


def test_the_schedule_form_has_a_box_per_weekday(client, account, administrator):
    client.force_login(administrator)
    form = client.get(reverse("editorial_schedule:add")).content.decode()
    assert form.count('name="weekdays"') == 7 and "星期三" in form
    response = client.post(reverse("editorial_schedule:add"), {
        "account": account.pk, "weekdays": ["1", "3"], "send_time": "12:00", "review_deadline": "09:30",
        "holiday_policy": "skip", "late_send_until": "", "notify_followers": "on", "target_tag_id": "",
        "reviewer": ""})
    assert response.status_code == 302
    schedule = account.push_schedule
    assert (schedule.weekdays, schedule.weekday_names()) == ([1, 3], "星期二、星期四")


def test_the_push_page_names_findings_in_chinese_and_an_unread_picture_as_being_read(client, account, monday, editor,
                                                                                     make_article, settings):
    """It showed [block] / [review] and a raw 'acknowledged'; a cover the worker has not read yet is
    said to be read, and the submit is refused until it is — nothing is read in the request."""
    from django.core.cache import cache

    from wxops.materials.pictures import ocr

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the worker is busy
    cache.clear()
    article = make_article(title="个税汇算要点", body="<p>同类最佳的服务。</p>")
    push = actions.plan_push(account, SLOT)
    actions.add_article(push, article, user=editor)
    client.force_login(editor)
    page = client.get(reverse("editorial_push", args=[push.pk])).content.decode()
    assert "[审核]" in page and "[阻止]" in page and "正在识别" in page
    assert "[block]" not in page and "[review]" not in page
    refused = client.post(reverse("editorial_push_action", args=[push.pk, "submit"]), follow=True).content.decode()
    assert "还在识别" in refused and Push.objects.get(pk=push.pk).status == PushStatus.DRAFTING
    assert not ocr.PictureText.objects.exists()  # nothing read in a request


def test_each_editorial_page_has_its_title_as_wagtail_s_own_screens_do(client, account, monday, editor, make_article):
    """The calendar, a push, the notices and 加入推送 opened with an empty header and a bare browser tab."""
    import re

    article = make_article(title="有标题的页面")
    push = actions.plan_push(account, SLOT)
    client.force_login(editor)
    pages = {
        "推送日历": client.get(reverse("editorial_calendar"), {"account": account.pk, "date": "2026-11-30"}),
        f"推送 · 2026年11月30日 11:30 · {account.name}": client.get(reverse("editorial_push", args=[push.pk])),
        "通知": client.get(reverse("editorial_notices")),
        "加入推送": client.get(reverse("editorial_add_to_push", args=[article.pk])),
    }
    for title, response in pages.items():
        page = response.content.decode()
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
        assert heading and title in re.sub(r"<[^>]+>|\s{2,}", "", heading.group(1)), (title, heading)
        assert re.search(r"<title>\s*" + re.escape(title), page), title
