"""Fuzzing the callback: whatever arrives, verification, decryption and parsing refuse it cleanly — never a 5xx."""

from __future__ import annotations

import base64
import contextlib
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wxops.interaction.models import InboundMessage
from wxops.wechat import CallbackCrypto, CallbackEndpoint, CryptoError, signature
from wxops.wechat.messages import MessageParseError, parse_message

from .conftest import sign, text_xml

TOKEN, APP_ID = "fuzz-token-0001", "wx00000000000fuzz"
AES_KEY = base64.b64encode(bytes(range(32))).decode().rstrip("=")
ENDPOINTS = {mode: CallbackEndpoint(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, mode=mode)
             for mode in ("plain", "compatible", "safe")}
CRYPTO = CallbackCrypto(TOKEN, AES_KEY, APP_ID)

text = st.text(max_size=60)
query_values = st.one_of(text, st.sampled_from(["", "aes", "AES", "1", "é" * 40, "\x00", "0" * 40]))
params = st.dictionaries(st.sampled_from(["signature", "msg_signature", "timestamp", "nonce", "echostr",
                                          "encrypt_type", "openid"]), query_values)
xml_fragments = st.sampled_from([
    "<xml>", "</xml>", "<Encrypt>", "</Encrypt>", "<MsgType>event</MsgType>", "<MsgType>text</MsgType>",
    "<Event>subscribe</Event>", "<Event>LOCATION</Event>", "<Event>pic_weixin</Event>", "<item>", "</item>",
    "<MsgId>18446744073709551615</MsgId>", "<CreateTime>99999999999999</CreateTime>", "<CreateTime>-1</CreateTime>",
    "<![CDATA[", "]]>", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "<SendPicsInfo><PicList>", "</PicList></SendPicsInfo>",
    "<PublishEventInfo><publish_id>", "</publish_id></PublishEventInfo>", "<List>", "</List>", "\x00", "é",
])
bodies = st.one_of(st.binary(max_size=300), st.lists(st.one_of(xml_fragments, text), max_size=25).map("".join))

EXPECTED = (CryptoError, MessageParseError, ValueError)


@settings(max_examples=1500, deadline=None)
@given(params=params, mode=st.sampled_from(sorted(ENDPOINTS)))
def test_url_verification_only_answers_or_refuses(params, mode):
    with contextlib.suppress(EXPECTED):
        ENDPOINTS[mode].verify_url(params)


@settings(max_examples=1500, deadline=None)
@given(params=params, body=bodies, mode=st.sampled_from(sorted(ENDPOINTS)))
def test_a_request_is_parsed_or_refused_with_a_known_error(params, body, mode):
    with contextlib.suppress(EXPECTED):
        ENDPOINTS[mode].parse_request(params, body)


@settings(max_examples=1500, deadline=None)
@given(body=bodies)
def test_a_correctly_signed_and_encrypted_body_of_anything_is_parsed_or_refused(body):
    """Past the signature and the AES layer: what a key holder (or a bug) encrypts is still only parsed."""
    plain = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    ciphertext = CRYPTO.encrypt_text(plain)
    query = {"timestamp": "1", "nonce": "2", "encrypt_type": "aes",
             "msg_signature": signature(TOKEN, "1", "2", ciphertext)}
    try:
        inbound = ENDPOINTS["safe"].parse_request(query, f"<xml><Encrypt>{ciphertext}</Encrypt></xml>")
    except EXPECTED:
        return
    assert inbound.xml == plain


@settings(max_examples=1500, deadline=None)
@given(body=bodies)
def test_parse_message_raises_only_its_parse_error(body):
    with contextlib.suppress(MessageParseError):
        parse_message(body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=params, body=bodies, mode=st.sampled_from(["plain", "compatible", "safe"]),
       method=st.sampled_from(["GET", "POST"]))
def test_the_view_never_answers_5xx_to_garbage(client, accounts, params, body, mode, method):
    account = accounts[mode]
    url = f"/wechat/callback/{account.app_id}/?{urlencode(params)}"
    response = client.get(url) if method == "GET" else client.generic("POST", url, body, content_type="text/xml")
    assert response.status_code < 500


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.text(max_size=200), msg_id=st.integers(min_value=0, max_value=2**64 - 1),
       create_time=st.integers(min_value=-(2**40), max_value=2**62), mode=st.sampled_from(["plain", "safe"]))
def test_the_view_stores_any_validly_signed_text_message(client, accounts, content, msg_id, create_time, mode):
    """Anything WeChat could send, signed correctly: stored once (200), or refused as malformed (400) — never 5xx."""
    account = accounts[mode]
    cleaned = content.replace("]]>", "").replace("\x00", "")
    signed = sign(account, text_xml(account, cleaned, msg_id=msg_id, create_time=create_time))
    response = client.post(signed.url(account), data=signed.body, content_type="text/xml")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert InboundMessage.objects.filter(account=account, dedupe_key=f"msg:{msg_id}").count() == 1
