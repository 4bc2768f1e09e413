"""`wxops up` registers each account with the simulator, callbacks pointing at this site."""

import secrets

import pytest

from wxops.accounts.models import Account
from wxops.simulator.testing import running_simulator
from wxops.site.simulator_link import callback_url, register_accounts


@pytest.fixture
def account(db):
    return Account.objects.create(name="演示号", app_id="wx1234567890abcdef", app_secret=secrets.token_hex(16),
                                  callback_token=secrets.token_hex(8), encoding_aes_key="a" * 43,
                                  message_mode="safe")


@pytest.fixture
def simulator():
    with running_simulator() as handle:
        yield handle


def test_the_callback_url_is_the_site_url_and_the_app_id(account, settings):
    assert callback_url(account, "http://127.0.0.1:8123/") == "http://127.0.0.1:8123/wechat/callback/wx1234567890abcdef/"
    settings.WXOPS_BASE_URL = "https://ops.example.com"
    assert callback_url(account) == "https://ops.example.com/wechat/callback/wx1234567890abcdef/"


def test_accounts_are_registered_with_their_callback_url_and_the_demo_audience(account, simulator):
    register_accounts(simulator.url, "http://127.0.0.1:8123")
    lines = register_accounts(simulator.url, "http://127.0.0.1:8123")  # at every start: safe to repeat
    [registered] = simulator.control("GET", "/accounts")["accounts"]
    assert (registered["callback_url"], registered["encrypt_mode"]) == (
        "http://127.0.0.1:8123/wechat/callback/wx1234567890abcdef/", "safe")
    followers = simulator.inspect("/accounts/wx1234567890abcdef/followers", limit=1)
    assert followers["total"] == 3000
    assert lines == ["wxops: account 演示号 (wx1234567890abcdef) connected to the simulator, "
                     "callbacks to http://127.0.0.1:8123/wechat/callback/wx1234567890abcdef/"]
