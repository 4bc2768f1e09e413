"""Connect the accounts in the database to the local WeChat simulator at start-up."""

from __future__ import annotations

import httpx

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account


def simulator_config(account: Account) -> dict:
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
    }


def register_accounts(base_url: str) -> list[str]:
    """Register (or update) every account that talks to the simulator at ``base_url``; returns lines to print."""
    lines = []
    with httpx.Client(base_url=base_url, timeout=10) as http:
        for account in Account.objects.all():
            if account.api_base and account.api_base.rstrip("/") != base_url.rstrip("/"):
                continue
            response = http.post("/sim/accounts", json=simulator_config(account))
            if response.status_code >= 400:
                lines.append(f"wxops: the simulator refused account {account.name}: {response.text[:200]}")
            else:
                lines.append(f"wxops: account {account.name} ({account.app_id}) connected to the simulator")
    return lines
