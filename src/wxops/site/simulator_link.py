"""Connect the accounts in the database to the local WeChat simulator at start-up."""

from __future__ import annotations

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account


def register_accounts(base_url: str) -> list[str]:
    """Tell the simulator about every account that talks to it; returns lines to print."""
    try:
        from wxops.simulator.control import register_account
    except ImportError:
        return ["wxops: the simulator has no account registration yet; accounts not connected."]
    lines = []
    for account in Account.objects.all():
        if account.api_base and account.api_base.rstrip("/") != base_url:
            continue
        secret = credentials(account)
        register_account(base_url, app_id=account.app_id, app_secret=secret.app_secret,
                         token=secret.callback_token, encoding_aes_key=secret.encoding_aes_key,
                         account_type=account.account_type, verified=account.verified, callback_url="")
        lines.append(f"wxops: account {account.name} connected to the simulator")
    return lines
