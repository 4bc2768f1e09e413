"""The conversation list shows the branch a follower came through (promotion's describer)."""

from __future__ import annotations

from wxops.core import clock
from wxops.interaction import actions
from wxops.interaction import inbox_conversations as conversations
from wxops.promotion.models import Employee, Follower
from wxops.wechat import parse_message


def test_the_conversation_names_the_followers_branch_and_employee(account, branches):
    xml = ("<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oBranchFan]]></FromUserName>"
           "<CreateTime>1772413200</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           "<Content><![CDATA[你好]]></Content><MsgId>71000000000000001</MsgId></xml>")
    actions.receive(account, parse_message(xml), xml=xml)
    Follower.objects.create(account=account, openid="oBranchFan", branch=branches["sz"],
                            employee=Employee.objects.get(staff_number="S001"), first_subscribed_at=clock.now())
    [row] = conversations.summaries(account)
    assert (row.name, row.branch) == (conversations.short_label("oBranchFan"), "深圳分公司 · 张三")
