import base64
import os
import secrets

import pytest

from wxops.wechat import MemoryTokenStore, WeChatClient
from wxops.wechat.tests.fakewechat import FakeWeChat, serve


@pytest.fixture
def app_credentials():
    """Random per test: no secret is ever a fixture constant."""
    return "wx" + secrets.token_hex(8), secrets.token_hex(16)


@pytest.fixture
def fake(app_credentials):
    app_id, secret = app_credentials
    wechat = FakeWeChat(app_id=app_id, app_secret=secret)
    server, thread = serve(wechat)
    yield wechat
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(fake, sleeps):
    c = WeChatClient(
        fake.app_id,
        fake.app_secret,
        base_url=fake.base_url,
        token_store=MemoryTokenStore(),
        timeout=5.0,
        sleep=sleeps.append,
    )
    yield c
    c.close()


@pytest.fixture
def callback_secrets():
    """A random token, EncodingAESKey (43 chars) and app id."""
    token = secrets.token_hex(12)  # WeChat tokens are letters and digits (never a leading "-")
    aes_key = base64.b64encode(os.urandom(32)).decode()[:43]
    app_id = "wx" + secrets.token_hex(8)
    return token, aes_key, app_id
