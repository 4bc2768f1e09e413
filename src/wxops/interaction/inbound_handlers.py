"""Interaction's own inbound handlers: the account's welcome and its reply to messages.

Registered with :mod:`wxops.core.inbound` when the app is ready. Their priorities leave
room before them: a handler with a lower number (a branch's welcome, a keyword rule)
answers first, and these are the fall-backs.
"""

from __future__ import annotations

from wxops.core import inbound

from .models import AutoReply

#: A branch's welcome (``promotion``) registers below this number, so it answers first.
WELCOME_PRIORITY = 500
#: The reply to a message when nothing more specific answered.
DEFAULT_REPLY_PRIORITY = 900


@inbound.handler("event:subscribe", priority=WELCOME_PRIORITY)
def welcome(item: inbound.InboundItem) -> inbound.Reply | None:
    """The account's welcome text for a new follower."""
    text = AutoReply.objects.filter(account_id=item.account_id).values_list("subscribe_text", flat=True).first()
    return inbound.Reply(text, source="welcome") if text else None


@inbound.handler("text", priority=DEFAULT_REPLY_PRIORITY)
def default_reply(item: inbound.InboundItem) -> inbound.Reply | None:
    """The account's reply to a text message (e.g. "已收到，我们会尽快回复。")."""
    text = AutoReply.objects.filter(account_id=item.account_id).values_list("message_text", flat=True).first()
    return inbound.Reply(text, source="default reply") if text else None
