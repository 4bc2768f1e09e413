"""The article list says where each article stands — draft, in review, approved, scheduled, sent —
and filters by it (the status comes from the review workflow and from the pushes)."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from wxops.editorial.actions import add_article, plan_push, transition
from wxops.editorial.models import PushStatus
from wxops.editorial.tests.conftest import SHANGHAI
from wxops.editorial.workflow import ensure_review_workflow
from wxops.materials.article_status import ArticleStatus, statuses
from wxops.materials.models import Article

S = PushStatus
MONDAY, WEDNESDAY, FRIDAY = (datetime(2026, 11, 30, 11, 30, tzinfo=SHANGHAI),
                             datetime(2026, 12, 2, 11, 30, tzinfo=SHANGHAI),
                             datetime(2026, 12, 4, 11, 30, tzinfo=SHANGHAI))


def article(account, cover, title):
    found = Article.objects.create(account=account, title=title, cover=cover, body="<p>正文。</p>",
                                   category=account.categories.first(), live=False)
    found.save_revision()
    return found


def in_push(account, item, slot, *steps):
    push = plan_push(account, slot)
    add_article(push, item)
    for status in steps:
        transition(push, status)
    return push


@pytest.fixture
def articles(account, cover, roles, editor, monday):
    ensure_review_workflow(roles["reviewer"])
    article(account, cover, "草稿一篇")
    reviewing = article(account, cover, "审核中一篇")
    reviewing.get_workflow().start(reviewing, editor)
    article(account, cover, "已通过一篇").latest_revision.publish()
    in_push(account, article(account, cover, "推送审核中一篇"), MONDAY, S.IN_REVIEW)


def test_each_article_has_its_status(articles, account, cover):
    in_push(account, article(account, cover, "已排期一篇"), WEDNESDAY, S.IN_REVIEW, S.APPROVED)
    in_push(account, article(account, cover, "已发送一篇"), FRIDAY, S.IN_REVIEW, S.APPROVED,
            S.SENDING, S.SENT)
    found = {Article.objects.get(pk=pk).title: status for pk, status in statuses().items()}
    assert found == {"草稿一篇": ArticleStatus.DRAFT, "审核中一篇": ArticleStatus.IN_REVIEW,
                     "已通过一篇": ArticleStatus.APPROVED, "推送审核中一篇": ArticleStatus.IN_REVIEW,
                     "已排期一篇": ArticleStatus.SCHEDULED, "已发送一篇": ArticleStatus.SENT}


def listed(client, **params):
    page = client.get(reverse("wagtailsnippets_materials_article:list"), params).content.decode()
    return sorted(re.findall(r'data-article-status="(\w+)"', page)), page


def test_the_list_shows_the_status_and_filters_by_it(articles, client, editor):
    client.force_login(editor)
    shown, page = listed(client)
    assert shown == ["approved", "draft", "in_review", "in_review"]
    assert "审核中" in page and "草稿" in page and "已通过" in page
    shown, page = listed(client, status="in_review")
    assert shown == ["in_review", "in_review"]
    assert "审核中一篇" in page and "推送审核中一篇" in page and "草稿一篇" not in page
    assert listed(client, status="sent")[0] == []
