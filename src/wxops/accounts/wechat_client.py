"""The WeChat client of an account, wired to the shared token store.

    client = client_for(account)
    client.drafts.count()

The base URL is the account's own, else ``WECHAT_API_BASE`` (the local simulator by default).
"""

from __future__ import annotations

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account
from wxops.accounts.token_store import DatabaseTokenStore
from wxops.wechat import WeChatClient


def client_for(account: Account, **options) -> WeChatClient:
    secret = credentials(account)
    return WeChatClient(secret.app_id, secret.app_secret, base_url=secret.api_base,
                        token_store=DatabaseTokenStore(), **options)
