"""A stand-in for one app's ``inbound_handlers.py`` (think ``promotion``): attribution and a branch welcome."""

from wxops.core import inbound
from wxops.core.models import Heartbeat

calls: list[tuple[str, int]] = []


@inbound.handler("event:subscribe", priority=10)
def attribute_follower(item: inbound.InboundItem) -> inbound.Reply | None:
    calls.append(("one.attribute", item.stored_id))
    Heartbeat.objects.create(name=f"one:{item.stored_id}", beat_at=item.received_at)  # committed with the item
    return None


@inbound.handler("event:subscribe", priority=20)
def branch_welcome(item: inbound.InboundItem) -> inbound.Reply | None:
    calls.append(("one.welcome", item.stored_id))
    if item.scene_key.startswith("branch:"):
        return inbound.Reply(f"{item.scene_key} 欢迎您", source="branch welcome")
    return None
