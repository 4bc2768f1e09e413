import re

import pytest

from wxops.wechat import (
    NO_REPLY,
    CallbackCrypto,
    CallbackEndpoint,
    CryptoError,
    InvalidAppId,
    InvalidSignature,
    MessageParseError,
    NewsItem,
    ScanEvent,
    TextMessage,
    image_reply,
    news_reply,
    parse_message,
    signature,
    text_reply,
)
from wxops.wechat.messages import parse_xml, xml_to_dict

wechatpy_crypto = pytest.importorskip("wechatpy.crypto")

TEXT = (
    "<xml><ToUserName><![CDATA[gh_acct]]></ToUserName><FromUserName><![CDATA[o_fan]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[社保基数什么时候调整？]]></Content><MsgId>42</MsgId></xml>"
)


def _encrypted_request(token, key, app_id, xml, timestamp="1700000001", nonce="777"):
    """Build a safe-mode POST the way WeChat does, with wechatpy (an independent implementation)."""
    envelope = wechatpy_crypto.WeChatCrypto(token, key, app_id).encrypt_message(xml, nonce, timestamp)
    encrypt = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>", envelope).group(1)
    body = f"<xml><ToUserName><![CDATA[gh_acct]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    params = {
        "signature": signature(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "openid": "o_fan",
        "encrypt_type": "aes",
        "msg_signature": signature(token, timestamp, nonce, encrypt),
    }
    return params, body.encode()


def test_url_verification_echoes_echostr_unchanged(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key, mode="safe")
    params = {"signature": signature(token, "1714036504", "1514711492"), "timestamp": "1714036504", "nonce": "1514711492", "echostr": "8163748197236"}
    assert endpoint.verify_url(params) == "8163748197236"


def test_url_verification_with_a_bad_signature_raises(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, mode="plain")
    with pytest.raises(InvalidSignature):
        endpoint.verify_url({"signature": "0" * 40, "timestamp": "1", "nonce": "2", "echostr": "x"})


def test_safe_mode_request_from_wechatpy_decrypts_and_parses(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key, mode="safe")
    params, body = _encrypted_request(token, key, app_id, TEXT)
    inbound = endpoint.parse_request(params, body)
    assert inbound.encrypted is True and inbound.xml == TEXT
    assert isinstance(inbound.message, TextMessage) and inbound.message.content == "社保基数什么时候调整？"


def test_safe_mode_reply_is_encrypted_and_wechatpy_can_read_it(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key, mode="safe")
    params, body = _encrypted_request(token, key, app_id, TEXT)
    inbound = endpoint.parse_request(params, body)
    reply = text_reply(inbound.message, "已收到，我们会在24小时内回复。", create_time=1700000002)
    answer = endpoint.render_reply(reply, inbound, timestamp="1700000003", nonce="555")
    assert "<Encrypt>" in answer and "已收到" not in answer
    msg_signature = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", answer).group(1)
    plain = wechatpy_crypto.WeChatCrypto(token, key, app_id).decrypt_message(answer, msg_signature, "1700000003", "555")
    fields = xml_to_dict(parse_xml(plain))
    assert fields == {
        "ToUserName": "o_fan",
        "FromUserName": "gh_acct",
        "CreateTime": "1700000002",
        "MsgType": "text",
        "Content": "已收到，我们会在24小时内回复。",
    }


def test_safe_mode_refuses_a_plain_request(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key, mode="safe")
    params = {"signature": signature(token, "1", "2"), "timestamp": "1", "nonce": "2"}
    with pytest.raises(CryptoError, match="safe mode"):
        endpoint.parse_request(params, TEXT)


def test_compatible_mode_accepts_both_and_replies_in_kind(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key, mode="compatible")
    plain = endpoint.parse_request({"signature": signature(token, "1", "2"), "timestamp": "1", "nonce": "2"}, TEXT)
    assert plain.encrypted is False
    assert endpoint.render_reply(text_reply(plain.message, "hi", create_time=1), plain).startswith("<xml><ToUserName>")
    params, body = _encrypted_request(token, key, app_id, TEXT)
    encrypted = endpoint.parse_request(params, body)
    assert "<Encrypt>" in endpoint.render_reply(text_reply(encrypted.message, "hi"), encrypted)


def test_plain_mode_checks_the_signature(callback_secrets):
    token, _key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, mode="plain")
    with pytest.raises(InvalidSignature):
        endpoint.parse_request({"signature": "f" * 40, "timestamp": "1", "nonce": "2"}, TEXT)


def test_encrypted_request_with_a_bad_msg_signature_raises(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key)
    params, body = _encrypted_request(token, key, app_id, TEXT)
    with pytest.raises(InvalidSignature):
        endpoint.parse_request({**params, "msg_signature": "0" * 40}, body)


