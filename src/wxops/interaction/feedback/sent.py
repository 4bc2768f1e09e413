"""What interaction needs to know about a sent push, from publishing (the one door to its deliveries).

publishing owns the send; :func:`wxops.publishing.actions.delivery_for` answers its
``Delivery`` (``msg_id``, ``msg_data_id``, ``sent_at``, ``state``). This module turns it into
the frozen :class:`SentPush` the feedback code reads, so nothing else here depends on
publishing's model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SentPush:
    """A push that went out: WeChat's ``msg_data_id`` (comments are addressed by it) and when it was sent."""

    msg_data_id: int | None
    sent_at: dt.datetime


def sent_push(push) -> SentPush | None:
    """The push's send, or None while it has not been sent (or publishing cannot say)."""
    try:
        from wxops.publishing.actions import delivery_for
    except ImportError:  # publishing's send path not installed yet: nothing is known to be sent
        return None
    delivery = delivery_for(push)
    if delivery is None or getattr(delivery, "sent_at", None) is None:
        return None
    msg_data_id = getattr(delivery, "msg_data_id", None)
    return SentPush(int(msg_data_id) if msg_data_id else None, delivery.sent_at)
