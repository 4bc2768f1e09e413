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


def _picture(name: str):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image

    from wxops.materials.models import Picture
    from wxops.materials.models.picture import Licence

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 110, 180)).save(buffer, "PNG")
    return Picture.objects.create(title=name, file=ImageFile(buffer, name=f"{name}.png"), licence=Licence.OWN)


def test_a_keyword_rule_answers_with_an_image_or_a_news_card(simulator, live_server, settings, tmp_path):
    """The picture goes to WeChat's material library when the rule is saved (once); the follower's
    keyword gets the image, or the news card with its picture's material URL — also on a retry."""
    from django.contrib.auth import get_user_model

    from wxops.interaction.replies import actions

    settings.MEDIA_ROOT = str(tmp_path)
    account, openid = connect(simulator, live_server, "safe")
    account.api_base = simulator.url
    account.save()
    admin = get_user_model().objects.create_superuser("replies-admin", "a@example.com", "x")
    picture = _picture("社保流程图")
    image_rule = actions.save_rule(KeywordRule(account=account, name="流程图", keywords="流程图", reply_kind="image",
                                               reply_picture=picture), user=admin)
    news_rule = actions.save_rule(KeywordRule(
        account=account, name="社保指南", keywords="社保指南", reply_kind="news", news_title="2026 社保基数调整指南",
        reply_text="各地基数与缴费时间一览", news_url="https://mp.weixin.qq.com/s/guide", reply_picture=picture),
        user=admin)
    assert image_rule.reply_media_id and news_rule.reply_pic_url.startswith("http")
    uploads = simulator.control("GET", "/inspect/api-calls", app_id=account.app_id,
                                path="/cgi-bin/material/add_material")
    assert uploads["total"] == 1  # the same picture: uploaded once for both rules

    image = write(simulator, account, openid, "流程图")
    assert "<MsgType><![CDATA[image]]></MsgType>" in image["reply_plain"]
    assert f"<MediaId><![CDATA[{image_rule.reply_media_id}]]></MediaId>" in image["reply_plain"]
    news = write(simulator, account, openid, "社保指南")
    assert "<MsgType><![CDATA[news]]></MsgType>" in news["reply_plain"]
    for value in ("2026 社保基数调整指南", "各地基数与缴费时间一览", "https://mp.weixin.qq.com/s/guide",
                  news_rule.reply_pic_url):
        assert f"<![CDATA[{value}]]>" in news["reply_plain"]
    stored = InboundMessage.objects.get(account=account, content="社保指南")
    assert stored.reply_source == f"keyword rule {news_rule.pk}" and stored.reply_payload["news"][0]["title"]


def test_an_image_or_news_rule_without_what_it_needs_is_refused_and_nothing_saved(db):
    from django.core.exceptions import ValidationError

    from wxops.interaction.replies import actions

    from .conftest import make_account

    account = make_account()
    for rule, field in ((KeywordRule(account=account, name="图", keywords="图", reply_kind="image"), "reply_picture"),
                        (KeywordRule(account=account, name="卡", keywords="卡", reply_kind="news",
                                     news_title="指南", news_url="ftp://x"), "news_url"),
                        (KeywordRule(account=account, name="字", keywords="字"), "reply_text")):
        with pytest.raises(ValidationError) as refused:
            actions.check_rule(rule)
        assert field in refused.value.message_dict
    assert not KeywordRule.objects.exists()
