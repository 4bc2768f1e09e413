"""A stand-in for another app's ``inbound_handlers.py`` (think ``analytics``): counts every item, breaks on demand."""

from wxops.core import inbound
from wxops.core.models import Heartbeat

calls: list[tuple[str, int]] = []
fail = [False]


@inbound.handler("*", priority=50)
def count_everything(item: inbound.InboundItem) -> inbound.Reply | None:
    calls.append(("two.count", item.stored_id))
    Heartbeat.objects.create(name=f"two:{item.stored_id}", beat_at=item.received_at)
    if fail[0]:
        raise RuntimeError("a broken handler in another app")
    return None
