"""What the commands' arguments name: accounts (by name or AppID) and days.

    from wxops.accounts.command_line import accounts_named, parse_day
    for account in accounts_named(options["account"]):      # every account when None
        first = parse_day(options["from"])                   # CommandError in words when malformed
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from wxops.accounts.models import Account


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-01.") from None


def accounts_named(name: str | None) -> list[Account]:
    """The account called ``name`` (its name or AppID), or every account when ``name`` is None."""
    accounts = Account.objects.order_by("pk")
    if name:
        accounts = accounts.filter(name=name) | accounts.filter(app_id=name)
        if not accounts:
            raise CommandError(f"No account named {name!r} (give its name or AppID).")
    return list(accounts)
