"""The one writer of ``Delivery.state``, the worker's lease on a delivery, and the clientmsgid.

Every move is a compare-and-set on the stored state (and, for a worker, on its lease), in
its own short transaction that commits before any call to WeChat: the row is the truth, and
a worker that lost its lease to a sweep finds out at its next move (:class:`LostDelivery`)
instead of acting twice.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wxops.core import audit
from wxops.publishing.models import TRANSITIONS, Delivery, DeliveryState

#: Audit action of a state change (declared on PublishingConfig.audit_actions).
AUDIT_STATE = "wxops.publishing.delivery.state"

#: How long a worker owns a delivery without renewing; renewed before every call to WeChat, so
#: longer than the slowest single call (connect 5 s + read 20 s, idempotent ones retried twice).
LEASE = timedelta(minutes=3)


class LostDelivery(Exception):
    """Someone else moved the delivery (or took over the lease): this worker stops touching it."""


def new_owner() -> str:
    return uuid.uuid4().hex


def clientmsgid_for(app_id: str, slot_at: datetime, revision_ids: list[int]) -> str:
    """The send's clientmsgid: derived from account, slot and the approved revisions (46 bytes).

    The same push, slot and revisions always give the same id, so whatever process retries
    the send, WeChat recognises it (45065) instead of reaching followers again.
    """
    key = f"{app_id}|{slot_at.isoformat()}|{','.join(str(pk) for pk in revision_ids)}"
    return "wxops-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:40]  # noqa: S324 - an id, not security


def move(delivery: Delivery, to_state: str, *, now: datetime, owner: str | None = None, reason: str | None = None,
         **fields) -> Delivery:
    """Move ``delivery`` to ``to_state`` along :data:`TRANSITIONS`, writing ``fields`` with it.

    Compare-and-set on the state this process last saw (and on ``owner``'s lease when given);
    raises :class:`LostDelivery` when the row moved meanwhile. Audit-logged with the reason.
    Updates ``delivery`` in place and returns it.
    """
    to_state = DeliveryState(to_state)
    current = delivery.state
    if to_state != current and to_state not in TRANSITIONS[current]:
        raise ValueError(f"a delivery that is {current} cannot become {to_state}")
    values = {"state": to_state, "updated_at": now, **fields}
    if to_state != current:
        values["state_changed_at"] = now
    if reason is not None:
        values["reason"] = reason
    condition = Q(pk=delivery.pk, state=current)
    if owner is not None:
        condition &= Q(lease_owner=owner)
    with transaction.atomic():
        if Delivery.objects.filter(condition).update(**values) != 1:
            raise LostDelivery(_("Another worker moved this delivery."))
        for name, value in values.items():
            setattr(delivery, name, value)
        if to_state != current:
            audit.record(delivery, AUDIT_STATE, data={"from": current, "to": to_state.value,
                                                      "reason": delivery.reason})
    return delivery


def take_lease(delivery: Delivery, owner: str, now: datetime) -> bool:
    """Own ``delivery`` for :data:`LEASE` if nobody does (or the owner's lease ran out: a killed worker)."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner)
    taken = Delivery.objects.filter(Q(pk=delivery.pk, state=delivery.state) & free).update(
        lease_owner=owner, lease_until=now + LEASE)
    if taken == 1:
        delivery.lease_owner, delivery.lease_until = owner, now + LEASE
    return taken == 1


def renew_lease(delivery: Delivery, owner: str, now: datetime) -> None:
    """Before a call to WeChat: still ours, for another :data:`LEASE`; else :class:`LostDelivery`."""
    if Delivery.objects.filter(pk=delivery.pk, lease_owner=owner, state=delivery.state).update(
            lease_until=now + LEASE) != 1:
        raise LostDelivery(_("Another worker took over this delivery."))
    delivery.lease_until = now + LEASE


def release_lease(delivery: Delivery, owner: str) -> None:
    Delivery.objects.filter(pk=delivery.pk, lease_owner=owner).update(lease_owner="", lease_until=None)
    delivery.lease_owner, delivery.lease_until = "", None
