"""The whole story over real HTTP: a push goes out, the simulator's followers comment and write back to
wxops's callback (live server), and 24 simulated hours later the director's document exists."""

from __future__ import annotations

import datetime as dt
import difflib
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from wxops.accounts.models import Category
from wxops.core import clock
from wxops.editorial.models import Push, PushArticle, PushStatus
from wxops.interaction.feedback.tasks import feedback_tick
from wxops.interaction.models import (
    Comment,
    CoreIssue,
    DirectorDocument,
    DirectorSetting,
    FeedbackItem,
    FeedbackWindow,
    InboundMessage,
)
from wxops.materials.models import Article
from wxops.publishing.models import Delivery, DeliveryState
from wxops.simulator.tests.conftest import Api

from .conftest import make_account
from .test_with_simulator import simulator_config

pytestmark = pytest.mark.django_db(transaction=True)

TOPICS = ["今年社保缴费基数什么时候调整？", "试用期员工可以不交社保吗？", "员工离职后公积金怎么转移？"]
PROFILE = {"seed": 3, "followers": 300, "daily_new_followers": 0, "daily_unsubscribe_rate": 0, "daily_messages": 0,
           "categories": {"人力资源管理": {"read_rate": 0.6, "share_rate": 0, "favorite_rate": 0, "comment_rate": 0.15,
                                       "message_rate": 0.05, "keywords": ["社保"]}},
           "feedback_topics": [{"category": "人力资源管理", "weight": 1, "texts": TOPICS}]}


def sim_now(simulator) -> dt.datetime:
    return dt.datetime.fromtimestamp(simulator.control("GET", "/clock")["now"], tz=dt.UTC)


def advance(simulator, hours: float) -> None:
    simulator.advance(seconds=hours * 3600)
    simulator.drain()
    clock.freeze(sim_now(simulator))


def planted(text: str) -> str:
    """The planted text a follower's words came from (the simulator rephrases lightly)."""
    return max(TOPICS, key=lambda topic: difflib.SequenceMatcher(None, topic, text).ratio())


def test_after_a_push_comments_and_messages_become_the_directors_document(simulator, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    account = make_account("safe", api_base=simulator.url)
    config = simulator_config(account, live_server.url)
    simulator.control("POST", "/accounts", **config)
    simulator.control("POST", f"/accounts/{account.app_id}/audience", **PROFILE)
    DirectorSetting.objects.create(account=account, director_email="liu@example.com")
    clock.freeze(sim_now(simulator))
    try:
        now = clock.now()
        push = Push.objects.create(account=account, slot_at=now, review_deadline_at=now, latest_send_at=now,
                                   status=PushStatus.SENT, status_changed_at=now)
        article = Article.objects.create(account=account, title="社保缴费基数调整通知",
                                         category=Category.objects.create(account=account, name="人力资源管理"))
        PushArticle.objects.create(push=push, article=article, position=0)
        api = Api(simulator, config)
        api.refresh()
        sent = api.sendall(api.draft(title="社保缴费基数调整通知", need_open_comment=1), clientmsgid=f"push-{push.pk}")
        Delivery.objects.create(push=push, account=account, state=DeliveryState.ACCEPTED, clientmsgid=f"push-{push.pk}",
                                msg_id=str(sent["msg_id"]), msg_data_id=str(sent["msg_data_id"]), claimed_at=now,
                                accepted_at=now)

        assert feedback_tick()["opened"] == 1
        advance(simulator, 12)
        assert feedback_tick()["synced"] == 1
        advance(simulator, 12.5)
        assert feedback_tick()["closed"] == 1
    finally:
        clock.unfreeze()

    window = FeedbackWindow.objects.get(push=push)
    comments = Comment.objects.filter(push=push)
    messages = InboundMessage.objects.filter(account=account, kind="text")
    assert comments.count() > 20 and messages.count() > 3
    assert FeedbackItem.objects.filter(window=window).count() == (
        comments.filter(created_at__lt=window.closes_at).count() + messages.count())
    issues = list(CoreIssue.objects.filter(window=window).order_by("rank"))
    found = {planted(issue.quotes[0]) for issue in issues if issue.questions}
    assert found == set(TOPICS), [issue.title for issue in issues]
    assert all(issue.article_id == article.pk for issue in issues if issue.quotes[0] in set(
        comments.values_list("content", flat=True)))
    document = DirectorDocument.objects.get(window=window)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document.pdf.read())).pages)
    assert "推送反馈核心问题" in text and "社保缴费基数调整通知" in text
    assert [m.to for m in mail.outbox] == [["liu@example.com"]]
