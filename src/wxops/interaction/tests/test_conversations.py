"""The conversations in the admin: one row per follower, the thread, assign, tag, resolve, and the
refusal outside the 48-hour window (nothing sent: the account's API points nowhere reachable)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from wxops.core import clock
from wxops.interaction import inbox_conversations as conversations
from wxops.interaction.models import Conversation, CustomerServiceReply, HandledStatus, InboundMessage

from .conftest import event_xml, text_xml
from .test_inbox import store, user_in


@pytest.fixture
def editor(db):
    return user_in("运营编辑", "editor1")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def two_followers(account):
    store(account, text_xml(account, "社保基数什么时候调整？", msg_id=1, openid="oFollowerA"))
    store(account, text_xml(account, "还有一个问题", msg_id=2, openid="oFollowerA"))
    store(account, text_xml(account, "发票怎么开？", msg_id=3, openid="oFollowerB"))
    store(account, event_xml(account, "subscribe", openid="oOnlyFollowed"))
    return account


def thread_url(account, openid: str, what: str = "") -> str:
    if what:
        return reverse("conversations:act", args=[account.pk, openid, what])
    return reverse("conversations:thread", args=[account.pk, openid])


def test_one_row_per_follower_with_a_label_the_last_message_and_unanswered_count(editor_client, two_followers):
    rows = conversations.summaries(two_followers)
    assert [(r.openid, r.last_text, r.unanswered, r.messages) for r in rows] == [
        ("oFollowerB", "发票怎么开？", 1, 1), ("oFollowerA", "还有一个问题", 2, 2)]
    assert rows[1].name == conversations.short_label("oFollowerA") != conversations.short_label("oFollowerB")
    page = editor_client.get(reverse("conversations:index"), {"account": two_followers.pk}).content.decode()
    assert rows[1].name in page and "还有一个问题" in page and "发票怎么开？" in page
    assert ">oFollowerA<" not in page and "oOnlyFollowed" not in page  # a follow alone is no conversation
    assert "会话" in page or "Conversations" in page


def test_the_thread_shows_times_in_the_accounts_time_zone(editor_client, two_followers):
    two_followers.time_zone = "Asia/Shanghai"
    two_followers.save()
    message = InboundMessage.objects.get(content="社保基数什么时候调整？")
    local = message.received_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y年%m月%d日 %H:%M").replace("年0", "年").replace("月0", "月")
    page = editor_client.get(thread_url(two_followers, "oFollowerA")).content.decode()
    assert local in page and "社保基数什么时候调整？" in page and "Asia/Shanghai" in page


def test_assign_tag_and_resolve_are_audited_and_filter_the_list(editor_client, editor, two_followers):
    account = two_followers
    assert editor_client.post(thread_url(account, "oFollowerA", "assign"), {"assignee": editor.pk}).status_code == 302
    editor_client.post(thread_url(account, "oFollowerA", "tags"), {"tags": "社保，投诉, 社保"})
    conversation = Conversation.objects.get(openid="oFollowerA")
    assert (conversation.assigned_to, conversation.tag_list()) == (editor, ["社保", "投诉"])
    assert [r.openid for r in conversations.summaries(account, assigned_to=editor)] == ["oFollowerA"]
    assert [r.openid for r in conversations.summaries(account, tag="投诉")] == ["oFollowerA"]
    editor_client.post(thread_url(account, "oFollowerA", "resolve"))
    assert [r.openid for r in conversations.summaries(account, status="open")] == ["oFollowerB"]
    assert set(InboundMessage.objects.filter(from_openid="oFollowerA").values_list("status", flat=True)) == {
        HandledStatus.KEPT}
    actions = set(ModelLogEntry.objects.filter(user=editor).values_list("action", flat=True))
    assert {"wxops.inbox.assigned", "wxops.inbox.tagged", "wxops.inbox.resolved"} <= actions
    # the follower writes again: the conversation is open again
    store(account, text_xml(account, "又有问题了", msg_id=4, openid="oFollowerA"))
    assert {r.openid for r in conversations.summaries(account, status="open")} == {"oFollowerA", "oFollowerB"}


def test_a_reply_outside_48_hours_is_refused_in_words_and_nothing_is_stored(editor_client, two_followers):
    account = two_followers
    account.api_base = "http://127.0.0.1:9/"  # nothing listens: a send would fail loudly, not silently succeed
    account.save()
    with clock.frozen(clock.now() + timedelta(hours=49)):
        response = editor_client.post(thread_url(account, "oFollowerA", "reply"),
                                      {"text": "迟到的回复", "request_key": secrets.token_urlsafe(16)}, follow=True)
        page = response.content.decode()
        assert "48" in page and "迟到的回复" not in page.split("</textarea>")[0][-200:]
        assert "textarea" not in page  # the form is not offered outside the window
    assert CustomerServiceReply.objects.count() == 0


def test_a_director_reads_conversations_but_cannot_act(client, two_followers):
    client.force_login(user_in("总监", "director1"))
    assert client.get(thread_url(two_followers, "oFollowerA")).status_code == 200
    assert client.post(thread_url(two_followers, "oFollowerA", "resolve")).status_code in (302, 403)  # Wagtail: back to /admin/
    assert Conversation.objects.count() == 0


def test_an_app_above_names_the_follower_and_their_branch(two_followers):
    def branches(account_id, openids):
        return {"oFollowerA": conversations.FollowerNote(name="张先生", branch="深圳分公司")}

    conversations.register_describer(branches)
    try:
        rows = {r.openid: r for r in conversations.summaries(two_followers)}
    finally:
        conversations._describers.remove(branches)
    assert (rows["oFollowerA"].name, rows["oFollowerA"].branch) == ("张先生", "深圳分公司")
    assert rows["oFollowerB"].name.endswith(conversations.short_label("oFollowerB")[-6:])


def test_an_unknown_follower_or_action_is_404(editor_client, two_followers):
    assert editor_client.get(thread_url(two_followers, "oNobody")).status_code == 404
    assert editor_client.post(thread_url(two_followers, "oFollowerA", "explode")).status_code == 404


def test_the_inbox_links_each_message_to_its_conversation(editor_client, two_followers):
    page = editor_client.get("/admin/inbox/").content.decode()
    assert thread_url(two_followers, "oFollowerA") in page and "oOnlyFollowed/" not in page


def test_the_thread_names_what_answered_automatically_in_chinese(editor_client, two_followers):
    """It showed 自动回复 (keyword rule 1) and 自动回复 (welcome) — the handlers' English tags."""
    InboundMessage.objects.filter(content="社保基数什么时候调整？").update(reply="每年7月调整。", reply_source="keyword rule 1")
    InboundMessage.objects.filter(content="还有一个问题").update(reply="请留言。", reply_source="knowledge base 5 (0.82)")
    page = editor_client.get(thread_url(two_followers, "oFollowerA"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "关键词规则 1" in page and "知识库条目 5，匹配度 0.82" in page
    assert "keyword rule" not in page and "knowledge base" not in page
    with translation.override("zh-hans"):
        assert conversations.reply_source_label("welcome") == "欢迎语"
    assert conversations.reply_source_label("something new") == "something new"  # an unknown tag kept as it is
