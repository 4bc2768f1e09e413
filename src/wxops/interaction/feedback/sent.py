"""What interaction needs to know about a sent push, from publishing (the one door to its deliveries).

publishing owns the send: :func:`wxops.publishing.actions.delivery_for` answers its
``Delivery``. A push counts as sent once WeChat accepted the job (``accepted`` or
``delivered``, with ``accepted_at``); its ``msg_data_id`` addresses the comments. This
module turns that into the frozen :class:`SentPush` the feedback code reads, so nothing
else here depends on publishing's model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wxops.publishing.actions import delivery_for
from wxops.publishing.models import DeliveryState

SENT_STATES = frozenset({DeliveryState.ACCEPTED, DeliveryState.DELIVERED})


@dataclass(frozen=True)
class SentPush:
    """A push that went out: WeChat's ``msg_data_id`` (comments are addressed by it) and when it was sent."""

    msg_data_id: int | None
    sent_at: dt.datetime


def sent_push(push) -> SentPush | None:
    """The push's send, or None while WeChat has not accepted it."""
    delivery = delivery_for(push)
    if delivery is None or delivery.state not in SENT_STATES or delivery.accepted_at is None:
        return None
    msg_data_id = (delivery.msg_data_id or "").strip()
    return SentPush(int(msg_data_id) if msg_data_id.isdigit() else None, delivery.accepted_at)


def reach_of(push) -> int | None:
    """Followers the send reached, once WeChat reported it (MASSSENDJOBFINISH), else None."""
    delivery = delivery_for(push)
    if delivery is not None and delivery.sent_count is not None:
        return delivery.sent_count
    return push.delivery_sent
