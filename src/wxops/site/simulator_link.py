"""Connect the accounts in the database to the local WeChat simulator at start-up.

Each account is registered with the simulator (credentials, mode) and with its callback URL
on this site, ``<site>/wechat/callback/<app_id>/``, and gets the demo audience, so the
simulated followers of `make run` write in and wxops's inbox fills up.
"""

from __future__ import annotations

import httpx
from django.conf import settings
from django.urls import reverse

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account


def callback_url(account: Account, site_url: str | None = None) -> str:
    """The URL WeChat (or the simulator) calls for ``account``; paste it in WeChat's console (服务器地址)."""
    base = (site_url or settings.WXOPS_BASE_URL).rstrip("/")
    return base + reverse("interaction:callback", kwargs={"app_id": account.app_id})


def simulator_config(account: Account, site_url: str | None = None) -> dict:
    """What the simulator needs to play WeChat for ``account`` (its control API's account fields)."""
    secret = credentials(account)
    return {
        "app_id": account.app_id,
        "app_secret": secret.app_secret,
        "token": secret.callback_token,
        "encoding_aes_key": secret.encoding_aes_key,
        "encrypt_mode": account.message_mode if secret.encoding_aes_key else "plain",
        "account_type": account.account_type,
        "verified": account.verified,
        "name": account.name,
        "callback_url": callback_url(account, site_url),
    }


def register_accounts(base_url: str, site_url: str | None = None) -> list[str]:
    """Register (or update) every account that talks to the simulator at ``base_url``; returns lines to print.

    ``site_url`` is where this site serves (default ``settings.WXOPS_BASE_URL``). Each account also
    gets the demo audience (``?preset=demo``; followers are created only the first time).
    """
    lines = []
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for account in Account.objects.all():
            if account.api_base and account.api_base.rstrip("/") != base_url.rstrip("/"):
                continue
            response = http.post("/sim/accounts", json=simulator_config(account, site_url))
            if response.status_code >= 400:
                lines.append(f"wxops: the simulator refused account {account.name}: {response.text[:200]}")
                continue
            lines.append(f"wxops: account {account.name} ({account.app_id}) connected to the simulator, "
                         f"callbacks to {callback_url(account, site_url)}")
            audience = http.post(f"/sim/accounts/{account.app_id}/audience", params={"preset": "demo"})
            if audience.status_code >= 400:
                lines.append(f"wxops: the simulator refused the demo audience for {account.name}: "
                             f"{audience.text[:200]}")
            else:
                created = audience.json().get("followers_created", 0)
                if created:
                    lines.append(f"wxops: {created} simulated followers for {account.name}")
    return lines
