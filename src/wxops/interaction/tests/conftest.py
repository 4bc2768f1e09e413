"""Fixtures of the interaction tests: accounts with random secrets, and signed WeChat callbacks."""

from __future__ import annotations

import base64
import os
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from wxops.accounts.models import Account
from wxops.simulator.testing import simulator  # noqa: F401 - the simulator fixture
from wxops.wechat import CallbackCrypto, signature


def random_aes_key() -> str:
    return base64.b64encode(os.urandom(32)).decode("ascii").rstrip("=")


def make_account(mode: str = "safe", **fields) -> Account:
    return Account.objects.create(
        name=fields.pop("name", "测试号 " + secrets.token_hex(3)),
        app_id=fields.pop("app_id", "wx" + secrets.token_hex(8)),
        app_secret=secrets.token_hex(16),
        callback_token=secrets.token_hex(12),
        encoding_aes_key=random_aes_key(),
        message_mode=mode,
        **fields,
    )


@pytest.fixture
def account(db) -> Account:
    return make_account("safe")


@pytest.fixture
def plain_account(db) -> Account:
    return make_account("plain")


@pytest.fixture
def accounts(db) -> dict[str, Account]:
    """One account of each message mode (the fuzz tests of the callback)."""
    return {mode: make_account(mode) for mode in ("plain", "compatible", "safe")}


def text_xml(account: Account, content: str = "社保基数什么时候调整？", msg_id: int = 24000000000000001,
             openid: str = "oFollower0001", create_time: int | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_{account.app_id[2:14]}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{create_time or int(time.time())}</CreateTime>"
            f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def event_xml(account: Account, event: str, key: str = "", openid: str = "oFollower0001",
              create_time: int = 1772413200, extra: str = "") -> str:
    return (f"<xml><ToUserName><![CDATA[gh_{account.app_id[2:14]}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{create_time}</CreateTime>"
            f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>"
            f"<EventKey><![CDATA[{key}]]></EventKey>{extra}</xml>")


@dataclass(frozen=True)
class Signed:
    """A callback POST as WeChat would send it: the query string and the body."""

    query: dict
    body: bytes

    def url(self, account: Account) -> str:
        return f"/wechat/callback/{account.app_id}/?{urlencode(self.query)}"


def sign(account: Account, xml: str, *, encrypted: bool | None = None, app_id: str | None = None,
         token: str | None = None) -> Signed:
    """Sign (and in safe/compatible mode encrypt) ``xml`` for ``account``; overrides forge bad requests."""
    token = token or account.callback_token
    timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
    query = {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    if encrypted is None:
        encrypted = account.message_mode != "plain"
    if not encrypted:
        return Signed(query, xml.encode("utf-8"))
    crypto = CallbackCrypto(token, account.encoding_aes_key, app_id or account.app_id)
    ciphertext = crypto.encrypt_text(xml)
    query.update(encrypt_type="aes", msg_signature=signature(token, timestamp, nonce, ciphertext))
    return Signed(query, f"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
                  .encode())


def post(client, account: Account, signed: Signed):
    return client.post(signed.url(account), data=signed.body, content_type="text/xml")
from .feedback_world import feedback_world  # noqa: E402, F401 - a sent push in wxops and the simulator (feedback tests)
