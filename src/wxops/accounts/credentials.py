"""WeChat credentials of an account, from the environment first, then the database.

For an account with AppID ``wx123…`` these environment variables win over the stored
values (handy when the database must hold no secrets at all)::

    WXOPS_WECHAT_WX123…_APP_SECRET, WXOPS_WECHAT_WX123…_TOKEN, WXOPS_WECHAT_WX123…_AES_KEY
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from wxops.accounts.models import Account, MessageMode


@dataclass(frozen=True)
class Credentials:
    app_id: str
    api_base: str
    message_mode: str
    app_secret: str = field(repr=False)
    callback_token: str = field(repr=False)
    encoding_aes_key: str = field(repr=False)

    @property
    def safe_mode(self) -> bool:
        return self.message_mode != MessageMode.PLAIN and bool(self.encoding_aes_key)


def env_name(app_id: str, part: str) -> str:
    return f"WXOPS_WECHAT_{app_id.upper()}_{part}"


def credentials(account: Account) -> Credentials:
    def pick(part: str, stored: str) -> str:
        return os.environ.get(env_name(account.app_id, part), "").strip() or stored

    return Credentials(
        app_id=account.app_id,
        api_base=account.wechat_api_base,
        message_mode=account.message_mode,
        app_secret=pick("APP_SECRET", account.app_secret),
        callback_token=pick("TOKEN", account.callback_token),
        encoding_aes_key=pick("AES_KEY", account.encoding_aes_key),
    )
