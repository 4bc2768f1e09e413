"""Replies from the inbox are customer-service messages sent to the simulator over real HTTP, only inside
WeChat's 48-hour window since the follower's last message."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from wxops.core import clock
from wxops.interaction import inbox_actions
from wxops.interaction.models import (
    CustomerServiceReply,
    HandledStatus,
    InboundMessage,
    KnowledgeEntry,
    SendStatus,
)

from .test_inbox import user_in
from .test_with_simulator import connect, write

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def talking(simulator, live_server):
    """An account on the simulator (its API too) and a follower who just wrote."""
    account, openid = connect(simulator, live_server, "safe")
    account.api_base = simulator.url
    account.save(update_fields=["api_base"])
    write(simulator, account, openid, "社保基数什么时候调整？")
    return account, openid


def custom_messages(simulator, account) -> list[dict]:
    return simulator.inspect(f"/accounts/{account.app_id}/outbox", kind="custom")["items"]


def test_a_reply_inside_the_window_reaches_the_follower_once(simulator, talking):
    account, openid = talking
    editor = user_in("运营编辑", "editor1")
    key = secrets.token_urlsafe(16)
    reply = inbox_actions.send_reply(account, openid, "您好，社保基数每年7月调整。", user=editor, request_key=key)
    assert (reply.status, reply.error) == (SendStatus.SENT, "")
    again = inbox_actions.send_reply(account, openid, "您好，社保基数每年7月调整。", user=editor, request_key=key)
    assert again.pk == reply.pk
    [sent] = custom_messages(simulator, account)
    assert sent["openid"] == openid and "社保基数每年7月调整" in str(sent)
    assert InboundMessage.objects.get(account=account).status == HandledStatus.ANSWERED
    assert ModelLogEntry.objects.filter(action="wxops.inbox.replied", user=editor).count() == 1
    entry = inbox_actions.save_to_knowledge(reply, user=editor)
    assert (entry.questions, entry.answer, entry.approved_by) == (
        "社保基数什么时候调整？", "您好，社保基数每年7月调整。", editor)
    assert KnowledgeEntry.objects.count() == 1


def test_outside_48_hours_the_reply_is_refused_and_nothing_is_sent(simulator, talking):
    account, openid = talking
    editor = user_in("运营编辑", "editor1")
    with clock.frozen(clock.now() + timedelta(hours=48, minutes=1)), pytest.raises(ValidationError) as refused:
        inbox_actions.send_reply(account, openid, "迟到的回复", user=editor, request_key=secrets.token_urlsafe(16))
    assert "48" in refused.value.messages[0]
    assert custom_messages(simulator, account) == []
    assert CustomerServiceReply.objects.count() == 0
    assert InboundMessage.objects.get(account=account).status == HandledStatus.NEW


def test_writing_again_opens_a_new_window(simulator, talking):
    account, openid = talking
    editor = user_in("运营编辑", "editor1")
    later = clock.now() + timedelta(hours=50)
    simulator.advance(seconds=50 * 3600)
    with clock.frozen(later):
        write(simulator, account, openid, "还在吗？")
        reply = inbox_actions.send_reply(account, openid, "在的，请讲。", user=editor,
                                         request_key=secrets.token_urlsafe(16))
    assert reply.status == SendStatus.SENT
    assert len(custom_messages(simulator, account)) == 1


def test_when_wechat_refuses_the_reason_is_kept_in_words(simulator, talking):
    """Our window says yes but WeChat's says no (its clock moved on): failed, with 45015 explained, not retried."""
    account, openid = talking
    editor = user_in("运营编辑", "editor1")
    simulator.advance(seconds=49 * 3600)
    reply = inbox_actions.send_reply(account, openid, "您好", user=editor, request_key=secrets.token_urlsafe(16))
    assert reply.status == SendStatus.FAILED and "45015" in reply.error
    assert custom_messages(simulator, account) == []
