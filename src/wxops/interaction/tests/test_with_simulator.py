"""The simulator's followers write to wxops over real HTTP: wxops on Django's live server, the simulator in-process."""

from __future__ import annotations

import pytest

from wxops.interaction.models import AutoReply, HandledStatus, InboundKind, InboundMessage
from wxops.site.simulator_link import callback_url, simulator_config

from .conftest import make_account

pytestmark = pytest.mark.django_db(transaction=True)


def connect(simulator, live_server, mode: str):
    """An account in wxops, registered with the simulator the way `wxops up` does, and one follower."""
    account = make_account(mode)
    simulator.control("POST", "/accounts", **simulator_config(account, live_server.url))
    openid = simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe", notify=False)["openid"]
    return account, openid


def write(simulator, account, openid, content: str) -> dict:
    return simulator.control("POST", f"/accounts/{account.app_id}/followers/{openid}/message",
                             content=content)["callback"]


def test_the_callback_url_is_the_site_url_and_the_app_id(db, settings):
    account = make_account("safe", app_id="wx1234567890abcdef")
    assert callback_url(account, "http://127.0.0.1:8123/") == "http://127.0.0.1:8123/wechat/callback/wx1234567890abcdef/"
    settings.WXOPS_BASE_URL = "https://ops.example.com"
    assert callback_url(account) == "https://ops.example.com/wechat/callback/wx1234567890abcdef/"


@pytest.mark.parametrize("mode", ["safe", "compatible", "plain"])
def test_a_followers_message_reaches_the_inbox(simulator, live_server, mode):
    account, openid = connect(simulator, live_server, mode)
    callback = write(simulator, account, openid, "社保基数什么时候调整？")
    assert callback["status"] == "delivered"
    assert [(t["status_code"], t["reply"]) for t in callback["tries"]] == [(200, "success")]
    stored = InboundMessage.objects.get(account=account)
    assert (stored.kind, stored.from_openid, stored.content, stored.msg_id) == (
        InboundKind.TEXT, openid, "社保基数什么时候调整？", int(callback["msg_id"]))


def test_a_duplicated_callback_is_stored_once(simulator, live_server):
    account, openid = connect(simulator, live_server, "safe")
    simulator.fault(target="callback", mode="duplicate", app_id=account.app_id)
    callback = write(simulator, account, openid, "个税专项附加扣除怎么填？")
    assert callback["fault"] == "duplicate"
    assert [t["status_code"] for t in callback["tries"]] == [200, 200]
    assert InboundMessage.objects.filter(account=account).count() == 1


def test_retries_after_a_failure_are_stored_once(simulator, live_server, monkeypatch):
    """WeChat retries when the first answer is not HTTP 200; the second try finds the row of the first."""
    from wxops.interaction import actions

    account, openid = connect(simulator, live_server, "safe")
    real_reply = actions.passive_reply_text
    calls = []

    def fail_after_storing(inbound):
        calls.append(inbound.pk)
        if len(calls) == 1:
            raise RuntimeError("the first answer is lost")
        return real_reply(inbound)

    monkeypatch.setattr(actions, "passive_reply_text", fail_after_storing)
    callback = write(simulator, account, openid, "发票怎么开？")
    assert [t["status_code"] for t in callback["tries"]] == [503, 200]
    assert calls[0] == calls[1]
    assert InboundMessage.objects.filter(account=account).count() == 1


def test_subscribe_through_a_branch_qr_code_stores_the_scene_and_welcomes(simulator, live_server):
    account, _ = connect(simulator, live_server, "safe")
    AutoReply.objects.create(account=account, subscribe_text="欢迎关注中恒融智！")
    answer = simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe", scene_str="branch:sz-01")
    [callback] = answer["callbacks"]
    assert callback["reply_plain"].count("<![CDATA[欢迎关注中恒融智！]]>") == 1
    stored = InboundMessage.objects.get(account=account)
    assert (stored.kind, stored.scene_key, stored.from_openid, stored.status) == (
        InboundKind.SUBSCRIBE, "branch:sz-01", answer["openid"], HandledStatus.ANSWERED)
    replies = simulator.inspect(f"/accounts/{account.app_id}/outbox", kind="reply")
    assert [item["openid"] for item in replies["items"]] == [answer["openid"]]


def test_the_simulator_verifies_the_callback_url(simulator, live_server):
    account, _ = connect(simulator, live_server, "safe")
    result = simulator.control("POST", f"/accounts/{account.app_id}/verify-callback")
    assert (result["ok"], result["status_code"]) == (True, 200)


def test_a_callback_signed_with_another_token_is_refused_and_not_stored(simulator, live_server):
    account, openid = connect(simulator, live_server, "safe")
    config = simulator_config(account, live_server.url)
    simulator.control("POST", "/accounts", **{**config, "token": "some-other-token-0001"})
    callback = write(simulator, account, openid, "你好")
    assert callback["status"] == "failed"
    assert [t["status_code"] for t in callback["tries"]] == [403, 403, 403]
    assert InboundMessage.objects.filter(account=account).count() == 0
