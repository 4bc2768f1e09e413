"""Actions of the accounts app: what other apps do with an account.

    from wxops.accounts.actions import client_for
    client = client_for(account)
    client.drafts.count()
"""

from __future__ import annotations

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account
from wxops.accounts.token_store import DatabaseTokenStore
from wxops.wechat import WeChatClient


def client_for(account: Account, **options) -> WeChatClient:
    """The WeChat client of ``account``, sharing the deployment's token store.

    The base URL is the account's own, else ``WECHAT_API_BASE`` (the local simulator by
    default); ``options`` go to :class:`~wxops.wechat.WeChatClient` (``timeout``,
    ``retries``, ``transport`` …). Raises ``ValueError`` when the account has no AppSecret.
    """
    secret = credentials(account)
    if not secret.app_secret:
        raise ValueError(f"account {account.name} has no AppSecret: set it in the account settings "
                         f"or in the environment")
    return WeChatClient(secret.app_id, secret.app_secret, base_url=secret.api_base,
                        token_store=DatabaseTokenStore(), **options)
