"""The account's welcome and default reply answer with text, an image or a news card, like keyword rules:
checked by the content rules and uploaded to WeChat's material library when saved (a refusal or a
failed upload changes nothing), delivered as the callback's passive XML reply."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import ModelLogEntry

from wxops.interaction.models import AutoReply, HandledStatus, InboundMessage, KeywordRule
from wxops.interaction.replies import actions

from .test_inbox import user_in
from .test_replies_admin import BLOCKED
from .test_replies_with_simulator import _picture
from .test_with_simulator import connect, write


def saved_row(pk: int) -> dict:
    """Every column of the auto-reply as stored, the uploaded material's too."""
    return AutoReply.objects.filter(pk=pk).values().get()


def passive_reply(callback: dict) -> ElementTree.Element:
    """The reply the follower got, parsed: WeChat takes it only as this XML."""
    return ElementTree.fromstring(callback["reply_plain"])


def assert_head(reply: ElementTree.Element, *, openid: str, kind: str) -> None:
    """What every passive reply carries: to the follower, from the account, when, which kind."""
    assert reply.tag == "xml"
    assert reply.findtext("ToUserName") == openid
    assert reply.findtext("FromUserName")
    assert reply.findtext("CreateTime").isdigit()
    assert reply.findtext("MsgType") == kind


def news_cards(reply: ElementTree.Element) -> list[dict[str, str]]:
    items = reply.find("Articles").findall("item")
    assert reply.findtext("ArticleCount") == str(len(items))
    return [{child.tag: child.text or "" for child in item} for item in items]


def form_of(account, **fields) -> dict:
    """The auto-reply form as the admin page posts it: both replies text and empty unless given."""
    return {"account": account.pk, "subscribe_kind": "text", "subscribe_text": "", "subscribe_news_title": "",
            "subscribe_news_url": "", "message_kind": "text", "message_text": "", "message_news_title": "",
            "message_news_url": "", "knowledge_threshold": "0.5", **fields}


@pytest.fixture
def on_simulator(simulator, live_server, settings, tmp_path):
    """An account played by the simulator (its API too: pictures are uploaded to it) and one follower."""
    settings.MEDIA_ROOT = str(tmp_path)
    account, openid = connect(simulator, live_server, "safe")
    account.api_base = simulator.url
    account.save()
    return account, openid


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("welcome-admin", "w@example.com", "x")


