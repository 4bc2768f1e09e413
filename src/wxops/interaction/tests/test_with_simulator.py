"""The simulator's followers write to wxops over real HTTP: wxops on Django's live server, the simulator in-process."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wxops.interaction.models import AutoReply, HandledStatus, InboundKind, InboundMessage

from .conftest import make_account

pytestmark = pytest.mark.django_db(transaction=True)


def simulator_config(account, site_url: str) -> dict:
    """The account as the simulator plays it (`wxops up` does the same through wxops.site.simulator_link)."""
    return {"app_id": account.app_id, "app_secret": account.app_secret, "token": account.callback_token,
            "encoding_aes_key": account.encoding_aes_key, "encrypt_mode": account.message_mode,
            "callback_url": site_url + reverse("interaction:callback", args=[account.app_id])}


def connect(simulator, live_server, mode: str):
    """An account in wxops, registered with the simulator the way `wxops up` does, and one follower."""
    account = make_account(mode)
    simulator.control("POST", "/accounts", **simulator_config(account, live_server.url))
    openid = simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe", notify=False)["openid"]
    return account, openid


def write(simulator, account, openid, content: str) -> dict:
    return simulator.control("POST", f"/accounts/{account.app_id}/followers/{openid}/message",
                             content=content)["callback"]


@pytest.mark.parametrize("mode", ["safe", "compatible", "plain"])
def test_a_followers_message_reaches_the_inbox(simulator, live_server, mode):
    account, openid = connect(simulator, live_server, mode)
    callback = write(simulator, account, openid, "社保基数什么时候调整？")
    assert callback["status"] == "delivered"
    assert [(t["status_code"], t["reply"]) for t in callback["tries"]] == [(200, "success")]
    stored = InboundMessage.objects.get(account=account)
    assert (stored.kind, stored.from_openid, stored.content, stored.msg_id) == (
        InboundKind.TEXT, openid, "社保基数什么时候调整？", callback["msg_id"])


def test_a_duplicated_callback_is_stored_once(simulator, live_server):
    account, openid = connect(simulator, live_server, "safe")
    simulator.fault(target="callback", mode="duplicate", app_id=account.app_id)
    callback = write(simulator, account, openid, "个税专项附加扣除怎么填？")
    assert callback["fault"] == "duplicate"
    assert [t["status_code"] for t in callback["tries"]] == [200, 200]
    assert InboundMessage.objects.filter(account=account).count() == 1


def test_retries_after_a_failure_are_stored_once(simulator, live_server, monkeypatch):
    """WeChat retries when the first answer is not HTTP 200; the second try finds the row of the first."""
    from wxops.interaction import views

    account, openid = connect(simulator, live_server, "safe")
    real_answer = views._answer
    calls = []

    def fail_after_storing(*arguments):
        calls.append(InboundMessage.objects.filter(account=account).count())
        if len(calls) == 1:
            raise RuntimeError("the first answer is lost")
        return real_answer(*arguments)

    monkeypatch.setattr(views, "_answer", fail_after_storing)
    callback = write(simulator, account, openid, "发票怎么开？")
    assert [t["status_code"] for t in callback["tries"]] == [503, 200]
    assert calls == [1, 1]
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
