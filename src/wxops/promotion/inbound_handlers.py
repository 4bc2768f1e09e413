"""Promotion's inbound handlers: attribute followers to branches and employees, and greet
new followers with their branch's own welcome.

The branch welcome runs before interaction's account-wide welcome (a lower priority
number), so a follower who scanned a branch's code hears from that branch; attribution
returns no reply and runs for every subscribe, SCAN and unsubscribe.
"""

from __future__ import annotations

from wxops.core import inbound
from wxops.interaction.inbound_handlers import WELCOME_PRIORITY
from wxops.interaction.replies import content

from .actions import attribution

#: Before interaction's welcome (500): the branch's greeting wins when it has one.
BRANCH_WELCOME_PRIORITY = WELCOME_PRIORITY - 100
ATTRIBUTION_PRIORITY = 50


def _at(item: inbound.InboundItem):
    return item.created_at or item.received_at


@inbound.handler("event:subscribe", priority=ATTRIBUTION_PRIORITY)
def attribute_subscribe(item: inbound.InboundItem) -> None:
    attribution.subscribed(account_id=item.account_id, openid=item.from_openid, scene=item.scene_key,
                           at=_at(item), inbound_id=item.stored_id)


@inbound.handler("event:SCAN", priority=ATTRIBUTION_PRIORITY)
def attribute_scan(item: inbound.InboundItem) -> None:
    attribution.scanned(account_id=item.account_id, openid=item.from_openid, scene=item.scene_key,
                        at=_at(item), inbound_id=item.stored_id)


@inbound.handler("event:unsubscribe", priority=ATTRIBUTION_PRIORITY)
def attribute_unsubscribe(item: inbound.InboundItem) -> None:
    attribution.unsubscribed(account_id=item.account_id, openid=item.from_openid, at=_at(item),
                             inbound_id=item.stored_id)


@inbound.handler("event:subscribe", priority=BRANCH_WELCOME_PRIORITY)
def branch_welcome(item: inbound.InboundItem) -> inbound.Reply | None:
    """The branch's welcome (text, image or news card); None (the account's welcome then) when it has none."""
    welcome = attribution.welcome_for(item.account_id, item.scene_key)
    return content.reply(welcome, source="branch welcome") if welcome else None
