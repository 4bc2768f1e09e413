"""The push_events door, and editorial's lists in the admin."""

from datetime import date

import pytest
from django.urls import reverse

from wxops.editorial import actions, push_events
from wxops.editorial.events import PushEvent, PushEvents
from wxops.editorial.models import PushStatus, Recommendation

from .conftest import MONDAY_8

pytestmark = pytest.mark.django_db


def event(name="held"):
    return PushEvent(name=name, push_id=1, account_id=1, slot_at=MONDAY_8, status="held")


def test_handlers_run_after_commit_and_one_failing_does_not_stop_the_next(django_capture_on_commit_callbacks):
    events, ran = PushEvents(("held",)), []

    @events.register("held")
    def broken(_event):
        raise RuntimeError("boom")

    events["held"].append(lambda e: ran.append(e.name))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.emit(event())
    assert ran == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert ran == ["held"]


def test_an_unknown_event_name_is_an_error_not_a_silent_no_op():
    with pytest.raises(KeyError, match="unknown push event 'sumbitted'"):
        push_events.register("sumbitted")


def test_an_edit_in_the_admin_sends_an_approved_push_back_to_review(client, account, monday, editor, reviewer,
                                                                     make_article):
    from wagtail.test.utils.form_data import rich_text

    article = make_article()
    push = actions.plan_push(account, MONDAY_8.replace(hour=11, minute=30))
    actions.add_article(push, article, user=editor)
    actions.submit(push, user=editor)
    actions.approve(push, user=reviewer)
    client.force_login(editor)
    response = client.post(reverse("wagtailsnippets_materials_article:edit", args=[article.pk]), {
        "account": account.pk, "title": "社保基数调整要点（更新）", "author": "", "digest": "",
        "category": "", "cover": article.cover_id, "body": rich_text("<p>第一季度市场平稳。</p>"),
        "source_name": "", "source_url": "", "open_comments": "on"})
    assert response.status_code == 302
    push.refresh_from_db()
    assert push.status == PushStatus.IN_REVIEW
    assert "社保基数调整要点" in push.status_reason


def test_the_recommendations_list_shows_what_analytics_wrote(client, account, administrator):
    category = account.categories.get(name="财务管理")
    Recommendation.objects.create(account=account, period_start=date(2026, 11, 30), period_end=date(2026, 12, 13),
                                  category=category, weight=2.0, reason="财务类阅读率高出平均 40%")
    client.force_login(administrator)
    page = client.get(reverse("editorial_recommendation:index")).content.decode()
    assert "财务类阅读率高出平均 40%" in page and "财务管理" in page


def test_the_push_list_shows_status_in_chinese(client, account, monday, administrator):
    actions.plan_push(account, MONDAY_8.replace(hour=11, minute=30))
    client.force_login(administrator)
    page = client.get(reverse("editorial_push:index")).content.decode()
    assert "中恒财务 2026年11月30日 11:30" in page and "已计划" in page
