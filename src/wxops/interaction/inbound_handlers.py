"""Interaction's own welcome for a new follower (the replies to messages are in ``replies/handlers.py``).

Registered with :mod:`wxops.core.inbound` when the app is ready. Its priority leaves room
before it: a handler with a lower number (a branch's welcome) answers first.
"""

from __future__ import annotations

from wxops.core import inbound

from .models import AutoReply

#: A branch's welcome (``promotion``) registers below this number, so it answers first.
WELCOME_PRIORITY = 500


@inbound.handler("event:subscribe", priority=WELCOME_PRIORITY, writes=False)
def welcome(item: inbound.InboundItem) -> inbound.Reply | None:
    """The account's welcome text for a new follower."""
    text = AutoReply.objects.filter(account_id=item.account_id).values_list("subscribe_text", flat=True).first()
    return inbound.Reply(text, source="welcome") if text else None

