"""A simulated follower's question gets its keyword or knowledge-base answer over real HTTP."""

from __future__ import annotations

import pytest

from wxops.interaction.models import AutoReply, InboundMessage, KeywordRule, KnowledgeEntry

from .test_with_simulator import connect, write

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_simulated_followers_message_gets_its_keyword_reply(simulator, live_server):
    account, openid = connect(simulator, live_server, "safe")
    KeywordRule.objects.create(account=account, name="社保", keywords="社保", reply_text="社保基数每年7月调整。")
    KnowledgeEntry.objects.create(account=account, questions="发票怎么开？", answer="请在菜单提交开票信息。")
    AutoReply.objects.create(account=account, message_text="已收到。")
    asked = write(simulator, account, openid, "社保基数什么时候调整？")
    assert "<![CDATA[社保基数每年7月调整。]]>" in asked["reply_plain"]
    from_knowledge = write(simulator, account, openid, "请问发票怎么开")
    assert "<![CDATA[请在菜单提交开票信息。]]>" in from_knowledge["reply_plain"]
    fallback = write(simulator, account, openid, "你好")
    assert "<![CDATA[已收到。]]>" in fallback["reply_plain"]
    replies = simulator.inspect(f"/accounts/{account.app_id}/outbox", kind="reply")
    assert len(replies["items"]) == 3
    assert InboundMessage.objects.filter(account=account).count() == 3
