"""Interaction's own welcome for a new follower (the replies to messages are in ``replies/handlers.py``).

Registered with :mod:`wxops.core.inbound` when the app is ready. Its priority leaves room
before it: a handler with a lower number (a branch's welcome) answers first.
"""

from __future__ import annotations

from wxops.core import inbound

from .models import AutoReply
from .replies import content

#: A branch's welcome (``promotion``) registers below this number, so it answers first.
WELCOME_PRIORITY = 500


@inbound.handler("event:subscribe", priority=WELCOME_PRIORITY, writes=False)
def welcome(item: inbound.InboundItem) -> inbound.Reply | None:
    """The account's welcome for a new follower: text, an image or a news card."""
    row = AutoReply.objects.filter(account_id=item.account_id).values_list(*AutoReply.WELCOME.columns()).first()
    return content.reply(AutoReply.WELCOME.from_row(row), source="welcome") if row else None

