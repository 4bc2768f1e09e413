"""``{% load account_times %}``: times in the account's time zone (see :mod:`wxops.accounts.times`).

``{{ message.received_at|account_time:message|date:"Y-m-d H:i" }}`` shows the time in the zone of
the message's account; ``{% timezone account|account_zone %}`` makes a whole block do so.
"""

from datetime import datetime

from django import template

from wxops.accounts import times

register = template.Library()


@register.filter
def account_time(value, thing):
    """``value`` in the time zone of ``thing``'s account; anything but a datetime passes unchanged."""
    return times.local(value, thing) if isinstance(value, datetime) else value


@register.filter
def account_zone(thing) -> str:
    """The name of the time zone of ``thing``'s account, or "" when it belongs to none."""
    account = times.account_of(thing)
    return account.time_zone if account is not None else ""