@pytest.mark.django_db(transaction=True)
def test_a_plain_subscribe_gets_the_accounts_news_welcome(simulator, on_simulator, superuser):
    account, _ = on_simulator
    saved = actions.save_auto_reply(AutoReply(
        account=account, subscribe_kind="news", subscribe_news_title="欢迎关注中恒融智",
        subscribe_text="每周一、三、五 11:30 推送行业资讯", subscribe_news_url="https://mp.weixin.qq.com/s/welcome",
        subscribe_picture=_picture("欢迎图")), user=superuser)
    assert saved.subscribe_pic_url.startswith("http") and saved.subscribe_media_id

    joined = simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe")
    [callback] = joined["callbacks"]
    reply = passive_reply(callback)
    assert_head(reply, openid=joined["openid"], kind="news")
    assert news_cards(reply) == [{"Title": "欢迎关注中恒融智", "Description": "每周一、三、五 11:30 推送行业资讯",
                                  "PicUrl": saved.subscribe_pic_url, "Url": "https://mp.weixin.qq.com/s/welcome"}]
    stored = InboundMessage.objects.get(account=account)
    assert (stored.reply_source, stored.status, stored.reply) == ("welcome", HandledStatus.ANSWERED,
                                                                 "[图文] 欢迎关注中恒融智")
    assert stored.reply_payload["news"][0]["url"] == "https://mp.weixin.qq.com/s/welcome"
    assert ModelLogEntry.objects.filter(action="wxops.replies.auto_reply_saved", object_id=str(saved.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_text_no_rule_matches_gets_the_default_image_reply(simulator, on_simulator, superuser):
    account, openid = on_simulator
    KeywordRule.objects.create(account=account, name="社保", keywords="社保", reply_text="社保基数每年7月调整。")
    saved = actions.save_auto_reply(AutoReply(account=account, message_kind="image",
                                              message_picture=_picture("客服二维码")), user=superuser)
    assert saved.message_media_id

    unmatched = passive_reply(write(simulator, account, openid, "你好，请问怎么联系你们"))
    assert_head(unmatched, openid=openid, kind="image")
    assert unmatched.find("Image").findtext("MediaId") == saved.message_media_id
    matched = passive_reply(write(simulator, account, openid, "社保怎么交"))  # a keyword rule still comes first
    assert (matched.findtext("MsgType"), matched.findtext("Content")) == ("text", "社保基数每年7月调整。")
    stored = InboundMessage.objects.get(account=account, content="你好，请问怎么联系你们")
    assert (stored.reply_source, stored.reply_payload) == ("default reply", {"media_id": saved.message_media_id})
    assert stored.status == HandledStatus.NEW  # a default reply still waits for a person


@pytest.mark.django_db(transaction=True)
def test_a_picture_wechat_refuses_is_said_in_the_form_and_the_saved_welcome_stays(simulator, on_simulator, client):
    account, _ = on_simulator
    client.force_login(user_in("运营编辑", "editor-welcome"))
    assert client.post(reverse("auto_replies:add"), form_of(account, subscribe_text="欢迎关注！")).status_code == 302
    before = saved_row(AutoReply.objects.get(account=account).pk)
    picture = _picture("欢迎图")
    simulator.fault(target="/cgi-bin/material/add_material", mode="errcode", errcode=-1, app_id=account.app_id)

    refused = client.post(reverse("auto_replies:edit", args=[before["id"]]),
                          form_of(account, subscribe_kind="image", subscribe_picture=picture.pk))
    assert refused.status_code == 200
    assert "微信未接收该图片" in refused.content.decode()
    assert saved_row(before["id"]) == before
    joined = simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe")
    assert passive_reply(joined["callbacks"][0]).findtext("Content") == "欢迎关注！"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"subscribe_kind": "news"}, "subscribe_news_title", "请填写图文标题。"),
    ({"subscribe_kind": "news", "subscribe_news_title": "欢迎"}, "subscribe_news_url", "请填写图文卡片的链接"),
    ({"message_kind": "image"}, "message_picture", "请选择要回复的图片。"),
    ({"message_text": BLOCKED}, "message_text", "内容规范不允许此文字"),
    ({"subscribe_kind": "news", "subscribe_news_title": BLOCKED, "subscribe_news_url": "https://mp.weixin.qq.com/s/x"},
     "subscribe_news_title", "内容规范不允许此文字"),
])
def test_a_welcome_or_default_reply_lacking_what_it_needs_is_refused_and_nothing_changes(
        client, account, fields, field, message):
    client.force_login(user_in("运营编辑", "editor-refused"))
    saved = AutoReply.objects.create(account=account, subscribe_text="欢迎关注！", message_text="已收到。")
    before = saved_row(saved.pk)
    refused = client.post(reverse("auto_replies:edit", args=[saved.pk]), form_of(account, **fields))
    assert refused.status_code == 200
    assert message in str(refused.context["form"].errors[field])
    assert saved_row(saved.pk) == before
    assert not ModelLogEntry.objects.filter(action="wxops.replies.auto_reply_saved").exists()


def test_the_auto_reply_form_names_both_replies_in_chinese(client, account):
    client.force_login(user_in("运营编辑", "editor-form"))
    page = client.get(reverse("auto_replies:add")).content.decode()
    for words in ("被关注回复", "收到消息回复", "回复类型", "图文标题", "图文链接"):
        assert words in page
