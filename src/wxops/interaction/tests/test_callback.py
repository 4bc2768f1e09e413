"""The callback view with Django's test client: verification, storage once, refusals that store nothing."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import defusedxml.ElementTree as SafeET
import pytest
from django.db import OperationalError

from wxops.interaction import actions, views
from wxops.interaction.models import AutoReply, HandledStatus, InboundKind, InboundMessage
from wxops.wechat import CallbackCrypto, signature

from .conftest import event_xml, make_account, post, sign, text_xml


def verification_query(token: str, echostr: str = "5837397520875130001") -> dict:
    timestamp, nonce = str(int(time.time())), "1514711492"
    return {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
            "echostr": echostr}


def test_url_verification_answers_the_echostr(client, account):
    response = client.get(f"/wechat/callback/{account.app_id}/?{urlencode(verification_query(account.callback_token))}")
    assert response.status_code == 200
    assert response.content == b"5837397520875130001"


def test_url_verification_works_without_the_trailing_slash(client, account):
    response = client.get(f"/wechat/callback/{account.app_id}?{urlencode(verification_query(account.callback_token))}")
    assert (response.status_code, response.content) == (200, b"5837397520875130001")


def test_url_verification_with_a_wrong_signature_is_refused(client, account):
    query = verification_query("not-the-token")
    response = client.get(f"/wechat/callback/{account.app_id}/?{urlencode(query)}")
    assert response.status_code == 403
    assert b"5837397520875130001" not in response.content


def test_safe_mode_message_is_stored_and_answered_success(client, account):
    response = post(client, account, sign(account, text_xml(account, "个税汇算怎么操作？", msg_id=42)))
    assert (response.status_code, response.content) == (200, b"success")
    stored = InboundMessage.objects.get()
    assert (stored.account, stored.kind, stored.from_openid, stored.content, stored.msg_id, stored.dedupe_key,
            stored.status) == (account, InboundKind.TEXT, "oFollower0001", "个税汇算怎么操作？", "42", "msg:42",
                               HandledStatus.NEW)
    assert "<Content><![CDATA[个税汇算怎么操作？]]></Content>" in stored.xml


def test_the_same_msgid_sent_three_times_is_stored_once(client, account):
    xml = text_xml(account, msg_id=77)
    answers = [post(client, account, sign(account, xml)) for _ in range(3)]
    assert [(a.status_code, a.content) for a in answers] == [(200, b"success")] * 3
    assert InboundMessage.objects.filter(account=account).count() == 1


def test_the_same_msgid_on_two_accounts_is_two_messages(client, account):
    other = make_account("safe")
    post(client, account, sign(account, text_xml(account, msg_id=5)))
    post(client, other, sign(other, text_xml(other, msg_id=5)))
    assert InboundMessage.objects.count() == 2


@pytest.mark.parametrize("mode", ["plain", "compatible"])
def test_plain_and_compatible_modes_accept_a_plain_request(client, db, mode):
    account = make_account(mode)
    response = post(client, account, sign(account, text_xml(account, msg_id=9), encrypted=False))
    assert (response.status_code, response.content) == (200, b"success")
    assert InboundMessage.objects.get().content == "社保基数什么时候调整？"


def test_compatible_mode_accepts_an_encrypted_request(client, db):
    account = make_account("compatible")
    response = post(client, account, sign(account, text_xml(account, msg_id=10), encrypted=True))
    assert response.status_code == 200
    assert InboundMessage.objects.get().msg_id == "10"


def test_safe_mode_refuses_a_plain_request_and_stores_nothing(client, account):
    response = post(client, account, sign(account, text_xml(account), encrypted=False))
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_bad_signature_is_refused_and_nothing_is_stored(client, account):
    before = InboundMessage.objects.count()
    response = post(client, account, sign(account, text_xml(account), token="forged-token-000"))
    assert response.status_code == 403
    assert InboundMessage.objects.count() == before


def test_plain_mode_bad_signature_is_refused_and_nothing_is_stored(client, plain_account):
    signed = sign(plain_account, text_xml(plain_account))
    signed.query["signature"] = "0" * 40
    response = post(client, plain_account, signed)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_ciphertext_for_another_app_id_is_refused(client, account):
    response = post(client, account, sign(account, text_xml(account), app_id="wx00000000000000ff"))
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_message_signed_for_one_account_is_refused_on_another(client, account):
    other = make_account("safe")
    signed = sign(other, text_xml(other))
    response = client.post(signed.url(account), data=signed.body, content_type="text/xml")
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize("body", [b"", b"garbage", b"<xml><Content>unterminated", b"\xff\xfe\x00not utf-8",
                                  b"<notxml/>", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>'])
def test_a_signed_but_malformed_body_is_refused_without_500(client, plain_account, body):
    signed = sign(plain_account, "")
    response = client.post(signed.url(plain_account), data=body, content_type="text/xml")
    assert response.status_code == 400
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize("body", [b"garbage", b"<xml><Encrypt>not base64 at all!</Encrypt></xml>", b"<xml/>"])
def test_a_malformed_body_in_safe_mode_is_refused_without_500(client, account, body):
    signed = sign(account, text_xml(account))
    response = client.post(signed.url(account), data=body, content_type="text/xml")
    assert response.status_code in (400, 403)
    assert InboundMessage.objects.count() == 0


def test_an_oversized_body_is_refused_before_reading_it(client, plain_account):
    signed = sign(plain_account, "")
    body = text_xml(plain_account, "长" * (views.MAX_BODY // 3 + 10)).encode()
    response = client.post(signed.url(plain_account), data=body, content_type="text/xml")
    assert response.status_code == 413
    assert InboundMessage.objects.count() == 0


def test_unknown_app_id_is_404_and_stores_nothing(client, account):
    signed = sign(account, text_xml(account))
    response = client.post(f"/wechat/callback/wx0000000000000000/?{urlencode(signed.query)}", data=signed.body,
                           content_type="text/xml")
    assert response.status_code == 404
    assert InboundMessage.objects.count() == 0


def test_an_account_without_callback_token_is_refused(client, db):
    account = make_account("plain")
    account.callback_token = ""
    account.save()
    signed = sign(account, text_xml(account), token="anything-000")
    response = post(client, account, signed)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_other_methods_are_refused(client, account):
    assert client.put(f"/wechat/callback/{account.app_id}/").status_code == 405


def test_a_database_failure_answers_503_without_a_traceback(client, account, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(actions, "receive", broken)
    with caplog.at_level(logging.ERROR, logger="wxops.interaction.callback"):
        response = post(client, account, sign(account, text_xml(account)))
    assert (response.status_code, response.content) == (503, b"")
    assert InboundMessage.objects.count() == 0
    assert account.callback_token not in caplog.text
    assert account.encoding_aes_key not in caplog.text


def test_refusals_are_logged_without_secrets(client, account, caplog):
    with caplog.at_level(logging.WARNING, logger="wxops.interaction.callback"):
        post(client, account, sign(account, text_xml(account), token="forged-token-000"))
        post(client, account, sign(account, text_xml(account), app_id="wx00000000000000ff"))
    ours = [record.getMessage() for record in caplog.records if record.name == "wxops.interaction.callback"]
    assert [line.split(" refused: ")[1] for line in ours] == [
        "signature does not match token, timestamp and nonce", "message was encrypted for another app id"]
    assert account.callback_token not in caplog.text
    assert account.encoding_aes_key not in caplog.text


def test_an_unknown_event_is_kept_with_its_xml(client, account):
    xml = event_xml(account, "user_enter_tempsession", extra="<SessionFrom><![CDATA[card]]></SessionFrom>")
    response = post(client, account, sign(account, xml))
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.event, stored.msg_type) == (InboundKind.UNKNOWN, "USER_ENTER_TEMPSESSION", "event")
    assert "<SessionFrom><![CDATA[card]]></SessionFrom>" in stored.xml


def test_an_unknown_message_type_is_kept(client, plain_account):
    xml = text_xml(plain_account).replace("<![CDATA[text]]>", "<![CDATA[miniprogrampage]]>")
    response = post(client, plain_account, sign(plain_account, xml))
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.msg_type, stored.dedupe_key) == (InboundKind.UNKNOWN, "miniprogrampage",
                                                                 "msg:24000000000000001")


def test_subscribe_through_a_qr_code_stores_the_scene(client, account):
    xml = event_xml(account, "subscribe", key="qrscene_branch:sz-01", extra="<Ticket><![CDATA[gQ1]]></Ticket>")
    response = post(client, account, sign(account, xml))
    assert (response.status_code, response.content) == (200, b"success")
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.scene_key) == (InboundKind.SUBSCRIBE, "branch:sz-01")
    assert stored.dedupe_key.startswith("event:oFollower0001:1772413200:SUBSCRIBE:")


def test_scan_stores_the_scene(client, account):
    post(client, account, sign(account, event_xml(account, "SCAN", key="branch:bj-02")))
    assert InboundMessage.objects.get().scene_key == "branch:bj-02"


def test_the_welcome_is_an_encrypted_passive_reply_in_safe_mode(client, account):
    AutoReply.objects.create(account=account, subscribe_text="欢迎关注！")
    response = post(client, account, sign(account, event_xml(account, "subscribe")))
    assert response.status_code == 200
    envelope = SafeET.fromstring(response.content)
    plain = CallbackCrypto(account.callback_token, account.encoding_aes_key, account.app_id).decrypt(
        response.content, msg_signature=envelope.findtext("MsgSignature"), timestamp=envelope.findtext("TimeStamp"),
        nonce=envelope.findtext("Nonce"))
    reply = SafeET.fromstring(plain)
    assert (reply.findtext("MsgType"), reply.findtext("Content"), reply.findtext("ToUserName")) == (
        "text", "欢迎关注！", "oFollower0001")
    stored = InboundMessage.objects.get()
    assert (stored.reply, stored.status) == ("欢迎关注！", HandledStatus.ANSWERED)


def test_the_message_auto_reply_leaves_the_message_new_for_a_person(client, plain_account):
    AutoReply.objects.create(account=plain_account, message_text="已收到，我们会尽快回复。")
    response = post(client, plain_account, sign(plain_account, text_xml(plain_account)))
    assert SafeET.fromstring(response.content).findtext("Content") == "已收到，我们会尽快回复。"
    stored = InboundMessage.objects.get()
    assert (stored.reply, stored.status) == ("已收到，我们会尽快回复。", HandledStatus.NEW)


def test_no_auto_reply_for_events_other_than_subscribe(client, plain_account):
    AutoReply.objects.create(account=plain_account, subscribe_text="欢迎", message_text="收到")
    response = post(client, plain_account, sign(plain_account, event_xml(plain_account, "CLICK", key="menu_1")))
    assert response.content == b"success"
    assert InboundMessage.objects.get().kind == InboundKind.CLICK


def test_two_events_of_one_follower_in_the_same_second_are_both_kept(client, account):
    post(client, account, sign(account, event_xml(account, "subscribe")))
    post(client, account, sign(account, event_xml(account, "CLICK", key="menu_1")))
    post(client, account, sign(account, event_xml(account, "CLICK", key="menu_1")))  # a retry
    assert sorted(InboundMessage.objects.values_list("kind", flat=True)) == [InboundKind.CLICK, InboundKind.SUBSCRIBE]


def test_two_mass_send_results_in_the_same_second_are_both_kept(client, account):
    for msg_id in (1000001, 1000002, 1000001):
        xml = event_xml(account, "MASSSENDJOBFINISH", extra=f"<MsgID>{msg_id}</MsgID><Status><![CDATA[send success]]></Status>")
        post(client, account, sign(account, xml))
    assert sorted(InboundMessage.objects.values_list("msg_id", flat=True)) == ["1000001", "1000002"]


@pytest.mark.django_db
def test_the_callbacks_row_has_the_models_defaults_and_its_account(account):
    row = actions._new_row(account, content="你好", kind=InboundKind.TEXT)  # noqa: SLF001 - built positionally
    made = InboundMessage(account=account, content="你好", kind=InboundKind.TEXT)
    assert {f.attname: getattr(row, f.attname) for f in InboundMessage._meta.concrete_fields} == \
        {f.attname: getattr(made, f.attname) for f in InboundMessage._meta.concrete_fields}
    assert row.account is account and row.pk is None and row._state.adding  # noqa: SLF001
    with pytest.raises(TypeError, match="contnet"):
        actions._new_row(account, contnet="typo")  # noqa: SLF001