def test_encrypted_request_for_another_app_raises_invalid_app_id(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key)
    params, body = _encrypted_request(token, key, "wxanotherapp0000", TEXT)
    with pytest.raises(InvalidAppId):
        endpoint.parse_request(params, body)


def test_garbage_body_is_a_parse_error_not_a_traceback(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key)
    params, _ = _encrypted_request(token, key, app_id, TEXT)
    with pytest.raises(MessageParseError):
        endpoint.parse_request(params, b"<xml><Encrypt>")


def test_no_reply_is_success_even_in_safe_mode(callback_secrets):
    token, key, app_id = callback_secrets
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key)
    params, body = _encrypted_request(token, key, app_id, TEXT)
    inbound = endpoint.parse_request(params, body)
    assert endpoint.render_reply(None, inbound) == NO_REPLY == "success"


def test_endpoint_configuration_errors_are_clear(callback_secrets):
    token, key, app_id = callback_secrets
    with pytest.raises(ValueError, match="EncodingAESKey"):
        CallbackEndpoint(token=token, app_id=app_id, mode="safe")
    with pytest.raises(ValueError, match="mode must be"):
        CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key, mode="secure")
    assert token not in repr(CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key))


def test_image_and_news_replies():
    scan = parse_message(
        "<xml><ToUserName>gh_acct</ToUserName><FromUserName>o_fan</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>event</MsgType><Event>SCAN</Event><EventKey>b1</EventKey></xml>"
    )
    assert isinstance(scan, ScanEvent)
    image = xml_to_dict(parse_xml(image_reply(scan, "MEDIA", create_time=5)))
    assert image == {"ToUserName": "o_fan", "FromUserName": "gh_acct", "CreateTime": "5", "MsgType": "image", "Image": {"MediaId": "MEDIA"}}
    news = xml_to_dict(parse_xml(news_reply(scan, [NewsItem("标题 ]]> x", "https://e/1", "描述", "https://e/p.jpg")], create_time=6)))
    assert news["ArticleCount"] == "1"
    assert news["Articles"] == {"item": [{"Title": "标题 ]]> x", "Description": "描述", "PicUrl": "https://e/p.jpg", "Url": "https://e/1"}]}
    with pytest.raises(ValueError):
        news_reply(scan, [])


def test_crypto_encrypt_envelope_round_trips_through_the_endpoint(callback_secrets):
    """What the simulator does (encrypt a push) is what the endpoint undoes."""
    token, key, app_id = callback_secrets
    envelope = CallbackCrypto(token, key, app_id).encrypt(TEXT, timestamp="9", nonce="8")
    fields = xml_to_dict(parse_xml(envelope))
    params = {"timestamp": "9", "nonce": "8", "encrypt_type": "aes", "msg_signature": fields["MsgSignature"], "signature": signature(token, "9", "8")}
    inbound = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=key).parse_request(params, envelope)
    assert inbound.xml == TEXT


def test_the_previous_aes_key_is_tried_after_a_key_change(callback_secrets):
    import base64
    import os

    token, old_key, app_id = callback_secrets
    new_key = base64.b64encode(os.urandom(32)).decode()[:43]
    params, body = _encrypted_request(token, old_key, app_id, TEXT)  # sent under the old key
    with pytest.raises(CryptoError):
        CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=new_key).parse_request(params, body)
    endpoint = CallbackEndpoint(token=token, app_id=app_id, encoding_aes_key=new_key, previous_encoding_aes_key=old_key)
    assert endpoint.parse_request(params, body).xml == TEXT


# -- the envelope read without a parser gives what the parser gives -------------------------------

from hypothesis import example as _example  # noqa: E402
from hypothesis import given as _given  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

from wxops.wechat.callback import _ciphertext  # noqa: E402

_pieces = _st.sampled_from(["<xml>", "</xml>", "<Encrypt>", "</Encrypt>", "<![CDATA[", "]]>", "<ToUserName>",
                            "</ToUserName>", " ", "\n", "gh_1", "QUJD", "+/=", "&amp;", "<!DOCTYPE x>", "é"])


@_given(_st.lists(_pieces, max_size=14).map("".join))
@_example("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[QUJD+/=]]></Encrypt></xml>")
@_example("\n<xml>\n <Encrypt><![CDATA[QUJD]]></Encrypt>\n</xml>\n")
@_example("<xml><Encrypt><![CDATA[]]></Encrypt></xml>")
@_example("<xml><ToUserName><![CDATA[a&amp;b]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>")
def test_the_envelope_without_a_parser_agrees_with_the_parser(body):
    try:
        parsed = xml_to_dict(parse_xml(body)).get("Encrypt")
    except MessageParseError:
        parsed = MessageParseError
    try:
        fast = _ciphertext(body)
    except MessageParseError:
        fast = MessageParseError
    assert fast == parsed
