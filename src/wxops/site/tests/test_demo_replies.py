"""Issue 10's "done when": the demo account's simulated follower gets its keyword reply over real HTTP."""

from __future__ import annotations

import pytest

from wxops.interaction.models import InboundMessage
from wxops.interaction.tests.test_with_simulator import simulator_config
from wxops.simulator.testing import simulator  # noqa: F401 - the simulator fixture
from wxops.site.demo import DEMO_RULES, load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_simulated_followers_question_gets_the_demo_keyword_reply(simulator, live_server):  # noqa: F811
    account, _logins = load_demo()
    simulator.control("POST", "/accounts", **simulator_config(account, live_server.url))
    openid = simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe", notify=False)["openid"]
    callback = simulator.control("POST", f"/accounts/{account.app_id}/followers/{openid}/message",
                                 content="社保基数什么时候调整？")["callback"]
    social_security_reply = DEMO_RULES[0][3]
    assert f"<![CDATA[{social_security_reply}]]>" in callback["reply_plain"]
    assert InboundMessage.objects.get(account=account, from_openid=openid).reply_source.startswith("keyword rule")
    asked = simulator.control("POST", f"/accounts/{account.app_id}/followers/{openid}/message",
                              content="专项附加扣除在哪里申报？")["callback"]
    assert "个人所得税" in asked["reply_plain"]  # from the demo knowledge base
